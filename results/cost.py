"""Self-hosted dollars: a rented node costs GPUs x $/GPU-hour x node time, whatever it serves. Node time is
the renter's: the server's start-up, its serving and its idle tail until it stops, each kept apart.

That cost is split over the samples by the GPU time their tokens used: uncached prefill,
cached prefill and decode each get a weight in GPU-seconds per token. Weights come from the
server's own counters over the session (prefill and decode time per token); vLLM does not time
cached prefill apart, so its weight is a stated fraction of uncached prefill, recorded with the
run. Per-request durations are never summed into dollars: with batching they overlap, and
summing them would charge the same GPU-second several times.

Amounts are allocated in integer nano-dollars (largest remainder), so the per-sample dollars
add up to the node cost exactly, by construction.
"""

from __future__ import annotations

from typing import Any

from .prices import node_usd
from .records import Usage
from .store import NANO
from .vllm_metrics import metric_delta

CACHED_PREFILL_FACTOR = 0.1  # cached prefill costs this fraction of uncached prefill (assumption, recorded)


def token_weights(before: dict | None, after: dict | None, cached_factor: float = CACHED_PREFILL_FACTOR) -> dict:
    """GPU-seconds per token for uncached prefill, cached prefill and decode, from /metrics deltas."""
    if before and after:
        prefill_s = metric_delta(before, after, "vllm:request_prefill_time_seconds_sum")
        decode_s = metric_delta(before, after, "vllm:request_decode_time_seconds_sum")
        prompt = metric_delta(before, after, "vllm:prompt_tokens_total")
        cached = metric_delta(before, after, "vllm:prompt_tokens_cached_total")
        if cached is None:
            cached = metric_delta(before, after, "vllm:prefix_cache_hits_total") or 0.0
        gen = metric_delta(before, after, "vllm:generation_tokens_total")
        if prefill_s and decode_s and prompt and gen and prompt - cached > 0:
            w_u = prefill_s / (prompt - cached)
            return {"uncached_prefill": w_u, "cached_prefill": w_u * cached_factor, "decode": decode_s / gen,
                    "cached_factor": cached_factor,
                    "source": "this server's /metrics over the session: prefill and decode seconds per token"}
    return {"uncached_prefill": 1.0, "cached_prefill": cached_factor, "decode": 1.0, "cached_factor": cached_factor,
            "source": "no server timing metrics: every computed token weighs the same"}


def gpu_seconds(usage: Usage, w: dict) -> float:
    # Cache-write tokens were computed on this request: they are uncached prefill, not cache reads.
    return ((usage.input_uncached + usage.cache_write) * w["uncached_prefill"]
            + usage.input_cached * w["cached_prefill"] + usage.output * w["decode"])


def allocate(total_usd: float, shares: dict[str, float]) -> dict[str, int]:
    """Split round(total) nano-dollars over the keys in proportion to shares; the parts sum exactly."""
    total = round(total_usd * NANO)
    keys = sorted(shares)
    if not keys:
        return {}
    weight = sum(shares[k] for k in keys)
    exact = {k: total * (shares[k] / weight if weight > 0 else 1 / len(keys)) for k in keys}
    parts = {k: int(exact[k]) for k in keys}
    # Largest remainder: the nano-dollars lost to truncation go to the largest fractional parts.
    for k in sorted(keys, key=lambda k: exact[k] - parts[k], reverse=True)[: total - sum(parts.values())]:
        parts[k] += 1
    return parts


BILL_FROM = ("launch", "ready")  # --bill-from: the renter's bill from the server's launch, or from when it answered


def billed_time(parts: dict[str, Any], bill_from: str = "launch") -> dict[str, float]:
    """The node time billed, part by part: start-up (launch to ready; a server pertask launched), serving (ready,
    or the session's start for an attached server, to the last response) and the idle tail (to the server's
    stop). --bill-from ready leaves the start-up out. A part not measured is absent, never 0."""
    keep = ("serving_s", "tail_s") if bill_from == "ready" else ("startup_s", "serving_s", "tail_s")
    return {k: float(parts[k]) for k in keep if parts.get(k) is not None}


def attribute_session(usages: dict[str, Usage], node: dict[str, Any], parts: dict[str, Any],
                      before: dict | None, after: dict | None, serving_gpus: int | None = None) -> dict[str, Any] | None:
    """The cost record of one session of one served model, or None without a node price. The GPUs billed are
    the node's as the user rented them (--gpus), else those its servers were placed on (serving_gpus)."""
    gpus, rate = node.get("gpus") or serving_gpus, node.get("gpu_hour_usd")
    if not gpus or rate is None:
        return None
    bill_from = node.get("bill_from") or "launch"
    billed = billed_time(parts, bill_from)
    node_time_s = sum(billed.values())
    weights = token_weights(before, after, node.get("cached_prefill_factor", CACHED_PREFILL_FACTOR))
    cost = node_usd(gpus, rate, node_time_s)
    nano = allocate(cost, {sid: gpu_seconds(u, weights) for sid, u in usages.items()})
    tokens = sum(u.total for u in usages.values())
    return {"gpus": gpus, "gpus_from": "--gpus" if node.get("gpus") else "the servers' GPU groups",
            "gpus_serving": serving_gpus, "gpu_hour_usd": rate, "gpu_type": node.get("gpu_type"),
            "unit": node.get("unit") or "GPU", "price_source": node.get("gpu_hour_source"), "prices": node.get("prices"),
            "node_time_s": round(node_time_s, 3), "bill_from": bill_from,
            "time_s": {k.removesuffix("_s"): round(v, 3) for k, v in billed.items()},
            "parts_usd": {k.removesuffix("_s"): node_usd(gpus, rate, v) for k, v in billed.items()},
            "node_cost_usd": sum(nano.values()) / NANO, "weights": weights,
            "per_sample_nano_usd": nano,
            "simple_split_usd": cost / len(usages) if usages else None,
            "usd_per_mtok": cost / tokens * 1e6 if tokens else None}

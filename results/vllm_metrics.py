"""What a vLLM server's own counters say about a run: throughput, prefix-cache hits, latency
quantiles, and how the harness's token totals compare with the server's.

Input is the server record written per served model (RUN/servers/NAME.json): snapshots of
/metrics taken before, during and after each session.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from .prices import node_usd

# vLLM has renamed some series across versions; the first name present wins.
TPOT = ("vllm:inter_token_latency_seconds", "vllm:time_per_output_token_seconds")
KV_USAGE = ("vllm:kv_cache_usage_perc", "vllm:gpu_cache_usage_perc")


def metric_delta(before: dict, after: dict, name: str) -> float | None:
    """A counter's change between two snapshots; None when either lacks it (missing, not zero)."""
    a, b = after["values"].get(name), before["values"].get(name)
    return None if a is None or b is None else a - b


def histogram_quantile(q: float, before: dict[str, float], after: dict[str, float]) -> float | None:
    """Prometheus-style linear interpolation inside the bucket that holds the q-th observation."""
    bounds = sorted(((math.inf if le == "+Inf" else float(le)), after[le] - before.get(le, 0.0)) for le in after)
    if not bounds or bounds[-1][1] <= 0:
        return None
    rank, prev_bound, prev_count = q * bounds[-1][1], 0.0, 0.0
    for bound, count in bounds:
        if count >= rank:
            if math.isinf(bound):
                return prev_bound
            span = count - prev_count
            return prev_bound + (bound - prev_bound) * ((rank - prev_count) / span if span else 1.0)
        prev_bound, prev_count = bound, count
    return None


def _hist(before: dict, after: dict, names: tuple[str, ...]) -> dict[str, float | None]:
    name = next((n for n in names if n in after["buckets"]), None)
    if name is None:
        return {"p50": None, "p90": None}
    b, a = before["buckets"].get(name, {}), after["buckets"][name]
    return {"p50": histogram_quantile(0.5, b, a), "p90": histogram_quantile(0.9, b, a)}


def summarize_session(session: dict[str, Any]) -> dict[str, Any]:
    """One session (one pertask invocation) of one server."""
    snaps = [s for s in session.get("snapshots", []) if s]
    cost = session.get("cost")
    out: dict[str, Any] = {"spec": session.get("spec"), "complete": len(snaps) >= 2,
                           "node_time_s": session.get("node_time_s"),
                           "node": {k: v for k, v in cost.items() if k != "per_sample_nano_usd"} if cost else None}
    if len(snaps) < 2:
        return out
    before, after = snaps[0], snaps[-1]
    wall = after["t"] - before["t"]
    prompt = metric_delta(before, after, "vllm:prompt_tokens_total")
    gen = metric_delta(before, after, "vllm:generation_tokens_total")
    queries = metric_delta(before, after, "vllm:prefix_cache_queries_total")
    hits = metric_delta(before, after, "vllm:prefix_cache_hits_total")
    harness = session.get("harness_tokens") or {}
    kv = [s["values"].get(n) for s in snaps for n in KV_USAGE if n in s["values"]]
    out.update({
        "wall_s": round(wall, 3),
        "server_prompt_tokens": prompt, "server_generation_tokens": gen,
        "prompt_tokens_per_s": prompt / wall if prompt is not None and wall > 0 else None,
        "generation_tokens_per_s": gen / wall if gen is not None and wall > 0 else None,
        "prefix_cache_hit_rate": hits / queries if queries else None,
        "ttft_s": _hist(before, after, ("vllm:time_to_first_token_seconds",)),
        "tpot_s": _hist(before, after, TPOT),
        "kv_cache_usage_max": max(kv) if kv else None,
        "harness_prompt_tokens": harness.get("prompt"), "harness_generation_tokens": harness.get("output"),
    })
    out["load"] = load(session)
    if cost and out["load"] and (rates := [((p["prompt_tokens"] or 0) + (p["generation_tokens"] or 0)) / p["dt_s"]
                                           for p in out["load"]["points"] if p["dt_s"]]) and max(rates) > 0:
        # The node's price over the best throughput it showed: what the same tokens cost at a saturating load,
        # beside the run's own $/Mtok (its idle time included).
        out["peak_tokens_per_s"] = round(max(rates), 3)
        out["usd_per_mtok_at_peak"] = node_usd(cost["gpus"], cost["gpu_hour_usd"], 1e6 / max(rates))  # a million tokens' time
    if "replicas" in before and "replicas" in after:
        out["replicas"] = _replicas(before, after, wall, session.get("replicas") or [])
        for i, row in enumerate(out["replicas"]):
            row["busy_share"] = busy_share(session, i)
    # Zero when the server served only this run: the harness counted exactly what the server did.
    if prompt is not None and harness.get("prompt") is not None:
        out["prompt_tokens_diff"] = harness["prompt"] - prompt
    if gen is not None and harness.get("output") is not None:
        out["generation_tokens_diff"] = harness["output"] - gen
    return out


RUNNING, WAITING = "vllm:num_requests_running", "vllm:num_requests_waiting"


def _values(snap: dict[str, Any], replica: int | None) -> dict[str, float] | None:
    if replica is None:
        return snap.get("values")
    reps = snap.get("replicas") or []
    return reps[replica].get("values") if replica < len(reps) else None


def busy_share(session: dict[str, Any], replica: int | None = None) -> float | None:
    """The share of the periodic scrapes at which the server (or one replica) had a request running: the node's
    utilisation as its own gauge says, sampled every scrape interval. None without periodic scrapes."""
    seen = [v[RUNNING] for s in session.get("periodic") or [] if (v := _values(s, replica)) and RUNNING in v]
    return sum(1 for x in seen if x > 0) / len(seen) if seen else None


def load(session: dict[str, Any]) -> dict[str, Any] | None:
    """The server's load over the session, one point per scrape interval: tokens per second over the interval
    (counter deltas), and the requests running and waiting and the KV cache use at its end (gauges)."""
    snaps = sorted((s for s in [*session.get("snapshots", []), *(session.get("periodic") or [])] if s),
                   key=lambda s: s["t"])
    if len(snaps) < 2:
        return None
    t0, points = snaps[0]["t"], []
    for a, b in zip(snaps, snaps[1:], strict=False):
        dt = b["t"] - a["t"]
        if dt <= 0:
            continue
        gen, prompt = (metric_delta(a, b, n) for n in ("vllm:generation_tokens_total", "vllm:prompt_tokens_total"))
        kv = next((b["values"][n] for n in KV_USAGE if n in b["values"]), None)
        points.append({"t_s": round(b["t"] - t0, 3), "dt_s": round(dt, 3), "generation_tokens": gen, "prompt_tokens": prompt,
                       "generation_tokens_per_s": None if gen is None else round(gen / dt, 3),
                       "prompt_tokens_per_s": None if prompt is None else round(prompt / dt, 3),
                       "running": b["values"].get(RUNNING), "waiting": b["values"].get(WAITING), "kv_cache_usage": kv})
    periodic = [v for s in session.get("periodic") or [] if RUNNING in (v := s["values"])]
    gen_rates = [p["generation_tokens_per_s"] for p in points if p["generation_tokens_per_s"] is not None]
    return {"interval_s": session.get("scrape_every_s"), "scrapes": len(periodic), "busy_share": busy_share(session),
            "mean_running": sum(v[RUNNING] for v in periodic) / len(periodic) if periodic else None,
            "peak_generation_tokens_per_s": max(gen_rates) if gen_rates else None, "points": points}


def _replicas(before: dict[str, Any], after: dict[str, Any], wall: float,
              sent: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each replica's own throughput and prefix-cache hit rate from its own counters, and what the balancer sent."""
    by_url = {r["url"]: r for r in sent}
    rows = []
    for b, a in zip(before["replicas"], after["replicas"], strict=False):
        row: dict[str, Any] = {"url": a["url"], "requests": by_url.get(a["url"], {}).get("requests"),
                               "samples": len(by_url.get(a["url"], {}).get("samples", [])),
                               "down": by_url.get(a["url"], {}).get("down")}
        if "values" in a and "values" in b:
            bs, as_ = {"values": b["values"]}, {"values": a["values"]}
            prompt = metric_delta(bs, as_, "vllm:prompt_tokens_total")
            gen = metric_delta(bs, as_, "vllm:generation_tokens_total")
            queries = metric_delta(bs, as_, "vllm:prefix_cache_queries_total")
            hits = metric_delta(bs, as_, "vllm:prefix_cache_hits_total")
            row.update({"server_prompt_tokens": prompt, "server_generation_tokens": gen,
                        "prompt_tokens_per_s": prompt / wall if prompt is not None and wall > 0 else None,
                        "generation_tokens_per_s": gen / wall if gen is not None and wall > 0 else None,
                        "prefix_cache_hit_rate": hits / queries if queries else None})
        rows.append(row)
    return rows


def load_servers(run_dir: Path) -> list[dict[str, Any]]:
    """Every server record of a run, each with a summary per session."""
    out = []
    for path in sorted((Path(run_dir) / "servers").glob("*.json")):
        rec = json.loads(path.read_text())
        rec["session_summaries"] = [summarize_session({**s, "spec": rec.get("spec")}) for s in rec.get("sessions", [])]
        out.append(rec)
    return out

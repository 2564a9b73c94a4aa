"""How fast and how reliable each model spec was, from its calls: what a buyer comparing providers of one model needs
beside accuracy and dollars.

From the call ledger (calls.jsonl: every call of the agent as it was answered; judges' and preflight calls left out)
and the records:

- latency per call, p50 and p95 (retries and waits included: what the run waited), and time to first token for
  streamed calls;
- output tokens per second per call: output tokens over the time after the first token (streamed), else over the
  whole call;
- retries per 100 calls, by cause (rate_limit, server_error, timeout, unreachable, dropped: providers/retry.py),
  and the seconds spent waiting out rate limits;
- answers cut off by the length limit and refusals (content_filter, refusal) per 100 calls;
- tool calls whose arguments did not parse or broke the tool's schema per 100 calls (the built-in agent's count).

Intervals (95%) are a percentile bootstrap over samples: a sample's calls move together (the same task, the same
conversation), so samples, not calls, are the units.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from .stats import bootstrap_ci

CUT = {"length", "max_tokens", "max_output_tokens"}
REFUSED = {"content_filter", "refusal", "safety"}
CAUSES = ("rate_limit", "server_error", "timeout", "unreachable", "dropped")
ROUNDS = 400  # fewer than the accuracy intervals': a quantile over every call of a large run, each round


def quantile(xs: Sequence[float], q: float) -> float | None:
    if not xs:
        return None
    s = sorted(xs)
    pos = q * (len(s) - 1)
    lo = int(pos)
    return s[lo] + (s[min(lo + 1, len(s) - 1)] - s[lo]) * (pos - lo)


def _ci(clusters: list[list[Any]], stat: Callable[[list[Any]], float | None]) -> list[float] | None:
    clusters = [c for c in clusters if c]
    return bootstrap_ci(clusters, stat, rounds=ROUNDS) if len(clusters) > 1 else None


def _quantiles(clusters: list[list[float]]) -> dict[str, Any] | None:
    flat = [x for c in clusters for x in c]
    if not flat:
        return None
    out: dict[str, Any] = {"n": len(flat)}
    for name, q in (("p50", 0.5), ("p95", 0.95)):
        out[name] = round(quantile(flat, q), 6)
        out[f"{name}_ci"] = _ci(clusters, lambda xs, q=q: quantile(xs, q))
    return out


def _rate(xs: list[float]) -> float | None:
    return 100 * sum(xs) / len(xs) if xs else None


def _pair_rate(pairs: list[tuple[int, int]]) -> float:
    return 100 * sum(b for b, _ in pairs) / max(1, sum(n for _, n in pairs))


def _per_100(clusters: list[list[float]]) -> dict[str, Any]:
    flat = [x for c in clusters for x in c]
    return {"per_100": None if not flat else round(_rate(flat), 3), "ci": _ci(clusters, _rate)}


def _usage(c: dict[str, Any]) -> dict[str, Any]:
    return c.get("usage") or {}


def speed(calls: list[dict[str, Any]], samples: list[Any]) -> dict[str, Any] | None:
    """One model's figures from its ledger lines and its records; None without a call."""
    by_sample: dict[str, list[dict[str, Any]]] = defaultdict(list)
    calls = [c for c in calls if _usage(c).get("latency_s")]  # a reference model's moves take no time: not calls
    for c in calls:
        by_sample[c["sample_id"]].append(c)
    if not by_sample:
        return None
    groups = list(by_sample.values())

    def each(get: Callable[[dict[str, Any]], float | None]) -> list[list[float]]:
        return [[v for c in g if (v := get(c)) is not None] for g in groups]

    out = {
        "calls": len(calls),
        "latency_s": _quantiles(each(lambda c: _usage(c).get("latency_s"))),
        "ttft_s": _quantiles(each(lambda c: _usage(c).get("ttft_s"))),
        "output_tok_s": _quantiles(each(_tok_s)),
        "retries": _per_100(each(lambda c: sum((_usage(c).get("retries") or {}).values()))),
        "retries_by_cause": {k: n for k in CAUSES if (n := sum((_usage(c).get("retries") or {}).get(k, 0)
                                                                for c in calls))},
        "rate_limit_wait_s": round(sum(_usage(c).get("rate_limit_wait_s") or 0.0 for c in calls), 3),
        "cut_off": _per_100(each(lambda c: float(c.get("finish") in CUT))),
        "refused": _per_100(each(lambda c: float(c.get("finish") in REFUSED))),
    }
    # Tool calls that did not parse or fit: counted per sample by the agent, over the sample's calls.
    counted = [s for s in samples if s.usage.calls]
    if counted:
        units = [[(s.bad_tool_calls, s.usage.calls)] for s in counted]
        out["bad_tool_calls"] = {"per_100": round(_pair_rate([u[0] for u in units]), 3), "ci": _ci(units, _pair_rate)}
    return out


def _tok_s(c: dict[str, Any]) -> float | None:
    u = c.get("usage") or {}
    out, took = u.get("output") or 0, (u.get("latency_s") or 0.0) - (u.get("ttft_s") or 0.0)
    return out / took if out and took > 0 else None

"""`pertask probe --sweep`: how hard a provider can be pushed, the hosted counterpart of `vllm bench serve`.

Concurrency rises step by step (1, 2, 4, … up to --max-concurrency); at each step, 4 requests per concurrent slot (at
least 8) of the probe's own prompts go out at once, and the step reports requests/s, output tokens/s, latency p50 and
p95, and the rate limits met (429s: the client retries them, honouring Retry-After, and counts them per call). The
sweep stops after the first step that met rate limits (the tier's ceiling is below it), when the next step would pass
--max-calls, or when the dollars spent reach --budget-usd.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from .base import Model, ModelCallError
from .probe import load_set, request
from .retry import cause


async def sweep(model: Model, max_concurrency: int = 32, max_calls: int = 400,
                budget_usd: float | None = None) -> dict[str, Any]:
    steps, spent, sent, level, stopped, priced = [], 0.0, 0, 1, "", True
    while level <= max_concurrency:
        n = max(8, 4 * level)
        if sent + n > max_calls:
            stopped = f"the next step ({n} calls at {level}) would pass --max-calls {max_calls}"
            break
        step, usd = await _step(model, level, n, sent)
        steps.append(step)
        sent += n
        priced = priced and usd is not None
        spent += usd or 0.0
        if step["rate_limited"]:
            stopped = f"rate limits met at concurrency {level}"
            break
        if budget_usd is not None and spent >= budget_usd:
            stopped = f"--budget-usd {budget_usd:g} reached"
            break
        level *= 2
    first_429 = next((s["concurrency"] for s in steps if s["rate_limited"]), None)
    return {"model": model.info.spec, "steps": steps, "calls": sent, "usd": round(spent, 6) if priced else None,
            "rate_limits_from": first_429, "stopped": stopped or f"reached --max-concurrency {max_concurrency}"}


async def _step(model: Model, level: int, n: int, first: int) -> tuple[dict[str, Any], float | None]:
    """`n` calls, `level` at a time: the step's figures, and its dollars (None: a price unknown)."""
    from results.prices import call_usd
    from results.speed import quantile

    data = load_set()
    gate, outs, failed = asyncio.Semaphore(level), [], []

    async def one(i: int) -> None:
        async with gate:
            try:
                outs.append(await model.generate(request(data, data["items"][i % len(data["items"])])))
            except ModelCallError as exc:
                failed.append(exc)

    t0 = time.perf_counter()
    await asyncio.gather(*(one(first + i) for i in range(n)))
    wall = time.perf_counter() - t0
    lat = [o.usage.latency_s for o in outs]
    # 429s the client retried, and calls that failed on one after its retries (the cause it was raised from)
    limited = sum(o.usage.retries.get("rate_limit", 0) for o in outs) + \
        sum(e.__cause__ is not None and cause(e.__cause__) == "rate_limit" for e in failed)
    usds = [call_usd(model.info, o.usage) for o in outs]
    step = {"concurrency": level, "calls": n, "failed": len(failed), "rate_limited": limited,
            "requests_per_s": round(len(outs) / wall, 3),
            "output_tok_per_s": round(sum(o.usage.output for o in outs) / wall, 1),
            "latency_p50_s": _r(quantile(lat, 0.5)), "latency_p95_s": _r(quantile(lat, 0.95)), "wall_s": round(wall, 3)}
    return step, None if None in usds else sum(usds)


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 4)

"""`pertask probe`: the fidelity probe (providers/probe.py) or the concurrency sweep (providers/sweep.py) on each model
given, and what it prints: per model, one line of figures and the concerns that set it apart from its reference."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

# Where a model stops looking like a faithful server of its reference's weights.
MIN_VALID, MIN_AGREEMENT = 0.98, 0.9


async def probe_command(specs: list[str], reference: str | None, repeats: int, sweep: bool, max_concurrency: int,
                        max_calls: int, budget_usd: float | None, prices: Path | None) -> dict[str, Any]:
    from providers.probe import probe_model, summarize
    from providers.registry import build_model
    from providers.sweep import sweep as run_sweep

    from .prices import Catalog

    catalog = Catalog.load(prices)
    order = [reference, *(s for s in specs if s != reference)] if reference else specs
    models = [build_model(s, catalog) for s in order]
    try:
        if sweep:
            return {"sweep": [await run_sweep(m, max_concurrency, max_calls, budget_usd) for m in models]}
        results = await asyncio.gather(*(probe_model(m, repeats) for m in models))
    finally:
        for m in models:
            await m.aclose()
    rows = [summarize(r, None if i == 0 else results[0]) for i, r in enumerate(results)]
    for row in rows:
        row["concerns"] = concerns(row)
    return {"reference": results[0]["model"], "repeats": repeats, "models": rows}


def concerns(row: dict[str, Any]) -> list[str]:
    said = []
    if row["errors"]:
        said.append(f"{row['errors']} of {row['calls']} calls failed")
    if row["schema_valid"] is not None and row["schema_valid"] < MIN_VALID:
        said.append(f"{1 - row['schema_valid']:.0%} of its tool calls did not parse or fit their schema")
    if row.get("agreement") is not None and row["agreement"] < MIN_AGREEMENT:
        said.append(f"disagrees with the reference on {len(row['disagrees_on'])} items "
                    f"({', '.join(row['disagrees_on'][:4])}{', …' if len(row['disagrees_on']) > 4 else ''})")
    if row["empty"] or row["cut_off"]:
        said.append(f"{row['empty']} empty and {row['cut_off']} cut-off answers")
    return said


def render(out: dict[str, Any], console: Any) -> None:
    from rich.table import Table

    from .fmt import money

    if "sweep" in out:
        for s in out["sweep"]:
            t = Table(title=f"{s['model']}: concurrency sweep ({s['stopped']})")
            for col in ("concurrency", "calls", "req/s", "out tok/s", "p50 s", "p95 s", "429s", "failed"):
                t.add_column(col, justify="right")
            for st in s["steps"]:
                t.add_row(str(st["concurrency"]), str(st["calls"]), f"{st['requests_per_s']:.2f}",
                          f"{st['output_tok_per_s']:.0f}", _s(st["latency_p50_s"]), _s(st["latency_p95_s"]),
                          str(st["rate_limited"]), str(st["failed"]))
            console.print(t)
            console.print(f"{s['calls']} calls, {money(s['usd'])}; rate limits from concurrency "
                          f"{s['rate_limits_from'] or '- (none met)'}", highlight=False)
        return
    t = Table(title=f"fidelity probe: {out['repeats']} × 32 tool-use prompts (reference: {out['reference']}); valid: "
                    "tool calls that parse and fit their schema; agrees: the reference's tool, or none, item by item")
    for col in ("model", "valid", "expected", "agrees", "empty", "cut off", "$", "wall s"):
        t.add_column(col, justify="left" if col == "model" else "right", overflow="fold")
    for r in out["models"]:
        pct = (lambda v: "-" if v is None else f"{v:.0%}")  # noqa: E731
        t.add_row(r["model"], pct(r["schema_valid"]), pct(r["as_expected"]),
                  "reference" if "agreement" not in r else pct(r["agreement"]), str(r["empty"]), str(r["cut_off"]),
                  money(r["usd"]), f"{r['wall_s']:.1f}")
    console.print(t)
    for r in out["models"]:
        console.print(f"{r['model']}: " + ("; ".join(r["concerns"]) if r["concerns"] else "no concern"),
                      highlight=False, style="yellow" if r["concerns"] else "green")


def _s(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"

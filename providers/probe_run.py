"""`pertask probe`: the fidelity probe (providers/probe.py) or the concurrency sweep (providers/sweep.py) on each model
given, the first (or --reference) the others' reference; results/probe_report.py prints what it finds."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from .probe import probe_model, summarize
from .sweep import sweep as run_sweep

# Where a model stops looking like a faithful server of its reference's weights.
MIN_VALID, MIN_AGREEMENT = 0.98, 0.9


async def probe_command(specs: list[str], reference: str | None, repeats: int, sweep: bool, max_concurrency: int,
                        max_calls: int, budget_usd: float | None, prices: Path | None) -> dict[str, Any]:
    from results.prices import Catalog

    from .registry import build_model

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


def cmd_probe(a: Any) -> int:
    """The `pertask probe` command (harness/cli/parser.py has its flags)."""
    from results.probe_report import render

    out = asyncio.run(probe_command(a.model, a.reference, a.repeats, a.sweep, a.max_concurrency, a.max_calls,
                                    a.budget_usd, a.prices))
    if a.json:
        import json

        print(json.dumps(out, indent=2))
    else:
        from rich.console import Console

        from results.fit import width

        render(out, Console(width=width(), emoji=False, markup=False))
    return 0

"""The published claims (data/claims.toml), each beside what the price catalog computes and,
when the user's runs include the models involved, what the runs measured. Only ratios between
models are compared: someone else's absolute $/task on other tasks says nothing about yours."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from .prices import Catalog, cost_usd
from .records import Usage

CLAIMS = Path(__file__).parent / "data" / "claims.toml"
HARDWARE = Path(__file__).parent / "data" / "hardware.toml"


def _catalog_usd(catalog: Catalog, model: str, mix: dict[str, int]) -> float | None:
    """List-price dollars of the reference mix, spread evenly over its calls (tiers apply per call)."""
    entry = next((e for e in catalog.entries() if e.model.lower() == model.lower()
                  and e.provider not in ("openrouter", "together", "fireworks")), None)
    if entry is None:
        return None
    n = mix.get("calls", 1)
    per_call = Usage(input_uncached=mix["input_uncached"] // n, input_cached=mix["input_cached"] // n,
                     output=mix["output"] // n, calls=1)
    one = cost_usd(per_call, entry)
    return None if one is None else one * n


def _ratios(values: dict[str, float | None], base: str) -> dict[str, float | None]:
    b = values.get(base)
    return {m: (round(v / b, 3) if v is not None and b else None) for m, v in values.items()}


def evaluate(summary: dict[str, Any], model_names: dict[str, str], catalog: Catalog | None = None,
             path: Path = CLAIMS) -> list[dict[str, Any]]:
    """One row per claim: claimed, catalog and measured figures, each with its basis."""
    data = tomllib.loads(path.read_text())
    catalog = catalog or Catalog.load()
    mix = data["reference_mix"]
    hardware = tomllib.loads(HARDWARE.read_text())
    # The run's models by the catalog name they were priced under (spec -> model name).
    measured = {model_names.get(m["model"], m["model"]).lower(): m for m in summary.get("models", [])}
    out = []
    for c in data["claim"]:
        figures = {k.lower(): v for k, v in c["figures"].items()}
        row = {k: c[k] for k in ("id", "text", "kind", "source", "date")}
        row["claimed"] = figures
        base = min(figures, key=figures.get) if c["kind"] in ("usd_per_task", "cheaper") else None
        in_runs = [m for m in figures if m in measured]
        if c["kind"] in ("usd_per_task", "cheaper"):
            row["claimed_ratio"] = _ratios(figures, base)
            usd = {m: _catalog_usd(catalog, m, mix) for m in figures}
            row["catalog"] = {"usd_reference_task": usd, "ratio": _ratios(usd, base),
                              "basis": f"list prices on the stated reference mix ({mix['input_uncached']:,} uncached + "
                                       f"{mix['input_cached']:,} cached prompt tokens, {mix['output']:,} output, "
                                       f"{mix['calls']} calls)"}
            run_usd = {m: measured[m]["usd_per_task"] for m in in_runs}
            row["measured"] = ({"usd_per_task": run_usd, "ratio": _ratios(run_usd, base),
                                "basis": "$/task measured by these runs on the same tasks"}
                               if base in in_runs and len(in_runs) > 1 else None)
        elif c["kind"] == "accuracy":
            row["catalog"] = None
            acc = {m: measured[m]["accuracy"] for m in in_runs}
            row["measured"] = {"accuracy": acc, "basis": "accuracy measured by these runs (other tasks than the claim's)"} \
                if len(in_runs) > 1 else None
        else:  # hardware
            row["catalog"] = {"ratio": {k: hardware.get(k, {}).get("cost_multiplier", 1.0) for k in figures},
                              "basis": "results/data/hardware.toml cost_multiplier: the claim itself, as a labelled "
                                       "assumption (pertask cannot measure Ascend here)"}
            row["measured"] = None
        out.append(row)
    return out

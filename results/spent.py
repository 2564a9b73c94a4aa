"""What the call ledger (calls.jsonl) says beside the records: the run's true bill per model, and the agents' calls
for their speed and reliability (results/speed.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .speed import speed
from .store import RunStore, model_of


def ledger_figures(summary: dict[str, Any], run_dirs: list[Path], by_model: dict[str, list], warnings: list[str],
                   relabel) -> None:
    """The run's true bill from calls.jsonl beside what the records account for (`by_model`: each model's records):
    the difference was spent on samples that were never recorded or were recorded again (killed sessions, re-run
    infra samples)."""
    spent: dict[str, float] = {}
    recorded: dict[str, float] = {}
    checks: dict[str, float] = {}  # the preflight requests: paid for, but no sample's
    agents: dict[str, list[dict]] = {}  # the agents' calls, for their speed and reliability
    for d in run_dirs:
        for c in RunStore(d).load_calls():
            if c.get("judge"):
                continue
            model = relabel(model_of(c["sample_id"]), d)
            if not c.get("preflight"):
                agents.setdefault(model, []).append(c)
            if c.get("usd") is not None:
                spent[model] = spent.get(model, 0.0) + c["usd"]
                if c.get("preflight"):
                    checks[model] = checks.get(model, 0.0) + c["usd"]
    for model, mine in by_model.items():
        recorded[model] = sum(r.usd for r in mine if r.cost_basis == "tokens" and r.usd is not None)
    for m in summary["models"]:
        m["speed"] = speed(agents.get(m["model"], []), by_model.get(m["model"], []))
        total = spent.get(m["model"])
        m["usd_spent_calls"] = None if total is None else round(total, 9)
        m["usd_preflight"] = round(checks.get(m["model"], 0.0), 9)
        m["usd_unrecorded"] = None if total is None else round(
            max(0.0, total - recorded.get(m["model"], 0.0) - m["usd_preflight"]), 9)
        if m["usd_unrecorded"]:
            warnings.append(f"{m['model']}: ${m['usd_unrecorded']:.4f} of ${total:.4f} spent (calls.jsonl) went to "
                            "samples not recorded: killed sessions and re-run infra samples")

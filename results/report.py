"""Terminal table and JSON summary of one or more run directories."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from .store import RunStore
from .summary import summarize


def load_summary(run_dirs: list[Path]) -> tuple[dict[str, Any], list[str]]:
    samples, order, warnings = [], [], []
    for d in run_dirs:
        store = RunStore(d)
        if not store.samples_path.exists() and store.read_manifest() is None:
            raise FileNotFoundError(f"{d}: not a pertask run directory (no manifest.json or samples.jsonl)")
        samples += store.load_samples()
        if store.torn_lines:
            warnings.append(f"{d}: skipped {store.torn_lines} unreadable line(s) in samples.jsonl (a cut-off write)")
        manifest = store.read_manifest()
        if manifest:
            order += [m.spec for m in manifest.models if m.spec not in order]
    summary = summarize(samples, order)
    summary["runs"] = [str(d) for d in run_dirs]
    for m in summary["models"]:
        if not m["price_known"] and m["n_scored"]:
            warnings.append(f"{m['model']}: price unknown (or usage missing): dollars are null, not 0")
    summary["warnings"] = warnings
    return summary, warnings


def _money(x: float | None) -> str:
    if x is None:
        return "null"
    return f"${x:.4f}" if x < 1 else f"${x:.2f}"


def _ci(ci: list[float] | None, fmt) -> str:
    return f"[{fmt(ci[0])}, {fmt(ci[1])}]" if ci else ""


def _tok(x: float | None) -> str:
    return "-" if x is None else f"{x:,.0f}"


def render_table(summary: dict[str, Any], console: Console | None = None) -> None:
    # Off a terminal (pipes, CI logs) rich would assume 80 columns and fold every figure.
    console = console or Console(width=None if sys.stdout.isatty() else 180)
    t = Table(title="pertask: per model (tokens, turns and wall time are means per task)")
    for col in ("model", "n", "accuracy [95% CI]", "score", "$/task [95% CI]", "$/success",
                "in uncached", "in cached", "cache write", "output", "reasoning", "turns", "wall s", "errors"):
        t.add_column(col, justify="left" if col in ("model", "errors") else "right",
                     no_wrap=col != "model", overflow="fold")
    for m in summary["models"]:
        tok = m["tokens_per_task"]
        acc = "-" if m["accuracy"] is None else f"{m['accuracy']:.0%}"
        errs = ", ".join(f"{k} {v}" for k, v in m["errors"].items() if k != "none" and v) or "-"
        t.add_row(
            m["model"], str(m["n_samples"]),
            f"{acc} {_ci(m['accuracy_ci'], lambda v: f'{v:.0%}')}",
            "-" if m["mean_score"] is None else f"{m['mean_score']:.2f}",
            f"{_money(m['usd_per_task'])} {_ci(m['usd_per_task_ci'], _money)}",
            # No success at a known price is "-"; "null" is kept for an unknown price.
            "-" if m["price_known"] and m["usd_per_success"] is None else _money(m["usd_per_success"]),
            *(_tok(tok[f]) for f in ("input_uncached", "input_cached", "cache_write", "output", "reasoning")),
            "-" if m["turns_per_task"] is None else f"{m['turns_per_task']:.1f}",
            "-" if m["wall_s_per_task"] is None else f"{m['wall_s_per_task']:.1f}",
            errs,
        )
    console.print(t)
    console.print("infra errors are retried on resume and never scored; null dollars mean an unknown price.",
                  style="dim")
    for w in summary.get("warnings", []):
        console.print(f"warning: {w}", style="yellow")


def to_json(summary: dict[str, Any]) -> str:
    return json.dumps(summary, indent=2)

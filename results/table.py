"""The terminal's per-model table. A model is shown by a short label (a letter and a short name) whenever its
full spec would not fit, with the full specs in a legend below; below WIDE columns the table splits in two
(accuracy and dollars; tokens and time), so it reads in an 80-column terminal."""

from __future__ import annotations

import re
import string
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

from .fit import fit, fits
from .fmt import ci as _ci
from .fmt import money, pct, scored, tamper

WIDE = 170  # columns the one-table layout needs with short labels
SPEC_IN_TABLE = 24  # longest spec shown as it is, without a legend


def labels(models: list[str], short: bool = False) -> dict[str, str]:
    """Each model's label: its spec when every spec is short (and `short` is not asked), else a letter and a short
    name."""
    if not short and all(len(m) <= SPEC_IN_TABLE for m in models):
        return {m: m for m in models}
    out = {}
    for i, m in enumerate(models):
        name = re.split(r"[/:@]", m.split("#")[0].rstrip("/"))[-1] or m
        letter = string.ascii_uppercase[i % 26] + ("" if i < 26 else str(i // 26))
        out[m] = f"{letter} {name[:10]}"
    return out


def _tok(x: float | None, compact: bool) -> str:
    if x is None:
        return "-"
    if compact and x >= 10_000:
        return f"{x / 1e6:.1f}M" if x >= 1e6 else f"{x / 1e3:.0f}k"
    return f"{x:,.0f}"


def _errors(m: dict[str, Any]) -> str:
    return ", ".join(f"{k} {v}" + (f" ({tamper(m)})" if k == "tampered" else "")
                     for k, v in m["errors"].items() if k != "none" and v) or "-"


def _acc(m: dict[str, Any]) -> str:
    return pct(m["accuracy"]) + _ci(m["accuracy_ci"], pct)


def _per_success(m: dict[str, Any]) -> str:
    # No success at a known price is "-"; "null" is kept for an unknown price.
    return "-" if m["price_known"] and m["usd_per_success"] is None else money(m["usd_per_success"])


def _table(title: str, cols: list[str], narrow: bool) -> Table:
    t = Table(title=title, box=box.SIMPLE_HEAD if narrow else box.HEAVY_HEAD, pad_edge=not narrow)
    for i, col in enumerate(cols):
        t.add_column(col, justify="left" if i == 0 or col == "errors" else "right", no_wrap=i == 0 or col != "errors",
                     overflow="fold", min_width=len(col) if narrow else None)
    return t


def _tables(models: list[dict[str, Any]], label: dict[str, str], narrow: bool) -> list[Table]:
    fields = ("input_uncached", "input_cached", "cache_write", "output", "reasoning")
    if not narrow:
        t = _table("pertask: per model (tokens, turns and wall time are means per task)",
                   ["model", "scored", "accuracy [95% CI]", "tampered", "score", "$/task [95% CI]", "$/success",
                    "in uncached", "in cached", "cache write", "output", "reasoning", "turns", "wall s", "errors"], False)
        for m in models:
            tok = m["tokens_per_task"]
            t.add_row(label[m["model"]], scored(m), _acc(m), tamper(m),
                      "-" if m["mean_score"] is None else f"{m['mean_score']:.2f}",
                      money(m["usd_per_task"]) + _ci(m["usd_per_task_ci"], money), _per_success(m),
                      *(_tok(tok[f], False) for f in fields),
                      "-" if m["turns_per_task"] is None else f"{m['turns_per_task']:.1f}",
                      "-" if m["wall_s_per_task"] is None else f"{m['wall_s_per_task']:.1f}", _errors(m))
        return [t]
    short = lambda v: money(v).removeprefix("$")  # noqa: E731 (inside the brackets the $ is said once)
    a = _table("pertask: per model, accuracy and dollars", ["model", "scored", "accuracy [95% CI]",
                                                           "$/task [95% CI]", "errors"], True)
    for m in models:
        a.add_row(label[m["model"]], scored(m), _acc(m), money(m["usd_per_task"]) + _ci(m["usd_per_task_ci"], short),
                  _errors(m))
    b = _table("per model, tokens and time (means per task)",
               ["model", "in", "cached", "write", "out", "reason", "turns", "wall", "$/succ"], True)
    for m in models:
        tok = m["tokens_per_task"]
        b.add_row(label[m["model"]], *(_tok(tok[f], True) for f in fields),
                  "-" if m["turns_per_task"] is None else f"{m['turns_per_task']:.1f}",
                  "-" if m["wall_s_per_task"] is None else f"{m['wall_s_per_task']:.0f}", _per_success(m))
    return [a, b]


def render_models(summary: dict[str, Any], console: Console) -> None:
    models = summary["models"]
    names = [m["model"] for m in models]
    narrow = console.width < WIDE
    label = labels(names)
    tables = _tables(models, label, narrow)
    if not all(fits(t, console) for t in tables):  # letters and short names, with a legend, before a block per row
        label = labels(names, short=True)
        tables = _tables(models, label, narrow)
    for t in tables:
        console.print(fit(t, console))
    if narrow:
        console.print("in: uncached input; write: cache writes; reason: reasoning (in out); wall: s",
                      style="dim", highlight=False)
    for spec, lab in label.items():
        if lab != spec:
            console.print(f"  {lab.split()[0]} = {spec}", highlight=False, soft_wrap=True)

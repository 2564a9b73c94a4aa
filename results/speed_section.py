"""The speed and reliability figures (results/speed.py) as each report format writes them: one row per model, the
same cells for the terminal, Markdown and HTML (a figure with its 95% interval in brackets), and flat numeric
columns for CSV (an interval's ends as `_low`/`_high`)."""

from __future__ import annotations

from typing import Any

from .fit import fit
from .fmt import ci

HEAD = ["model", "calls", "latency p50 s", "latency p95 s", "TTFT p50 s", "out tok/s p50", "retries /100",
        "cut off /100", "refused /100", "bad tool calls /100"]
TITLE = "speed and reliability (per call; [95% interval] over samples)"


def _s(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}" if x < 100 else f"{x:,.0f}"


def _q(block: dict | None, q: str, intervals: bool) -> str:
    if not block:
        return "-"
    return _s(block[q]) + (ci(block.get(f"{q}_ci"), _s) if intervals else "")


def _rate(block: dict | None, intervals: bool) -> str:
    if not block or block.get("per_100") is None:
        return "-"
    return f"{block['per_100']:.1f}" + (ci(block.get("ci"), lambda v: f"{v:.1f}") if intervals else "")


def rows(summary: dict[str, Any], intervals: bool = True) -> list[list[str]]:
    out = []
    for m in summary["models"]:
        sp = m.get("speed")
        if not sp:
            continue
        out.append([m["model"], f"{sp['calls']:,}", _q(sp["latency_s"], "p50", intervals),
                    _q(sp["latency_s"], "p95", intervals), _q(sp["ttft_s"], "p50", intervals),
                    _q(sp["output_tok_s"], "p50", intervals), _rate(sp["retries"], intervals),
                    _rate(sp["cut_off"], intervals), _rate(sp["refused"], intervals),
                    _rate(sp.get("bad_tool_calls"), intervals)])
    return out


def notes(summary: dict[str, Any]) -> list[str]:
    """What the table's cells leave out: each model's retries by cause and its wait on rate limits."""
    out = []
    for m in summary["models"]:
        sp = m.get("speed") or {}
        if sp.get("retries_by_cause") or sp.get("rate_limit_wait_s"):
            causes = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in sp["retries_by_cause"].items())
            out.append(f"{m['model']}: retried {causes or 'nothing'}; {sp['rate_limit_wait_s']:.1f} s waiting out "
                       "rate limits")
    return out


def numeric(m: dict[str, Any]) -> dict[str, Any]:
    """A model's figures as CSV columns."""
    sp = m.get("speed")
    if not sp:
        return {}
    out: dict[str, Any] = {"calls": sp["calls"]}
    for name in ("latency_s", "ttft_s", "output_tok_s"):
        for q in ("p50", "p95"):
            block = sp.get(name) or {}
            low, high = block.get(f"{q}_ci") or [None, None]
            out |= {f"{name}_{q}": block.get(q), f"{name}_{q}_low": low, f"{name}_{q}_high": high}
    for name in ("retries", "cut_off", "refused", "bad_tool_calls"):
        block = sp.get(name) or {}
        low, high = block.get("ci") or [None, None]
        out |= {f"{name}_per_100": block.get("per_100"), f"{name}_per_100_low": low, f"{name}_per_100_high": high}
    return out | {f"retries_{k}": n for k, n in sp["retries_by_cause"].items()} | \
        {"rate_limit_wait_s": sp["rate_limit_wait_s"]}


def render(summary: dict[str, Any], console: Any) -> None:
    """The terminal's table: point figures (the intervals are in --json, Markdown, CSV and HTML), notes below."""
    from rich.table import Table

    body = rows(summary, intervals=False)
    if not body:
        return
    t = Table(title=TITLE.replace("; [95% interval] over samples", ""))
    for col in HEAD:
        t.add_column(col, justify="left" if col == "model" else "right", overflow="fold")
    for r in body:
        t.add_row(*r)
    console.print(fit(t, console))
    for line in notes(summary):
        console.print(line, highlight=False, style="dim")

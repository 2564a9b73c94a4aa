"""What `pertask probe` prints (providers/probe_run.py runs it): the fidelity probe's table and each model's concerns,
or the concurrency sweep's steps per model."""

from __future__ import annotations

from typing import Any

from .fit import fit


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
            console.print(fit(t, console))
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
                  "ref" if "agreement" not in r else pct(r["agreement"]), str(r["empty"]), str(r["cut_off"]),
                  money(r["usd"]), f"{r['wall_s']:.1f}")
    console.print(fit(t, console))
    for r in out["models"]:
        console.print(f"{r['model']}: " + ("; ".join(r["concerns"]) if r["concerns"] else "no concern"),
                      highlight=False, style="yellow" if r["concerns"] else "green")


def _s(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"

"""What the agents read, per task: of the task's source files and their tokens, how many the sample's commands
opened (records' `reading`, from the bwrap sandbox's trace), the median over a model's samples of the task."""

from __future__ import annotations

from statistics import median
from typing import Any

from rich.console import Console
from rich.table import Table

from .fit import fit
from .table import labels


def reading_rows(samples: list) -> list[dict[str, Any]]:
    by: dict[tuple[str, str], list] = {}
    for s in samples:
        if s.reading is not None:
            by.setdefault((s.model, s.task_id), []).append(s.reading)
    rows = []
    for (model, task), rs in sorted(by.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        opened, tokens = median(r.opened for r in rs), median(r.tokens_opened for r in rs)
        rows.append({"model": model, "task": task, "samples": len(rs), "files_opened": opened,
                     "files": rs[-1].sources, "tokens_opened": tokens, "tokens": rs[-1].tokens,
                     "share_of_tokens": round(tokens / rs[-1].tokens, 4) if rs[-1].tokens else None,
                     "needed_opened": median(r.needed_opened for r in rs), "needed": rs[-1].needed})
    return rows


def render_reading(summary: dict[str, Any], console: Console) -> None:
    rows = summary.get("reading") or []
    if not rows:
        return
    t = Table(title="What the agent opened of each task's sources (median over samples; grep -r opens all it "
                    "searches; ~4 bytes a token; needed: the files its rubric checks name)")
    for col in ("task", "model", "files opened", "of", "~tokens opened", "of", "share", "needed opened"):
        t.add_column(col, justify="left" if col in ("task", "model") else "right")
    short = labels([m["model"] for m in summary["models"]])  # the per-model table's labels, in its legend
    for r in rows:
        share = "-" if r["share_of_tokens"] is None else f"{r['share_of_tokens']:.1%}"
        t.add_row(r["task"], short.get(r["model"], r["model"]), f"{r['files_opened']:g}", str(r["files"]), f"{r['tokens_opened']:,.0f}",
                  f"{r['tokens']:,}", share, f"{r['needed_opened']:g} of {r['needed']}" if r["needed"] else "-")
    console.print(fit(t, console))

"""Markdown tables, for reports pasted into a wiki or a pull request."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from .csv_writer import columns_of
from .format import to_text


def _cell(value) -> str:
    # A pipe would end the cell early and a newline the row: both are escaped, not dropped.
    return to_text(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def render_markdown(rows, columns: list[str] | None = None, max_rows: int | None = None) -> str:
    cols = columns or columns_of(rows)
    if not cols:
        return ""
    numeric = {c for c in cols if rows and all(isinstance(r.get(c), (int, float, Decimal)) and
                                               not isinstance(r.get(c), bool) for r in rows if r.get(c) is not None)
               and any(r.get(c) is not None for r in rows)}
    shown = rows if max_rows is None else rows[:max_rows]
    lines = ["| " + " | ".join(_cell(c) for c in cols) + " |",
             "|" + "|".join("---:" if c in numeric else "---" for c in cols) + "|"]
    for r in shown:
        lines.append("| " + " | ".join(_cell(r.get(c)) for c in cols) + " |")
    if max_rows is not None and len(rows) > max_rows:
        lines.append(f"\n_{len(rows) - max_rows} more rows not shown._")
    return "\n".join(lines) + "\n"


def write_markdown(rows, path: Path, columns: list[str] | None = None, max_rows: int | None = None) -> None:
    path.write_text(render_markdown(rows, columns, max_rows), encoding="utf-8")

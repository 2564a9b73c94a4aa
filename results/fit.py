"""Tables that read at any width. A table is printed as it is where its natural width fits the console; where it
does not, rich would squeeze its columns until figures break across lines or drop off the edge. Then each row is
printed as a block instead: its first cell as a heading, the other cells as "column: value" pairs filled into lines
of the console's width, a pair never split unless it is wider than a line by itself. No figure is ever cut."""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

GAP = "   "  # between two pairs on one line


def width() -> int:
    """The columns a table or listing takes: the terminal's, else $COLUMNS (a pipe), else 200 (a log is not folded
    at 80)."""
    if sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return int(os.environ.get("COLUMNS") or 200)


def _plain(cell: Any) -> str:
    if isinstance(cell, Text):
        return cell.plain
    return "" if cell is None else str(cell)


def _lines(pairs: list[str], width: int, indent: str = "  ") -> list[str]:
    """Pairs filled greedily into lines of at most `width` columns, each line indented; a pair longer than a line
    folds at its spaces, its continuation indented under it."""
    out, line = [], ""
    for pair in pairs:
        if line and len(indent) + len(line) + len(GAP) + len(pair) <= width:
            line += GAP + pair
            continue
        if line:
            out.append(indent + line)
        line = pair
        if len(indent) + len(pair) > width:
            out.extend(textwrap.wrap(pair, width, initial_indent=indent, subsequent_indent=indent + "  ",
                                     break_on_hyphens=False))
            line = ""
    if line:
        out.append(indent + line)
    return out


def fold(line: str, width: int) -> list[str]:
    """A line of a listing at most `width` columns wide: folded at its spaces, the rest indented under its start."""
    if len(line) <= width:
        return [line]
    indent = " " * (len(line) - len(line.lstrip()) + 2)
    return textwrap.wrap(line, width, subsequent_indent=indent, break_on_hyphens=False)


def fits(table: Table, console: Console) -> bool:
    # Measured against room without end: rich's own measure is clamped to the room it is given.
    return Measurement.get(console, console.options.update_width(100_000), table).maximum <= console.width


def stacked(table: Table, width: int) -> list[str]:
    """The table as plain lines of at most `width` columns (a pair wider than a line folds by itself)."""
    heads = [" ".join(_plain(c.header).split()) for c in table.columns]
    cells = [list(c._cells) for c in table.columns]  # rich keeps a column's cells in order, one per row
    out = [_plain(table.title)] if table.title else []
    for r in range(table.row_count):
        row = [_plain(col[r]) if r < len(col) else "" for col in cells]
        out.append(row[0])
        pairs = [f"{h}: {' '.join(v.split())}" for h, v in zip(heads[1:], row[1:], strict=True) if v.strip()]
        out.extend(_lines(pairs, width))
    if table.caption:
        out.append(_plain(table.caption))
    return out


def fit(table: Table, console: Console) -> RenderableType:
    """The table where it fits the console, else its rows as blocks (see the module's docstring)."""
    if fits(table, console):
        return table
    lines = stacked(table, console.width)
    head = 1 if table.title else 0
    return Group(*(Text(x, style="bold" if i < head else "") for i, x in enumerate(lines)))

"""A data-quality report of a file, in Markdown: what a reviewer reads before trusting a feed.

For each column: the guessed type, empty cells, distinct values, the smallest and largest value
(by the guessed type, so "10" sorts after "9"), the most common values, and warnings — a column
that is almost always empty, one whose values are all distinct (an identifier?) or all the same
(a constant), and text values with leading or trailing spaces.

    python -m tabula report orders.csv > orders-report.md
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .inspect import guess_type
from .schema import TYPES, _is_empty

MOSTLY_EMPTY = 0.9


@dataclass
class ColumnReport:
    name: str
    type: str
    rows: int
    empty: int
    distinct: int
    smallest: object = None
    largest: object = None
    top: list[tuple[str, int]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def column_report(name: str, values: list, top_n: int = 3) -> ColumnReport:
    kind = guess_type(values)
    present = [str(v) for v in values if v is not None and not _is_empty(str(v))]
    counts = Counter(present)
    rep = ColumnReport(name, kind, len(values), len(values) - len(present), len(counts),
                       top=counts.most_common(top_n))
    if present:
        typed = [TYPES[kind](v) for v in present] if kind != "str" else present
        rep.smallest, rep.largest = min(typed), max(typed)
    if values and rep.empty / len(values) >= MOSTLY_EMPTY:
        rep.warnings.append(f"{rep.empty} of {len(values)} cells empty")
    if len(present) > 1 and rep.distinct == len(present):
        rep.warnings.append("every value distinct (an identifier?)")
    if len(present) > 1 and rep.distinct == 1:
        rep.warnings.append("one value throughout (a constant?)")
    padded = sum(1 for v in present if v != v.strip())
    if padded:
        rep.warnings.append(f"{padded} value(s) with leading or trailing spaces")
    return rep


def build_report(rows: list[dict]) -> list[ColumnReport]:
    columns: dict[str, list] = {}
    for r in rows:
        for k, v in r.items():
            columns.setdefault(k, []).append(v)
    return [column_report(name, values) for name, values in columns.items()]


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return text.replace("|", "\\|")


def render(title: str, reports: list[ColumnReport]) -> str:
    rows = reports[0].rows if reports else 0
    lines = [f"# {title}", "", f"{rows} rows, {len(reports)} columns.", "",
             "| column | type | empty | distinct | smallest | largest | most common |",
             "|---|---|---:|---:|---|---|---|"]
    for r in reports:
        common = ", ".join(f"{_cell(v)} ({n})" for v, n in r.top)
        lines.append(f"| {_cell(r.name)} | {r.type} | {r.empty} | {r.distinct} | {_cell(r.smallest)} | "
                     f"{_cell(r.largest)} | {common} |")
    warnings = [(r.name, w) for r in reports for w in r.warnings]
    if warnings:
        lines += ["", "## Warnings", ""] + [f"- `{name}`: {w}" for name, w in warnings]
    return "\n".join(lines) + "\n"

"""Pivot tables: one row per value of `index`, one column per value of `columns`, cells aggregated.

    pivot(rows, index="region", columns="quarter", values="amount", agg="sum")
    -> [{"region": "EU", "Q1": Decimal("120"), "Q2": Decimal("80"), "total": Decimal("200")}, ...]

Missing combinations are None, not 0: "no sales recorded" and "sales of zero" are different facts.
Column order follows first appearance unless `sort_columns` is set; a `total` column and row are
added on request (margins), computed from the raw values rather than from the cells, so a mean's
total is the mean of everything, not the mean of means.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from statistics import mean, median

from .errors import PipelineError

AGGREGATES: dict[str, Callable[[list], object]] = {
    "sum": lambda xs: sum(xs, Decimal(0)) if any(isinstance(x, Decimal) for x in xs) else sum(xs),
    "count": len,
    "mean": mean,
    "median": median,
    "min": min,
    "max": max,
    "first": lambda xs: xs[0],
    "last": lambda xs: xs[-1],
}


def pivot(rows: list[dict], index: str, columns: str, values: str, agg: str = "sum",
          margins: bool = False, sort_columns: bool = False, total_label: str = "total") -> list[dict]:
    if agg not in AGGREGATES:
        raise PipelineError(f"pivot: unknown aggregate '{agg}' (known: {', '.join(AGGREGATES)})")
    for name in (index, columns, values):
        if rows and all(name not in r for r in rows):
            raise PipelineError(f"pivot: no column '{name}'")
    fn = AGGREGATES[agg]
    cells: dict[tuple, list] = {}
    row_keys: dict[object, None] = {}
    col_keys: dict[object, None] = {}
    for r in rows:
        value = r.get(values)
        if value is None:
            continue  # an empty cell is not a zero
        key, col = r.get(index), r.get(columns)
        row_keys.setdefault(key, None)
        col_keys.setdefault(col, None)
        cells.setdefault((key, col), []).append(value)
    cols = sorted(col_keys, key=lambda c: (c is None, str(c))) if sort_columns else list(col_keys)
    if margins and total_label in {str(c) for c in cols}:
        raise PipelineError(f"pivot: a column is already called '{total_label}'")
    out = []
    for key in row_keys:
        row = {index: key}
        for col in cols:
            xs = cells.get((key, col))
            row[str(col)] = fn(xs) if xs else None
        if margins:
            everything = [v for col in cols for v in cells.get((key, col), [])]
            row[total_label] = fn(everything) if everything else None
        out.append(row)
    if margins:
        total = {index: total_label}
        for col in cols:
            xs = [v for key in row_keys for v in cells.get((key, col), [])]
            total[str(col)] = fn(xs) if xs else None
        every = [v for xs in cells.values() for v in xs]
        total[total_label] = fn(every) if every else None
        out.append(total)
    return out

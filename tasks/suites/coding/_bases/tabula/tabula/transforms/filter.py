from __future__ import annotations

from ..expr import Expression


def filter_rows(rows, where: str):
    """Keep the rows for which `where` is true; a comparison with an empty cell is false."""
    expr = Expression(where)
    return [r for r in rows if expr.evaluate(r)]

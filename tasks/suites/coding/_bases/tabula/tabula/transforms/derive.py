from __future__ import annotations

from ..errors import PipelineError
from ..expr import Expression


def derive(rows, column: str, expr: str):
    """Add (or overwrite) `column` with the value of `expr` on each row."""
    e = Expression(expr)
    return [{**r, column: e.evaluate(r)} for r in rows]


def rename(rows, columns: dict[str, str]):
    out = []
    for r in rows:
        missing = [c for c in columns if c not in r]
        if missing:
            raise PipelineError(f"rename: unknown column(s) {', '.join(missing)}")
        out.append({columns.get(k, k): v for k, v in r.items()})
    return out


def select(rows, columns: list[str]):
    return [{c: r.get(c) for c in columns} for r in rows]

from __future__ import annotations


def sort_rows(rows, by: list[str], descending: bool = False):
    """Stable sort; empty cells go last whichever the direction."""
    out = list(rows)
    for col in reversed(by):
        present = [r for r in out if r.get(col) is not None]
        empty = [r for r in out if r.get(col) is None]
        present.sort(key=lambda r: r[col], reverse=descending)
        out = present + empty
    return out

"""join: enrich each row with the matching row of another table."""

from __future__ import annotations

from ..errors import PipelineError


def join(rows, other, on: list[str] | str, how: str = "left"):
    on = [on] if isinstance(on, str) else list(on)
    if how not in ("left", "inner"):
        raise PipelineError(f"join: how must be 'left' or 'inner', not {how!r}")
    index: dict[tuple, dict] = {}
    for r in other:
        key = tuple(r.get(c) for c in on)
        if key in index:
            raise PipelineError(f"join: key {dict(zip(on, key))} appears more than once in the other table")
        index[key] = r
    other_cols = [c for c in dict.fromkeys(k for r in other for k in r) if c not in on]
    out = []
    for r in rows:
        match = index.get(tuple(r.get(c) for c in on))
        if match is None and how == "inner":
            continue
        merged = dict(r)
        for c in other_cols:
            merged[f"{c}_right" if c in r else c] = None if match is None else match.get(c)
        out.append(merged)
    return out

"""Group rows and reduce columns: sum, mean, min, max, count."""

from __future__ import annotations

from decimal import Decimal

from ..errors import PipelineError


def _sum(values):
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def _mean(values):
    present = [v for v in values if v is not None]
    if not present:
        return None
    return Decimal(sum(present, Decimal(0))) / len(present)


def _min(values):
    present = [v for v in values if v is not None]
    return min(present) if present else None


def _max(values):
    present = [v for v in values if v is not None]
    return max(present) if present else None


REDUCERS = {"sum": _sum, "mean": _mean, "min": _min, "max": _max}


def aggregate(rows, by: list[str], count: bool = True, **reductions):
    """One row per distinct value of the `by` columns, in first-seen order.

    Each keyword (sum=[...], mean=[...], ...) names the columns to reduce; the
    result column is `<column>_<reducer>`. `count` adds `n`, the group's size.
    """
    unknown = set(reductions) - set(REDUCERS)
    if unknown:
        raise PipelineError(f"aggregate: unknown reducer(s) {', '.join(sorted(unknown))}")
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        groups.setdefault(tuple(r.get(c) for c in by), []).append(r)
    out = []
    for key, members in groups.items():
        row = dict(zip(by, key))
        if count:
            row["n"] = len(members)
        for reducer, columns in reductions.items():
            for col in columns:
                row[f"{col}_{reducer}"] = REDUCERS[reducer]([m.get(col) for m in members])
        out.append(row)
    return out

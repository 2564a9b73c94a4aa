from __future__ import annotations


def _key(row, on):
    return tuple(row.get(c) for c in on) if on else tuple(sorted(row.items()))


def dedupe(rows, on: list[str] | None = None, keep: str = "first"):
    """Drop repeated rows: equal on the columns `on` (all columns when not given).

    keep = "first" keeps the first row of each key, "last" the last one; the
    kept rows stay in the order in which their key first appeared.
    """
    if keep not in ("first", "last"):
        raise ValueError("keep must be 'first' or 'last'")
    order: list[tuple] = []
    chosen: dict[tuple, dict] = {}
    for r in rows:
        k = _key(r, on)
        if k not in chosen:
            order.append(k)
            chosen[k] = r
        elif keep == "last":
            chosen[k] = r
    return [chosen[k] for k in order]

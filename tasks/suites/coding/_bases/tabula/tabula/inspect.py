"""`tabula inspect FILE`: columns, a guess at each column's type, and empty-cell counts."""

from __future__ import annotations

from .schema import TYPES, _is_empty


def guess_type(values: list[str]) -> str:
    present = [v for v in values if v is not None and not _is_empty(str(v))]
    if not present:
        return "str"
    for name in ("int", "decimal", "date", "bool"):
        try:
            for v in present:
                TYPES[name](str(v))
        except Exception:
            continue
        return name
    return "str"


def profile(rows) -> list[dict]:
    cols: dict[str, list] = {}
    for r in rows:
        for k, v in r.items():
            cols.setdefault(k, []).append(v)
    out = []
    for name, values in cols.items():
        empty = sum(1 for v in values if v is None or _is_empty(str(v)))
        out.append({"column": name, "type": guess_type(values), "empty": empty, "rows": len(values)})
    return out

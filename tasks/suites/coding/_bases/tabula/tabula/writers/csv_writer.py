from __future__ import annotations

import csv
from pathlib import Path

from .format import to_text


def columns_of(rows) -> list[str]:
    seen: dict[str, None] = {}
    for r in rows:
        for k in r:
            seen.setdefault(k, None)
    return list(seen)


def write_csv(rows, path: Path, delimiter: str = ",") -> None:
    cols = columns_of(rows)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerow(cols)
        for r in rows:
            w.writerow([to_text(r.get(c)) for c in cols])

"""Stocktakes: count what is on the shelves, compare with the books, and correct the books.

1. `count_sheet(inv, "MAIN")` writes a CSV with one line per product: sku, name, expected, counted
   (empty). People fill in `counted` on the floor.
2. `apply_counts(inv, "MAIN", path)` reads it back and, in one transaction, records an adjustment
   movement for every difference (reference "stocktake YYYY-MM-DD"). Lines left empty are skipped,
   not taken as zero: "not counted" is not "none there". A bad line refuses the whole sheet.
3. The returned variances say what changed, in units and in money.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .errors import StockError
from .service import Inventory

COLUMNS = ["sku", "name", "expected", "counted"]


@dataclass(frozen=True)
class Variance:
    sku: str
    expected: int
    counted: int
    unit_cost_cents: int

    @property
    def difference(self) -> int:
        return self.counted - self.expected

    @property
    def value_cents(self) -> int:
        return self.difference * self.unit_cost_cents


def count_sheet(inv: Inventory, warehouse: str, path: str | Path) -> int:
    """Write the sheet; returns the number of lines. Products with no stock there are listed too:
    goods that the books think are elsewhere are found this way."""
    w = inv.repo.warehouse(warehouse.upper())
    lines = 0
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(COLUMNS)
        for p in inv.repo.products():
            out.writerow([p.sku, p.name, inv.repo.quantity(p.id, w.id), ""])
            lines += 1
    return lines


def read_counts(path: str | Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = set(COLUMNS) - set(reader.fieldnames or [])
        if missing:
            raise StockError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        for n, row in enumerate(reader, 2):
            text = (row.get("counted") or "").strip()
            if not text:
                continue
            if not text.isdigit():
                raise StockError(f"{path}, line {n}: counted must be a whole number >= 0, not {text!r}")
            sku = row["sku"].strip().upper()
            if sku in counts:
                raise StockError(f"{path}, line {n}: {sku} is counted twice")
            counts[sku] = int(text)
    return counts


def apply_counts(inv: Inventory, warehouse: str, path: str | Path, today: dt.date | None = None) -> list[Variance]:
    counts = read_counts(path)
    reference = f"stocktake {(today or dt.date.today()).isoformat()}"
    variances = []
    with inv.repo.transaction():
        w = inv.repo.warehouse(warehouse.upper())
        for sku, counted in counts.items():
            p = inv.repo.product(sku)
            expected = inv.repo.quantity(p.id, w.id)
            if counted != expected:
                inv.repo.change_stock(p.id, w.id, counted - expected, "adjustment", reference)
                variances.append(Variance(sku, expected, counted, p.unit_cost_cents))
    return sorted(variances, key=lambda v: -abs(v.value_cents))


def summary(variances: list[Variance]) -> str:
    gained = sum(v.value_cents for v in variances if v.value_cents > 0)
    lost = -sum(v.value_cents for v in variances if v.value_cents < 0)
    return (f"{len(variances)} product(s) adjusted; found {gained / 100:.2f}, lost {lost / 100:.2f}, "
            f"net {(gained - lost) / 100:+.2f}")

"""Import products and opening stock from CSV: sku,name,reorder_level,unit_cost,warehouse,quantity."""

from __future__ import annotations

import csv
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .errors import StockError
from .service import Inventory


def _cents(text: str, line: int) -> int:
    try:
        return int((Decimal(text.strip() or "0") * 100).quantize(Decimal(1)))
    except InvalidOperation:
        raise StockError(f"line {line}: unit_cost {text!r} is not a number") from None


def import_csv(inv: Inventory, path: str | Path) -> dict[str, int]:
    """All or nothing: one bad line and nothing is imported."""
    counts = {"products": 0, "receipts": 0}
    with open(path, newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    for n, row in enumerate(rows, start=2):
        sku = (row.get("sku") or "").strip().upper()
        if not sku:
            raise StockError(f"line {n}: sku is empty")
        try:
            inv.repo.product(sku)
        except StockError:
            inv.add_product(sku, row.get("name") or sku, int(row.get("reorder_level") or 0),
                            _cents(row.get("unit_cost") or "0", n))
            counts["products"] += 1
        qty = int(row.get("quantity") or 0)
        if qty:
            inv.receive(sku, row["warehouse"], qty, reference=f"import:{Path(path).name}:{n}")
            counts["receipts"] += 1
    return counts

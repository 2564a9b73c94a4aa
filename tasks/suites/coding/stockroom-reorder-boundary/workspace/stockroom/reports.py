"""Reports: stock value per warehouse, and what to reorder."""

from __future__ import annotations

from collections import defaultdict

from .service import Inventory


def inventory_report(inv: Inventory) -> list[dict]:
    """One row per product: total on hand across warehouses, per-warehouse split, and value."""
    repo = inv.repo
    rows = []
    by_product: dict[str, dict[str, int]] = defaultdict(dict)
    for line in repo.stock_rows():
        by_product[line["sku"]][line["warehouse"]] = line["quantity"]
    for p in repo.products():
        split = by_product.get(p.sku, {})
        total = sum(split.values())
        rows.append({"sku": p.sku, "name": p.name, "total": total, "by_warehouse": split,
                     "value_cents": total * p.unit_cost_cents, "reorder": total < p.reorder_level})
    return rows


def reorder_list(inv: Inventory) -> list[dict]:
    """Products whose total stock is at or below their reorder level, most urgent first."""
    rows = [r for r in inventory_report(inv) if r["reorder"]]
    levels = {p.sku: p.reorder_level for p in inv.repo.products()}
    for r in rows:
        r["short_by"] = levels[r["sku"]] - r["total"]
    return sorted(rows, key=lambda r: (-r["short_by"], r["sku"]))


def format_cents(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100:,}.{cents % 100:02d}"

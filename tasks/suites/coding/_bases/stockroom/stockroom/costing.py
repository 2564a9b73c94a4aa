"""Weighted-average cost from purchase-order receipts.

The product's standard cost (`unit_cost_cents`) is what the catalogue says; what stock really cost
is what was paid. Each receipt against a purchase order moves the average: new average =
(units on hand × old average + units received × price) ÷ (units on hand + units received).
Shipments do not change the average, only the units it applies to. Costs are kept in whole
cents, rounded half up, as accountants expect.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class CostPoint:
    at: str
    units_after: int
    average_cents: int


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def average_cost_history(conn: sqlite3.Connection, sku: str) -> list[CostPoint]:
    """The average after each movement of the product (all warehouses together)."""
    rows = conn.execute("""
        SELECT m.at, m.delta, m.kind, l.unit_cost_cents
        FROM movements m JOIN products p ON p.id = m.product_id
        LEFT JOIN purchase_orders o ON o.number = m.reference
        LEFT JOIN purchase_lines l ON l.order_id = o.id AND l.product_id = m.product_id
        WHERE p.sku = ? ORDER BY m.at, m.id
    """, (sku.upper(),)).fetchall()
    units, average, out = 0, Decimal(0), []
    for at, delta, kind, price in rows:
        # Only priced receipts move the average; a receipt without a purchase order keeps the last one.
        if delta > 0 and kind == "receipt" and price is not None and units + delta > 0:
            average = (max(units, 0) * average + delta * Decimal(price)) / (max(units, 0) + delta)
        units += delta
        out.append(CostPoint(at, units, _round(average)))
    return out


def average_cost(conn: sqlite3.Connection, sku: str) -> int | None:
    """The current average in cents, or None if no priced receipt exists yet."""
    history = average_cost_history(conn, sku)
    priced = any(True for _ in conn.execute(
        "SELECT 1 FROM movements m JOIN products p ON p.id = m.product_id JOIN purchase_orders o "
        "ON o.number = m.reference WHERE p.sku = ? AND m.kind = 'receipt' LIMIT 1", (sku.upper(),)))
    return history[-1].average_cents if history and priced else None


def inventory_value(conn: sqlite3.Connection) -> dict[str, int]:
    """Units on hand × average cost (standard cost where no receipt was priced), per SKU, in cents."""
    out = {}
    for sku, on_hand, standard in conn.execute(
            "SELECT p.sku, COALESCE(SUM(s.quantity), 0), p.unit_cost_cents FROM products p "
            "LEFT JOIN stock s ON s.product_id = p.id GROUP BY p.id ORDER BY p.sku"):
        avg = average_cost(conn, sku)
        out[sku] = on_hand * (standard if avg is None else avg)
    return out

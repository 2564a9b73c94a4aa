"""Stock aging and value: how long has stock sat on the shelf, and what is it worth?

Age is counted FIFO: the units on hand are taken to be the most recently received ones, so a
product that receives 10 units every week and sells 10 has young stock, even if the first receipt
was years ago. Value is at the product's standard unit cost.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

BUCKETS = ((30, "0-30 days"), (90, "31-90 days"), (180, "91-180 days"), (None, "over 180 days"))


@dataclass(frozen=True)
class AgedStock:
    sku: str
    warehouse: str
    quantity: int
    value_cents: int
    by_bucket: dict[str, int]  # bucket label -> units

    @property
    def oldest_bucket(self) -> str | None:
        for _, label in reversed(BUCKETS):
            if self.by_bucket.get(label):
                return label
        return None


def bucket(days: int) -> str:
    for limit, label in BUCKETS:
        if limit is None or days <= limit:
            return label
    raise AssertionError("unreachable")


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text[:10])


def age_stock(conn: sqlite3.Connection, today: dt.date | None = None) -> list[AgedStock]:
    today = today or dt.date.today()
    lines = conn.execute("""
        SELECT p.id AS pid, w.id AS wid, p.sku, w.code, s.quantity, p.unit_cost_cents
        FROM stock s JOIN products p ON p.id = s.product_id JOIN warehouses w ON w.id = s.warehouse_id
        WHERE s.quantity > 0 ORDER BY p.sku, w.code
    """).fetchall()
    out = []
    for line in lines:
        receipts = conn.execute(
            "SELECT delta, at FROM movements WHERE product_id = ? AND warehouse_id = ? AND delta > 0 "
            "ORDER BY at DESC, id DESC", (line["pid"], line["wid"])).fetchall()
        left, buckets = line["quantity"], {}
        for r in receipts:  # newest first: FIFO means what is left is what came last
            take = min(left, r["delta"])
            label = bucket((today - _day(r["at"])).days)
            buckets[label] = buckets.get(label, 0) + take
            left -= take
            if not left:
                break
        if left:  # stock with no receipt behind it (an opening balance): as old as it gets
            buckets[BUCKETS[-1][1]] = buckets.get(BUCKETS[-1][1], 0) + left
        out.append(AgedStock(line["sku"], line["code"], line["quantity"],
                             line["quantity"] * line["unit_cost_cents"], buckets))
    return out


def value_by_warehouse(aged: list[AgedStock]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for a in aged:
        totals[a.warehouse] = totals.get(a.warehouse, 0) + a.value_cents
    return dict(sorted(totals.items()))

"""Bin locations inside a warehouse: where on the shelves each unit is, and the order to pick them.

Bin codes are aisle-rack-shelf (`A-03-2`). Put-away fills bins that already hold the product first
(fewer places to look), then empty bins nearest the front; picking walks the aisles in order,
snaking (up one aisle, down the next) as pickers do, and takes from the fullest bin last so that
small remainders are cleared first.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from .errors import StockError
from .service import Inventory

CODE = re.compile(r"^([A-Z])-(\d{2})-(\d)$")


@dataclass(frozen=True)
class Pick:
    bin: str
    sku: str
    quantity: int


def parse_code(code: str) -> tuple[str, int, int]:
    m = CODE.match(code.strip().upper())
    if not m:
        raise StockError(f"bin code {code!r}: expected aisle-rack-shelf, like A-03-2")
    return m.group(1), int(m.group(2)), int(m.group(3))


def walk_order(code: str) -> tuple[int, int, int]:
    """Sort key for a snake path: racks ascend in even aisles (A, C, ...) and descend in odd ones."""
    aisle, rack, shelf = parse_code(code)
    index = ord(aisle) - ord("A")
    return index, rack if index % 2 == 0 else -rack, shelf


class Locations:
    def __init__(self, inventory: Inventory):
        self.repo = inventory.repo
        self.conn: sqlite3.Connection = inventory.repo.conn

    def add_bin(self, warehouse: str, code: str, capacity: int) -> None:
        parse_code(code)
        w = self.repo.warehouse(warehouse.upper())
        try:
            self.conn.execute("INSERT INTO bins (warehouse_id, code, capacity) VALUES (?, ?, ?)",
                              (w.id, code.strip().upper(), capacity))
        except sqlite3.IntegrityError as exc:
            raise StockError(f"bin {code} at {w.code}: {exc}") from None

    def _bins(self, warehouse_id: int) -> list[sqlite3.Row]:
        rows = self.conn.execute(
            "SELECT b.id, b.code, b.capacity, COALESCE(SUM(s.quantity), 0) AS used FROM bins b "
            "LEFT JOIN bin_stock s ON s.bin_id = b.id WHERE b.warehouse_id = ? GROUP BY b.id", (warehouse_id,))
        return sorted(rows, key=lambda r: walk_order(r["code"]))

    def contents(self, warehouse: str, sku: str) -> dict[str, int]:
        w, p = self.repo.warehouse(warehouse.upper()), self.repo.product(sku.upper())
        rows = self.conn.execute("SELECT b.code, s.quantity FROM bin_stock s JOIN bins b ON b.id = s.bin_id "
                                 "WHERE b.warehouse_id = ? AND s.product_id = ?", (w.id, p.id))
        return dict(sorted(((c, q) for c, q in rows), key=lambda cq: walk_order(cq[0])))

    def put_away(self, warehouse: str, sku: str, qty: int) -> list[Pick]:
        """Place `qty` units in bins; all of them or none (StockError when they do not fit)."""
        w, p = self.repo.warehouse(warehouse.upper()), self.repo.product(sku.upper())
        bins = self._bins(w.id)
        holding = set(self.contents(warehouse, sku))
        ordered = [b for b in bins if b["code"] in holding] + [b for b in bins if b["code"] not in holding]
        plan, left = [], qty
        for b in ordered:
            room = b["capacity"] - b["used"]
            if room > 0 and left:
                take = min(room, left)
                plan.append((b, take))
                left -= take
        if left:
            raise StockError(f"{qty} x {p.sku} do not fit in {w.code}'s bins ({qty - left} would)")
        with self.repo.transaction():
            for b, take in plan:
                self.conn.execute("INSERT INTO bin_stock (bin_id, product_id, quantity) VALUES (?, ?, ?) "
                                  "ON CONFLICT (bin_id, product_id) DO UPDATE SET quantity = quantity + ?",
                                  (b["id"], p.id, take, take))
        return [Pick(b["code"], p.sku, take) for b, take in plan]

    def pick_list(self, warehouse: str, order: dict[str, int]) -> list[Pick]:
        """Where to take each product from, in walking order. Nothing is removed: see `confirm`."""
        picks = []
        for sku, qty in order.items():
            bins = self.contents(warehouse, sku)
            if sum(bins.values()) < qty:
                raise StockError(f"{sku.upper()}: {qty} wanted, {sum(bins.values())} in bins")
            left = qty
            for code, have in sorted(bins.items(), key=lambda cq: cq[1]):  # small remainders first
                take = min(have, left)
                if take:
                    picks.append(Pick(code, sku.upper(), take))
                    left -= take
        return sorted(picks, key=lambda pk: walk_order(pk.bin))

    def confirm(self, warehouse: str, picks: list[Pick]) -> None:
        w = self.repo.warehouse(warehouse.upper())
        with self.repo.transaction():
            for pk in picks:
                p = self.repo.product(pk.sku)
                row = self.conn.execute("SELECT b.id, s.quantity FROM bins b JOIN bin_stock s ON s.bin_id = b.id "
                                        "WHERE b.warehouse_id = ? AND b.code = ? AND s.product_id = ?",
                                        (w.id, pk.bin, p.id)).fetchone()
                if row is None or row["quantity"] < pk.quantity:
                    raise StockError(f"{pk.bin} no longer holds {pk.quantity} x {pk.sku}")
                if row["quantity"] == pk.quantity:
                    self.conn.execute("DELETE FROM bin_stock WHERE bin_id = ? AND product_id = ?", (row["id"], p.id))
                else:
                    self.conn.execute("UPDATE bin_stock SET quantity = quantity - ? WHERE bin_id = ? AND product_id = ?",
                                      (pk.quantity, row["id"], p.id))

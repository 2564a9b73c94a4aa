"""Purchase orders: what was ordered from a supplier, and what of it has arrived.

An order is drafted, lines are added, it is sent, and goods are received against it — in one or
several deliveries. Receiving more than was ordered is refused (the surplus is a separate receipt
that someone has to explain), and each receipt is an ordinary stock movement whose reference is
the order number, so the audit trail shows where goods came from.

    draft --send--> sent --receive--> partial --receive--> received
      \\--cancel--> cancelled      (a sent order with nothing received may be cancelled too)
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from .errors import NotFound, StockError
from .service import Inventory


@dataclass(frozen=True)
class OrderLine:
    sku: str
    ordered: int
    received: int
    unit_cost_cents: int

    @property
    def outstanding(self) -> int:
        return self.ordered - self.received


@dataclass(frozen=True)
class PurchaseOrder:
    number: str
    supplier: str
    warehouse: str
    status: str
    lines: tuple[OrderLine, ...]

    @property
    def total_cents(self) -> int:
        return sum(line.ordered * line.unit_cost_cents for line in self.lines)

    @property
    def outstanding(self) -> dict[str, int]:
        return {line.sku: line.outstanding for line in self.lines if line.outstanding}


class Purchasing:
    def __init__(self, inventory: Inventory):
        self.inv = inventory
        self.repo = inventory.repo
        self.conn: sqlite3.Connection = inventory.repo.conn

    def _order_row(self, number: str) -> sqlite3.Row:
        row = self.conn.execute("SELECT * FROM purchase_orders WHERE number = ?", (number.upper(),)).fetchone()
        if row is None:
            raise NotFound(f"no purchase order {number}")
        return row

    def create(self, number: str, supplier: str, warehouse: str) -> PurchaseOrder:
        w = self.repo.warehouse(warehouse.upper())
        if not supplier.strip():
            raise StockError("a purchase order needs a supplier")
        try:
            self.conn.execute("INSERT INTO purchase_orders (number, supplier, warehouse_id) VALUES (?, ?, ?)",
                              (number.strip().upper(), supplier.strip(), w.id))
        except sqlite3.IntegrityError:
            raise StockError(f"purchase order {number} already exists") from None
        return self.get(number)

    def add_line(self, number: str, sku: str, qty: int, unit_cost_cents: int | None = None) -> PurchaseOrder:
        order = self._order_row(number)
        if order["status"] != "draft":
            raise StockError(f"purchase order {order['number']} is {order['status']}: only drafts can change")
        if not isinstance(qty, int) or qty <= 0:
            raise StockError(f"quantity must be a positive whole number, not {qty!r}")
        p = self.repo.product(sku.upper())
        cost = p.unit_cost_cents if unit_cost_cents is None else unit_cost_cents
        if cost < 0:
            raise StockError("a unit cost cannot be negative")
        with self.repo.transaction():
            existing = self.conn.execute("SELECT ordered FROM purchase_lines WHERE order_id = ? AND product_id = ?",
                                         (order["id"], p.id)).fetchone()
            if existing:  # the same product twice: one line with the sum, at the latest cost
                self.conn.execute("UPDATE purchase_lines SET ordered = ordered + ?, unit_cost_cents = ? "
                                  "WHERE order_id = ? AND product_id = ?", (qty, cost, order["id"], p.id))
            else:
                self.conn.execute("INSERT INTO purchase_lines (order_id, product_id, ordered, unit_cost_cents) "
                                  "VALUES (?, ?, ?, ?)", (order["id"], p.id, qty, cost))
        return self.get(number)

    def send(self, number: str) -> PurchaseOrder:
        order = self._order_row(number)
        if order["status"] != "draft":
            raise StockError(f"purchase order {order['number']} was already {order['status']}")
        if not self.conn.execute("SELECT 1 FROM purchase_lines WHERE order_id = ?", (order["id"],)).fetchone():
            raise StockError(f"purchase order {order['number']} has no lines")
        self._set_status(order["id"], "sent")
        return self.get(number)

    def cancel(self, number: str) -> PurchaseOrder:
        order = self._order_row(number)
        if order["status"] not in ("draft", "sent"):
            raise StockError(f"purchase order {order['number']} is {order['status']}: it cannot be cancelled")
        self._set_status(order["id"], "cancelled")
        return self.get(number)

    def receive(self, number: str, deliveries: dict[str, int]) -> PurchaseOrder:
        """Book a delivery: {sku: quantity}. All of it or none: one bad line refuses the delivery."""
        order = self._order_row(number)
        if order["status"] not in ("sent", "partial"):
            raise StockError(f"purchase order {order['number']} is {order['status']}: nothing can be received")
        warehouse = self.conn.execute("SELECT code FROM warehouses WHERE id = ?", (order["warehouse_id"],)).fetchone()
        with self.repo.transaction():
            for sku, qty in deliveries.items():
                p = self.repo.product(sku.upper())
                line = self.conn.execute("SELECT ordered, received FROM purchase_lines WHERE order_id = ? AND "
                                         "product_id = ?", (order["id"], p.id)).fetchone()
                if line is None:
                    raise StockError(f"{p.sku} is not on purchase order {order['number']}")
                if not isinstance(qty, int) or qty <= 0:
                    raise StockError(f"{p.sku}: quantity must be a positive whole number, not {qty!r}")
                if line["received"] + qty > line["ordered"]:
                    raise StockError(f"{p.sku}: receiving {qty} would exceed the {line['ordered']} ordered "
                                     f"({line['received']} already received)")
                self.conn.execute("UPDATE purchase_lines SET received = received + ? WHERE order_id = ? AND "
                                  "product_id = ?", (qty, order["id"], p.id))
                w = self.repo.warehouse(warehouse["code"])
                self.repo.change_stock(p.id, w.id, qty, "receipt", order["number"])
            left = self.conn.execute("SELECT SUM(ordered - received) FROM purchase_lines WHERE order_id = ?",
                                     (order["id"],)).fetchone()[0]
            self._set_status(order["id"], "received" if left == 0 else "partial")
        return self.get(number)

    def _set_status(self, order_id: int, status: str) -> None:
        self.conn.execute("UPDATE purchase_orders SET status = ? WHERE id = ?", (status, order_id))

    def get(self, number: str) -> PurchaseOrder:
        order = self._order_row(number)
        rows = self.conn.execute(
            "SELECT p.sku, l.ordered, l.received, l.unit_cost_cents FROM purchase_lines l "
            "JOIN products p ON p.id = l.product_id WHERE l.order_id = ? ORDER BY p.sku", (order["id"],)).fetchall()
        warehouse = self.conn.execute("SELECT code FROM warehouses WHERE id = ?", (order["warehouse_id"],)).fetchone()
        return PurchaseOrder(order["number"], order["supplier"], warehouse["code"], order["status"],
                             tuple(OrderLine(*r) for r in rows))

    def open_orders(self) -> list[PurchaseOrder]:
        numbers = self.conn.execute("SELECT number FROM purchase_orders WHERE status IN ('sent', 'partial') "
                                    "ORDER BY number").fetchall()
        return [self.get(n[0]) for n in numbers]

    def on_order(self, sku: str) -> int:
        """Units ordered but not yet received, over every open order: what a reorder report should
        count as already coming."""
        p = self.repo.product(sku.upper())
        value = self.conn.execute(
            "SELECT COALESCE(SUM(l.ordered - l.received), 0) FROM purchase_lines l JOIN purchase_orders o "
            "ON o.id = l.order_id WHERE l.product_id = ? AND o.status IN ('sent', 'partial')", (p.id,)).fetchone()
        return value[0]

"""Reservations: stock promised to an order but not shipped yet.

On hand is what is on the shelf; available is on hand minus what is held for orders. A web shop
checks `available` before accepting an order and reserves at once, so two customers cannot buy the
last unit. A reservation is fulfilled (the goods ship: a shipment movement) or released (the order
was cancelled, or the hold expired), never both.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

from .errors import InsufficientStock, StockError
from .service import Inventory


@dataclass(frozen=True)
class Reservation:
    id: int
    reference: str
    sku: str
    warehouse: str
    quantity: int
    status: str
    expires: str | None


class Reservations:
    def __init__(self, inventory: Inventory):
        self.inv, self.repo = inventory, inventory.repo
        self.conn: sqlite3.Connection = inventory.repo.conn

    def held(self, product_id: int, warehouse_id: int, now: dt.datetime | None = None) -> int:
        now_text = (now or dt.datetime.now(dt.timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ")
        return self.conn.execute(
            "SELECT COALESCE(SUM(quantity), 0) FROM reservations WHERE product_id = ? AND warehouse_id = ? "
            "AND status = 'held' AND (expires IS NULL OR expires > ?)", (product_id, warehouse_id, now_text)).fetchone()[0]

    def available(self, sku: str, warehouse: str, now: dt.datetime | None = None) -> int:
        p, w = self.repo.product(sku.upper()), self.repo.warehouse(warehouse.upper())
        return self.repo.quantity(p.id, w.id) - self.held(p.id, w.id, now)

    def reserve(self, reference: str, sku: str, warehouse: str, qty: int, hold_minutes: int | None = None,
                now: dt.datetime | None = None) -> Reservation:
        if not isinstance(qty, int) or qty <= 0:
            raise StockError(f"quantity must be a positive whole number, not {qty!r}")
        now = now or dt.datetime.now(dt.timezone.utc)
        expires = None if hold_minutes is None else (now + dt.timedelta(minutes=hold_minutes)).strftime(
            "%Y-%m-%dT%H:%M:%SZ")
        with self.repo.transaction():
            p, w = self.repo.product(sku.upper()), self.repo.warehouse(warehouse.upper())
            free = self.repo.quantity(p.id, w.id) - self.held(p.id, w.id, now)
            if free < qty:
                raise InsufficientStock(p.sku, w.code, qty, free)
            try:
                cur = self.conn.execute(
                    "INSERT INTO reservations (reference, product_id, warehouse_id, quantity, expires) "
                    "VALUES (?, ?, ?, ?, ?)", (reference, p.id, w.id, qty, expires))
            except sqlite3.IntegrityError:
                raise StockError(f"{reference} already reserves {p.sku} at {w.code}") from None
        return self.get(cur.lastrowid)

    def fulfil(self, reservation_id: int) -> Reservation:
        """Ship what was held: one shipment movement, referenced by the order."""
        r = self.get(reservation_id)
        if r.status != "held":
            raise StockError(f"reservation {r.id} is {r.status}")
        with self.repo.transaction():
            p, w = self.repo.product(r.sku), self.repo.warehouse(r.warehouse)
            if self.repo.quantity(p.id, w.id) < r.quantity:
                raise InsufficientStock(p.sku, w.code, r.quantity, self.repo.quantity(p.id, w.id))
            self.repo.change_stock(p.id, w.id, -r.quantity, "shipment", r.reference)
            self.conn.execute("UPDATE reservations SET status = 'fulfilled' WHERE id = ?", (r.id,))
        return self.get(r.id)

    def release(self, reservation_id: int) -> Reservation:
        r = self.get(reservation_id)
        if r.status != "held":
            raise StockError(f"reservation {r.id} is {r.status}")
        self.conn.execute("UPDATE reservations SET status = 'released' WHERE id = ?", (r.id,))
        return self.get(r.id)

    def expire(self, now: dt.datetime | None = None) -> int:
        """Release every hold past its expiry; returns how many."""
        now_text = (now or dt.datetime.now(dt.timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ")
        cur = self.conn.execute("UPDATE reservations SET status = 'released' WHERE status = 'held' "
                                "AND expires IS NOT NULL AND expires <= ?", (now_text,))
        return cur.rowcount

    def get(self, reservation_id: int) -> Reservation:
        row = self.conn.execute(
            "SELECT r.id, r.reference, p.sku, w.code, r.quantity, r.status, r.expires FROM reservations r "
            "JOIN products p ON p.id = r.product_id JOIN warehouses w ON w.id = r.warehouse_id WHERE r.id = ?",
            (reservation_id,)).fetchone()
        if row is None:
            raise StockError(f"no reservation {reservation_id}")
        return Reservation(*row)

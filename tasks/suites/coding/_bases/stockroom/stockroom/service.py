"""Business rules: no negative stock, every change recorded as a movement, transfers atomic."""

from __future__ import annotations

import sqlite3

from .errors import InsufficientStock, StockError
from .models import StockLine
from .repository import Repository


class Inventory:
    def __init__(self, conn: sqlite3.Connection):
        self.repo = Repository(conn)

    def add_product(self, sku: str, name: str, reorder_level: int = 0, unit_cost_cents: int = 0):
        if reorder_level < 0:
            raise StockError("reorder level cannot be negative")
        try:
            return self.repo.add_product(sku.strip().upper(), name.strip(), reorder_level, unit_cost_cents)
        except sqlite3.IntegrityError:
            raise StockError(f"product {sku} already exists") from None

    def add_warehouse(self, code: str, name: str):
        try:
            return self.repo.add_warehouse(code.strip().upper(), name.strip())
        except sqlite3.IntegrityError:
            raise StockError(f"warehouse {code} already exists") from None

    def on_hand(self, sku: str, warehouse: str) -> int:
        p, w = self.repo.product(sku.upper()), self.repo.warehouse(warehouse.upper())
        return self.repo.quantity(p.id, w.id)

    def receive(self, sku: str, warehouse: str, qty: int, reference: str | None = None) -> int:
        _positive(qty)
        with self.repo.transaction():
            p, w = self.repo.product(sku.upper()), self.repo.warehouse(warehouse.upper())
            return self.repo.change_stock(p.id, w.id, qty, "receipt", reference)

    def ship(self, sku: str, warehouse: str, qty: int, reference: str | None = None) -> int:
        _positive(qty)
        with self.repo.transaction():
            p, w = self.repo.product(sku.upper()), self.repo.warehouse(warehouse.upper())
            available = self.repo.quantity(p.id, w.id)
            if available < qty:
                raise InsufficientStock(p.sku, w.code, qty, available)
            return self.repo.change_stock(p.id, w.id, -qty, "shipment", reference)

    def transfer(self, sku: str, source: str, target: str, qty: int, reference: str | None = None) -> None:
        _positive(qty)
        if source.upper() == target.upper():
            raise StockError("source and target warehouse are the same")
        with self.repo.transaction():
            p = self.repo.product(sku.upper())
            src, dst = self.repo.warehouse(source.upper()), self.repo.warehouse(target.upper())
            available = self.repo.quantity(p.id, src.id)
            if available < qty:
                raise InsufficientStock(p.sku, src.code, qty, available)
            self.repo.change_stock(p.id, src.id, -qty, "transfer", reference)
            self.repo.change_stock(p.id, dst.id, qty, "transfer", reference)

    def adjust(self, sku: str, warehouse: str, counted: int, reference: str = "stocktake") -> int:
        """Set the quantity to what a stocktake counted, recording the difference."""
        if counted < 0:
            raise StockError("a count cannot be negative")
        with self.repo.transaction():
            p, w = self.repo.product(sku.upper()), self.repo.warehouse(warehouse.upper())
            delta = counted - self.repo.quantity(p.id, w.id)
            if delta:
                self.repo.change_stock(p.id, w.id, delta, "adjustment", reference)
            return counted

    def stock_lines(self) -> list[StockLine]:
        return [StockLine(**dict(r)) for r in self.repo.stock_rows()]

    def history(self, sku: str) -> list[dict]:
        p = self.repo.product(sku.upper())
        return [dict(r) for r in self.repo.movements(p.id)]


def _positive(qty: int) -> None:
    if not isinstance(qty, int) or qty <= 0:
        raise StockError(f"quantity must be a positive whole number, not {qty!r}")

"""SQL lives here and nowhere else."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager

from .errors import NotFound
from .models import Product, Warehouse


class Repository:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    @contextmanager
    def transaction(self):
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def add_product(self, sku: str, name: str, reorder_level: int = 0, unit_cost_cents: int = 0) -> Product:
        cur = self.conn.execute(
            "INSERT INTO products (sku, name, reorder_level, unit_cost_cents) VALUES (?, ?, ?, ?)",
            (sku, name, reorder_level, unit_cost_cents))
        return Product(cur.lastrowid, sku, name, reorder_level, unit_cost_cents)

    def product(self, sku: str) -> Product:
        row = self.conn.execute("SELECT * FROM products WHERE sku = ?", (sku,)).fetchone()
        if row is None:
            raise NotFound(f"no product with SKU {sku}")
        return Product(**dict(row))

    def products(self) -> list[Product]:
        return [Product(**dict(r)) for r in self.conn.execute("SELECT * FROM products ORDER BY sku")]

    def add_warehouse(self, code: str, name: str) -> Warehouse:
        cur = self.conn.execute("INSERT INTO warehouses (code, name) VALUES (?, ?)", (code, name))
        return Warehouse(cur.lastrowid, code, name)

    def warehouse(self, code: str) -> Warehouse:
        row = self.conn.execute("SELECT * FROM warehouses WHERE code = ?", (code,)).fetchone()
        if row is None:
            raise NotFound(f"no warehouse with code {code}")
        return Warehouse(**dict(row))

    def warehouses(self) -> list[Warehouse]:
        return [Warehouse(**dict(r)) for r in self.conn.execute("SELECT * FROM warehouses ORDER BY code")]

    def quantity(self, product_id: int, warehouse_id: int) -> int:
        row = self.conn.execute("SELECT quantity FROM stock WHERE product_id = ? AND warehouse_id = ?",
                                (product_id, warehouse_id)).fetchone()
        return row[0] if row else 0

    def change_stock(self, product_id: int, warehouse_id: int, delta: int, kind: str,
                     reference: str | None = None) -> int:
        new = self.quantity(product_id, warehouse_id) + delta
        self.conn.execute(
            "INSERT INTO stock (product_id, warehouse_id, quantity) VALUES (?, ?, ?) "
            "ON CONFLICT (product_id, warehouse_id) DO UPDATE SET quantity = excluded.quantity",
            (product_id, warehouse_id, new))
        self.conn.execute("INSERT INTO movements (product_id, warehouse_id, delta, kind, reference) "
                          "VALUES (?, ?, ?, ?, ?)", (product_id, warehouse_id, delta, kind, reference))
        return new

    def stock_rows(self):
        """Every (product, warehouse, quantity) with stock recorded, in one query."""
        return self.conn.execute(
            "SELECT p.sku, p.name, w.code AS warehouse, s.quantity, p.reorder_level "
            "FROM stock s JOIN products p ON p.id = s.product_id JOIN warehouses w ON w.id = s.warehouse_id "
            "ORDER BY p.sku, w.code").fetchall()

    def movements(self, product_id: int) -> list[sqlite3.Row]:
        return self.conn.execute("SELECT * FROM movements WHERE product_id = ? ORDER BY id",
                                 (product_id,)).fetchall()

"""The schema and its migrations; the database records which have run."""

from __future__ import annotations

import sqlite3

MIGRATIONS = [
    """
    CREATE TABLE products (
        id INTEGER PRIMARY KEY,
        sku TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        reorder_level INTEGER NOT NULL DEFAULT 0,
        unit_cost_cents INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE warehouses (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL);
    CREATE TABLE stock (
        product_id INTEGER NOT NULL REFERENCES products(id),
        warehouse_id INTEGER NOT NULL REFERENCES warehouses(id),
        quantity INTEGER NOT NULL CHECK (quantity >= 0),
        PRIMARY KEY (product_id, warehouse_id)
    );
    """,
    """
    CREATE TABLE movements (
        id INTEGER PRIMARY KEY,
        product_id INTEGER NOT NULL REFERENCES products(id),
        warehouse_id INTEGER NOT NULL REFERENCES warehouses(id),
        delta INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('receipt', 'shipment', 'transfer', 'adjustment')),
        reference TEXT,
        at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );
    CREATE INDEX movements_product ON movements(product_id);
    """,
    """
    CREATE TABLE purchase_orders (
        id INTEGER PRIMARY KEY,
        number TEXT NOT NULL UNIQUE,
        supplier TEXT NOT NULL,
        warehouse_id INTEGER NOT NULL REFERENCES warehouses(id),
        status TEXT NOT NULL DEFAULT 'draft'
            CHECK (status IN ('draft', 'sent', 'partial', 'received', 'cancelled')),
        created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );
    CREATE TABLE purchase_lines (
        order_id INTEGER NOT NULL REFERENCES purchase_orders(id),
        product_id INTEGER NOT NULL REFERENCES products(id),
        ordered INTEGER NOT NULL CHECK (ordered > 0),
        received INTEGER NOT NULL DEFAULT 0 CHECK (received >= 0 AND received <= ordered),
        unit_cost_cents INTEGER NOT NULL CHECK (unit_cost_cents >= 0),
        PRIMARY KEY (order_id, product_id)
    );
    """,
    """
    CREATE TABLE reservations (
        id INTEGER PRIMARY KEY,
        reference TEXT NOT NULL,
        product_id INTEGER NOT NULL REFERENCES products(id),
        warehouse_id INTEGER NOT NULL REFERENCES warehouses(id),
        quantity INTEGER NOT NULL CHECK (quantity > 0),
        status TEXT NOT NULL DEFAULT 'held' CHECK (status IN ('held', 'fulfilled', 'released')),
        expires TEXT,
        UNIQUE (reference, product_id, warehouse_id)
    );
    """,
    """
    CREATE TABLE bins (
        id INTEGER PRIMARY KEY,
        warehouse_id INTEGER NOT NULL REFERENCES warehouses(id),
        code TEXT NOT NULL,
        capacity INTEGER NOT NULL CHECK (capacity > 0),
        UNIQUE (warehouse_id, code)
    );
    CREATE TABLE bin_stock (
        bin_id INTEGER NOT NULL REFERENCES bins(id),
        product_id INTEGER NOT NULL REFERENCES products(id),
        quantity INTEGER NOT NULL CHECK (quantity > 0),
        PRIMARY KEY (bin_id, product_id)
    );
    """,
]


def connect(path: str = ":memory:") -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)  # autocommit; transactions are explicit
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    migrate(conn)
    return conn


def migrate(conn: sqlite3.Connection) -> int:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    for i, script in enumerate(MIGRATIONS[version:], start=version + 1):
        conn.executescript(f"BEGIN; {script}; PRAGMA user_version = {i}; COMMIT;")
    return len(MIGRATIONS) - version

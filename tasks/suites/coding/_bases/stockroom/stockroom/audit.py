"""Consistency checks: does the stock table agree with the movements that built it?

Every change of stock is recorded as a movement, so the quantity on hand must equal the sum of
that product's movements in that warehouse. A difference means something wrote to the stock table
directly (a manual fix in the database, a bug, a restore of one table but not the other); the
report says where, so that someone can look before stocktaking papers over it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class Discrepancy:
    sku: str
    warehouse: str
    on_hand: int
    from_movements: int

    @property
    def difference(self) -> int:
        return self.on_hand - self.from_movements

    def __str__(self) -> str:
        return (f"{self.sku} at {self.warehouse}: {self.on_hand} on hand, movements add up to "
                f"{self.from_movements} ({self.difference:+d})")


def discrepancies(conn: sqlite3.Connection) -> list[Discrepancy]:
    rows = conn.execute("""
        WITH moved AS (
            SELECT product_id, warehouse_id, SUM(delta) AS total FROM movements GROUP BY product_id, warehouse_id
        ),
        pairs AS (
            SELECT product_id, warehouse_id FROM stock
            UNION
            SELECT product_id, warehouse_id FROM moved
        )
        SELECT p.sku, w.code, COALESCE(s.quantity, 0) AS on_hand, COALESCE(m.total, 0) AS from_movements
        FROM pairs
        JOIN products p ON p.id = pairs.product_id
        JOIN warehouses w ON w.id = pairs.warehouse_id
        LEFT JOIN stock s ON s.product_id = pairs.product_id AND s.warehouse_id = pairs.warehouse_id
        LEFT JOIN moved m ON m.product_id = pairs.product_id AND m.warehouse_id = pairs.warehouse_id
        WHERE COALESCE(s.quantity, 0) != COALESCE(m.total, 0)
        ORDER BY p.sku, w.code
    """).fetchall()
    return [Discrepancy(*r) for r in rows]


def orphans(conn: sqlite3.Connection) -> list[str]:
    """References that point nowhere; foreign keys prevent them, unless they were turned off."""
    problems = []
    for table, column, parent in (("stock", "product_id", "products"), ("stock", "warehouse_id", "warehouses"),
                                  ("movements", "product_id", "products"),
                                  ("movements", "warehouse_id", "warehouses")):
        n = conn.execute(f"SELECT COUNT(*) FROM {table} WHERE {column} NOT IN (SELECT id FROM {parent})").fetchone()[0]
        if n:
            problems.append(f"{n} row(s) of {table} with a {column} not in {parent}")
    return problems


def check(conn: sqlite3.Connection) -> list[str]:
    """Every problem found, as lines for a person; empty when the database is consistent."""
    problems = orphans(conn)
    problems += [str(d) for d in discrepancies(conn)]
    integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    if integrity != "ok":
        problems.append(f"SQLite integrity check: {integrity}")
    return problems

"""Exports for accountants and other systems: stock levels and movements as CSV or JSON lines.

Movements can be cut to a date range (inclusive, by UTC date), which is what a month-end
reconciliation asks for. Columns are fixed and documented here, so a downstream import does not
break when the schema grows.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sqlite3
from pathlib import Path

STOCK_COLUMNS = ["sku", "name", "warehouse", "quantity", "unit_cost_cents", "value_cents"]
MOVEMENT_COLUMNS = ["at", "sku", "warehouse", "kind", "delta", "reference"]


def stock_rows(conn: sqlite3.Connection) -> list[dict]:
    rows = conn.execute("""
        SELECT p.sku, p.name, w.code AS warehouse, s.quantity, p.unit_cost_cents,
               s.quantity * p.unit_cost_cents AS value_cents
        FROM stock s JOIN products p ON p.id = s.product_id JOIN warehouses w ON w.id = s.warehouse_id
        ORDER BY p.sku, w.code""")
    return [dict(zip(STOCK_COLUMNS, r, strict=True)) for r in rows]


def movement_rows(conn: sqlite3.Connection, since: dt.date | None = None, until: dt.date | None = None) -> list[dict]:
    if since and until and until < since:
        raise ValueError(f"the range ends ({until}) before it starts ({since})")
    where, args = [], []
    if since:
        where.append("substr(m.at, 1, 10) >= ?")
        args.append(since.isoformat())
    if until:
        where.append("substr(m.at, 1, 10) <= ?")
        args.append(until.isoformat())
    sql = ("SELECT m.at, p.sku, w.code, m.kind, m.delta, m.reference FROM movements m "
           "JOIN products p ON p.id = m.product_id JOIN warehouses w ON w.id = m.warehouse_id"
           + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY m.at, m.id")
    return [dict(zip(MOVEMENT_COLUMNS, r, strict=True)) for r in conn.execute(sql, args)]


def write(rows: list[dict], columns: list[str], path: str | Path) -> int:
    """CSV or JSON lines, by the file's extension; returns the number of rows written."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        with open(path, "w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=columns)
            w.writeheader()
            w.writerows(rows)
    elif path.suffix.lower() in (".jsonl", ".ndjson"):
        with open(path, "w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r) + "\n")
    else:
        raise ValueError(f"{path.name}: export to .csv or .jsonl")
    return len(rows)

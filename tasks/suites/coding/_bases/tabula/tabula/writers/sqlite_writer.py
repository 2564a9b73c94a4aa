"""Write rows into a SQLite table, with column types taken from the values.

The table is replaced (mode="replace", the default) or appended to (mode="append"); either way the
rows go in one transaction, so a failure leaves the database as it was.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from decimal import Decimal
from pathlib import Path

from ..errors import PipelineError
from .csv_writer import columns_of

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def sql_type(values) -> str:
    kinds = {type(v) for v in values if v is not None}
    if not kinds:
        return "TEXT"
    if kinds <= {bool}:
        return "INTEGER"
    if kinds <= {int}:
        return "INTEGER"
    if kinds <= {int, float, Decimal}:
        return "REAL" if kinds & {float} else "NUMERIC"
    return "TEXT"


def to_sql(value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal):
        return str(value)  # exact: SQLite's NUMERIC affinity stores it as a number where it can
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def write_sqlite(rows, path: Path, table: str = "data", mode: str = "replace") -> None:
    if not _NAME.match(table):
        raise PipelineError(f"sqlite output: '{table}' is not a valid table name")
    if mode not in ("replace", "append"):
        raise PipelineError("sqlite output: mode must be 'replace' or 'append'")
    cols = columns_of(rows)
    bad = [c for c in cols if not _NAME.match(c)]
    if bad:
        raise PipelineError(f"sqlite output: column names must be identifiers: {', '.join(bad)}")
    con = sqlite3.connect(path)
    try:
        with con:
            if mode == "replace":
                con.execute(f'DROP TABLE IF EXISTS "{table}"')
            decl = ", ".join(f'"{c}" {sql_type(r.get(c) for r in rows)}' for c in cols)
            if cols:
                con.execute(f'CREATE TABLE IF NOT EXISTS "{table}" ({decl})')
                marks = ", ".join("?" for _ in cols)
                names = ", ".join(f'"{c}"' for c in cols)
                con.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})',
                                ([to_sql(r.get(c)) for c in cols] for r in rows))
    except sqlite3.Error as exc:
        raise PipelineError(f"sqlite output {path}: {exc}") from exc
    finally:
        con.close()

import datetime as dt
import sqlite3
from decimal import Decimal

import pytest

from tabula import readers, writers
from tabula.errors import PipelineError
from tabula.readers.fixed_width_reader import parse_layout
from tabula.writers.markdown_writer import render_markdown

ROWS = [{"id": 1, "name": "Ada | Lovelace", "amount": Decimal("12.50"), "day": dt.date(2024, 3, 1), "ok": True},
        {"id": 2, "name": "Grace", "amount": None, "day": dt.date(2024, 3, 2), "ok": False}]


def test_markdown_escapes_pipes_and_right_aligns_numbers():
    text = render_markdown(ROWS)
    lines = text.splitlines()
    assert lines[0] == "| id | name | amount | day | ok |"
    assert lines[1] == "|---:|---|---:|---|---|"
    assert lines[2] == "| 1 | Ada \\| Lovelace | 12.50 | 2024-03-01 | true |"
    assert lines[3] == "| 2 | Grace |  | 2024-03-02 | false |"
    assert "1 more rows not shown" in render_markdown(ROWS, max_rows=1)
    assert render_markdown([]) == ""


def test_sqlite_writer_types_and_replaces(tmp_path):
    db = tmp_path / "out.sqlite"
    writers.write(ROWS, db, table="orders")
    writers.write(ROWS[:1], db, table="orders")  # replace is the default
    con = sqlite3.connect(db)
    cols = {r[1]: r[2] for r in con.execute("PRAGMA table_info(orders)")}
    assert cols == {"id": "INTEGER", "name": "TEXT", "amount": "NUMERIC", "day": "TEXT", "ok": "INTEGER"}
    assert con.execute("SELECT id, amount, day, ok FROM orders").fetchall() == [(1, 12.5, "2024-03-01", 1)]
    con.close()
    writers.write(ROWS[1:], db, table="orders", mode="append")
    assert sqlite3.connect(db).execute("SELECT count(*) FROM orders").fetchone() == (2,)


def test_sqlite_writer_refuses_bad_names(tmp_path):
    with pytest.raises(PipelineError, match="not a valid table name"):
        writers.write(ROWS, tmp_path / "x.db", table="orders; DROP TABLE x")
    with pytest.raises(PipelineError, match="identifiers"):
        writers.write([{"bad name": 1}], tmp_path / "x.db")


def test_fixed_width_reader(tmp_path):
    path = tmp_path / "ledger.fwf"
    path.write_text("# exported 2024-03-01\n"
                    "00012345Ada Lovelace              12.50\n"
                    "\n"
                    "00012346Grace Hopper               7\n")
    rows = readers.read(path, columns=["account:1-8", "name:9-34", "amount:35-40"])
    assert rows == [{"account": "00012345", "name": "Ada Lovelace", "amount": "12.50"},
                    {"account": "00012346", "name": "Grace Hopper", "amount": "7"}]


@pytest.mark.parametrize(("layout", "message"), [
    (["a:1-5", "b:5-9"], "overlap"), (["a:0-3"], "start must be"), (["a-1-3"], "name:start-end")])
def test_fixed_width_layout_errors(layout, message):
    with pytest.raises(PipelineError, match=message):
        parse_layout(layout)


def test_fixed_width_needs_columns(tmp_path):
    path = tmp_path / "x.fwf"
    path.write_text("abc\n")
    with pytest.raises(PipelineError, match="needs `columns`"):
        readers.read(path)

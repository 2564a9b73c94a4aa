import datetime as dt
import json

import pytest

from stockroom.export import MOVEMENT_COLUMNS, STOCK_COLUMNS, movement_rows, stock_rows, write


def test_stock_and_movements_export(inv, tmp_path):
    inv.receive("SKU-1", "MAIN", 10, reference="PO-1")
    inv.transfer("SKU-1", "MAIN", "EAST", 3)
    conn = inv.repo.conn
    conn.execute("UPDATE movements SET at = '2024-01-31T23:59:00Z' WHERE id = 1")
    assert stock_rows(conn) == [
        {"sku": "SKU-1", "name": "Widget", "warehouse": "EAST", "quantity": 3, "unit_cost_cents": 250, "value_cents": 750},
        {"sku": "SKU-1", "name": "Widget", "warehouse": "MAIN", "quantity": 7, "unit_cost_cents": 250, "value_cents": 1750}]
    january = movement_rows(conn, since=dt.date(2024, 1, 1), until=dt.date(2024, 1, 31))
    assert [(m["kind"], m["delta"], m["reference"]) for m in january] == [("receipt", 10, "PO-1")]
    assert len(movement_rows(conn)) == 3
    assert write(stock_rows(conn), STOCK_COLUMNS, tmp_path / "stock.csv") == 2
    assert (tmp_path / "stock.csv").read_text().splitlines()[0] == ",".join(STOCK_COLUMNS)
    write(movement_rows(conn), MOVEMENT_COLUMNS, tmp_path / "moves.jsonl")
    assert json.loads((tmp_path / "moves.jsonl").read_text().splitlines()[0])["reference"] == "PO-1"


def test_export_errors(inv, tmp_path):
    with pytest.raises(ValueError, match="before it starts"):
        movement_rows(inv.repo.conn, since=dt.date(2024, 2, 1), until=dt.date(2024, 1, 1))
    with pytest.raises(ValueError, match=".csv or .jsonl"):
        write([], STOCK_COLUMNS, tmp_path / "x.xlsx")

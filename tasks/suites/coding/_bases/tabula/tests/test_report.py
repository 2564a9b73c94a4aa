from decimal import Decimal

from tabula.cli import main
from tabula.report import build_report, column_report, render

ROWS = [
    {"id": "1", "amount": "9", "note": "", "kind": "a", "who": "Ada "},
    {"id": "2", "amount": "10", "note": "", "kind": "a", "who": "Bo"},
    {"id": "3", "amount": "n/a", "note": "", "kind": "a", "who": "Bo"},
]


def test_column_facts_and_warnings():
    by = {r.name: r for r in build_report(ROWS)}
    assert by["amount"].type == "int" and (by["amount"].smallest, by["amount"].largest) == (9, 10)
    assert by["amount"].empty == 1 and by["amount"].distinct == 2
    assert by["id"].warnings == ["every value distinct (an identifier?)"]
    assert by["note"].warnings == ["3 of 3 cells empty"]
    assert by["kind"].warnings == ["one value throughout (a constant?)"]
    assert by["who"].warnings == ["1 value(s) with leading or trailing spaces"] and by["who"].top[0] == ("Bo", 2)


def test_decimal_columns_compare_as_numbers():
    r = column_report("price", ["1.50", "10.25", "2"])
    assert r.type == "decimal" and (r.smallest, r.largest) == (Decimal("1.50"), Decimal("10.25"))


def test_render_and_cli(tmp_path, capsys):
    text = render("orders", build_report(ROWS))
    assert text.startswith("# orders\n\n3 rows, 5 columns.")
    assert "| amount | int | 1 | 2 | 9 | 10 | 9 (1), 10 (1) |" in text and "## Warnings" in text
    data = tmp_path / "orders.csv"
    data.write_text("id,amount\n1,5\n2,7\n")
    assert main(["report", str(data)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# orders.csv") and "| amount | int | 0 | 2 | 5 | 7 |" in out

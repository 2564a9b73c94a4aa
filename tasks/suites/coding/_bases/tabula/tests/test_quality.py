import datetime as dt
from decimal import Decimal

import pytest

from tabula.cli import main
from tabula.diff import diff_tables
from tabula.errors import PipelineError
from tabula.validate import Rules, summarize, validate

ROWS = [
    {"order_id": 1, "customer": "Ada", "amount": Decimal("10"), "placed": dt.date(2024, 1, 1),
     "shipped": dt.date(2024, 1, 3)},
    {"order_id": 2, "customer": "grace", "amount": Decimal("-5"), "placed": dt.date(2024, 1, 2),
     "shipped": dt.date(2024, 1, 1)},
    {"order_id": 2, "customer": None, "amount": Decimal("250000"), "placed": dt.date(2024, 1, 2),
     "shipped": None},
]

RULES = Rules.from_dict({
    "columns": {"order_id": {"not_null": True, "unique": True},
                "customer": {"not_null": True, "pattern": "^[A-Z]"},
                "amount": {"min": 0, "max": 100000}},
    "rows": [{"where": "shipped >= placed", "message": "shipped before it was placed"}]})


def test_validate_reports_every_violation_with_its_row():
    got = [(v.row, v.column, v.rule) for v in validate(ROWS, RULES)]
    assert got == [(2, None, "where"), (2, "amount", "min"), (2, "customer", "pattern"), (2, "order_id", "unique"),
                   (3, None, "where"), (3, "amount", "max"), (3, "customer", "not_null"), (3, "order_id", "unique")]
    assert summarize(validate(ROWS, RULES))["order_id.unique"] == 2


def test_unknown_rule_and_missing_column():
    with pytest.raises(PipelineError, match="unknown rule"):
        Rules.from_dict({"columns": {"a": {"not_nul": True}}})
    (v,) = validate(ROWS, Rules.from_dict({"columns": {"nope": {"not_null": True}}}))
    assert v.rule == "exists" and "no such column" in str(v)


def test_diff_by_key():
    old = [{"id": "1", "total": "10.0", "note": "a"}, {"id": "2", "total": "5"}, {"id": "3", "total": "7 "}]
    new = [{"id": "1", "total": "10.00", "note": "a"}, {"id": "3", "total": "7"}, {"id": "4", "total": "1"}]
    d = diff_tables(old, new, ["id"])
    assert [r["id"] for r in d.added] == ["4"] and [r["id"] for r in d.removed] == ["2"]
    assert [(c.key, c.cells) for c in d.changed] == [(("1",), {"total": ("10.0", "10.00")})]
    assert d.summary() == "1 added, 1 removed, 1 changed"
    assert diff_tables(old, old, ["id"]).empty
    assert not diff_tables(old, new, ["id"], ignore=["total"]).changed


def test_diff_needs_unique_keys():
    with pytest.raises(PipelineError, match="not unique"):
        diff_tables([{"id": "1"}, {"id": "1"}], [], ["id"])


def test_cli_validate_and_diff(tmp_path, capsys):
    data = tmp_path / "orders.csv"
    data.write_text("order_id,customer,amount\n1,Ada,10\n2,,-3\n")
    rules = tmp_path / "rules.toml"
    rules.write_text('[columns.customer]\nnot_null = true\n[columns.amount]\nmin = 0\n')
    assert main(["validate", str(data), "--rules", str(rules), "--schema", "amount=decimal"]) == 1
    out = capsys.readouterr().out
    assert "row 2, column 'amount': -3 is below 0" in out and "2 rows, 2 violations" in out
    other = tmp_path / "orders2.csv"
    other.write_text("order_id,customer,amount\n1,Ada,11\n2,,-3\n")
    assert main(["diff", str(data), str(other), "--key", "order_id"]) == 1
    assert "~ 1: amount: '10' -> '11'" in capsys.readouterr().out
    assert main(["diff", str(data), str(data), "--key", "order_id"]) == 0
    assert main(["validate", str(data), "--rules", str(tmp_path / "missing.toml")]) == 2

from decimal import Decimal

import pytest

from tabula.errors import PipelineError
from tabula.pivot import pivot

ROWS = [
    {"region": "EU", "quarter": "Q2", "amount": Decimal("80")},
    {"region": "EU", "quarter": "Q1", "amount": Decimal("100")},
    {"region": "US", "quarter": "Q1", "amount": Decimal("50")},
    {"region": "EU", "quarter": "Q1", "amount": Decimal("20")},
    {"region": "US", "quarter": "Q3", "amount": None},
]


def test_sum_with_margins_keeps_missing_as_none():
    out = pivot(ROWS, "region", "quarter", "amount", margins=True)
    assert out == [
        {"region": "EU", "Q2": Decimal("80"), "Q1": Decimal("120"), "total": Decimal("200")},
        {"region": "US", "Q2": None, "Q1": Decimal("50"), "total": Decimal("50")},
        {"region": "total", "Q2": Decimal("80"), "Q1": Decimal("170"), "total": Decimal("250")},
    ]


def test_mean_total_is_over_all_values_and_columns_can_be_sorted():
    out = pivot(ROWS, "region", "quarter", "amount", agg="mean", margins=True, sort_columns=True)
    assert list(out[0]) == ["region", "Q1", "Q2", "total"]
    assert out[0]["Q1"] == Decimal("60") and out[-1]["total"] == Decimal("62.5")
    assert pivot(ROWS, "region", "quarter", "amount", agg="count")[0] == {"region": "EU", "Q2": 1, "Q1": 2}


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"agg": "mode"}, "unknown aggregate"), ({"values": "price"}, "no column 'price'")])
def test_errors(kwargs, message):
    args = {"index": "region", "columns": "quarter", "values": "amount", **kwargs}
    with pytest.raises(PipelineError, match=message):
        pivot(ROWS, **args)


def test_total_label_clash():
    with pytest.raises(PipelineError, match="already called"):
        pivot([{"k": "a", "c": "total", "v": 1}], "k", "c", "v", margins=True)


def test_cli_pivot(tmp_path, capsys):
    from tabula.cli import main
    data = tmp_path / "sales.csv"
    data.write_text("region,quarter,amount\nEU,Q1,100\nEU,Q2,80\nUS,Q1,50\n")
    assert main(["pivot", str(data), "--index", "region", "--columns", "quarter", "--values", "amount",
                 "--schema", "amount=decimal", "--margins"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "region,Q1,Q2,total", "EU,100,80,180", "US,50,,50", "total,150,80,230"]

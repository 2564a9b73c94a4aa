from decimal import Decimal

from tabula.transforms import aggregate, dedupe, filter_rows, sort_rows

ROWS = [
    {"id": 1, "c": "a", "v": Decimal("2")},
    {"id": 2, "c": "b", "v": Decimal("5")},
    {"id": 3, "c": "a", "v": None},
    {"id": 1, "c": "a", "v": Decimal("2")},
]


def test_filter_skips_empty():
    assert [r["id"] for r in filter_rows(ROWS, "v > 1")] == [1, 2, 1]


def test_dedupe_on_columns():
    assert [r["id"] for r in dedupe(ROWS, on=["id"])] == [1, 2, 3]


def test_aggregate_sum_and_count():
    out = aggregate(ROWS, by=["c"], sum=["v"])
    assert out[0] == {"c": "a", "n": 3, "v_sum": Decimal("4")}


def test_sort_empty_last():
    assert [r["id"] for r in sort_rows(ROWS, ["v"], descending=True)] == [2, 1, 1, 3]

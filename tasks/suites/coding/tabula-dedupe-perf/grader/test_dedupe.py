import random

from tabula.transforms import dedupe


def _rows(n, distinct, seed=7):
    rnd = random.Random(seed)
    return [{"id": rnd.randrange(distinct), "v": i, "c": rnd.choice("xyz")} for i in range(n)]


def _reference(rows, on, keep):
    first, last = {}, {}
    for i, r in enumerate(rows):
        k = tuple(r.get(c) for c in on) if on else tuple(sorted(r.items()))
        first.setdefault(k, i)
        last[k] = i
    pick = first if keep == "first" else last
    return [rows[pick[k]] for k in sorted(first, key=first.get)]


def test_keep_first_on_column():
    rows = _rows(3000, 500)
    assert dedupe(rows, on=["id"]) == _reference(rows, ["id"], "first")


def test_keep_last_on_column():
    rows = _rows(3000, 500)
    assert dedupe(rows, on=["id"], keep="last") == _reference(rows, ["id"], "last")


def test_on_two_columns():
    rows = _rows(3000, 50)
    assert dedupe(rows, on=["id", "c"], keep="last") == _reference(rows, ["id", "c"], "last")


def test_whole_row_when_on_is_missing():
    rows = [{"a": 1, "b": 2}, {"b": 2, "a": 1}, {"a": 1, "b": 3}]
    assert dedupe(rows) == [{"a": 1, "b": 2}, {"a": 1, "b": 3}]


def test_bad_keep_is_rejected():
    import pytest

    with pytest.raises(ValueError):
        dedupe([{"a": 1}], keep="middle")


def test_large_input_is_linear(within):
    rows = _rows(200_000, 150_000)
    with within(10):
        out = dedupe(rows, on=["id"], keep="last")
    assert len(out) == len({r["id"] for r in rows})


def test_large_all_distinct(within):
    rows = [{"id": i} for i in range(200_000)]
    with within(10):
        assert len(dedupe(rows)) == 200_000

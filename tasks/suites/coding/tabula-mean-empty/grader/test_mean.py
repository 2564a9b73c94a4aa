from decimal import Decimal

from tabula.transforms import aggregate

ROWS = [
    {"c": "a", "v": Decimal("10")},
    {"c": "a", "v": None},
    {"c": "a", "v": Decimal("20")},
    {"c": "b", "v": None},
    {"c": "d", "v": Decimal("3")},
]


def _by(rows):
    return {r["c"]: r for r in rows}


def test_mean_skips_empty_cells():
    assert _by(aggregate(ROWS, by=["c"], mean=["v"]))["a"]["v_mean"] == Decimal("15")


def test_mean_of_all_empty_group_is_none():
    assert _by(aggregate(ROWS, by=["c"], mean=["v"]))["b"]["v_mean"] is None


def test_mean_of_single_value():
    assert _by(aggregate(ROWS, by=["c"], mean=["v"]))["d"]["v_mean"] == Decimal("3")


def test_count_still_counts_every_row():
    assert _by(aggregate(ROWS, by=["c"], mean=["v"]))["a"]["n"] == 3


def test_sum_min_max_unchanged():
    a = _by(aggregate(ROWS, by=["c"], sum=["v"], min=["v"], max=["v"]))["a"]
    assert (a["v_sum"], a["v_min"], a["v_max"]) == (Decimal("30"), Decimal("10"), Decimal("20"))


def test_mean_through_a_pipeline(tmp_path):
    from tabula.pipeline import load_pipeline

    (tmp_path / "in.csv").write_text("k,x\nq,4\nq,\nq,n/a\nq,8\n")
    (tmp_path / "p.toml").write_text('[input]\npath = "in.csv"\n[schema]\nx = "decimal"\n'
                                     '[[steps]]\nop = "aggregate"\nby = ["k"]\nmean = ["x"]\n')
    assert load_pipeline(tmp_path / "p.toml").run() == [{"k": "q", "n": 4, "x_mean": Decimal("6")}]

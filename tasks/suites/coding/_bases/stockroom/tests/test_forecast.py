import datetime as dt

import pytest

from stockroom.forecast import forecast, running_out, suggested_order


def backdate(inv, days_ago: dict[int, int], today: dt.date):
    """Give the movements (by id) dates in the past."""
    for mid, ago in days_ago.items():
        inv.repo.conn.execute("UPDATE movements SET at = ? WHERE id = ?",
                              ((today - dt.timedelta(days=ago)).isoformat() + "T12:00:00Z", mid))


def test_demand_cover_and_order(inv):
    today = dt.date(2024, 6, 30)
    inv.receive("SKU-1", "MAIN", 200)
    inv.ship("SKU-1", "MAIN", 56)   # inside the 28-day window
    inv.ship("SKU-1", "MAIN", 28)
    inv.ship("SKU-1", "MAIN", 100)  # too old to count
    ids = [r[0] for r in inv.repo.conn.execute("SELECT id FROM movements ORDER BY id")]
    backdate(inv, {ids[0]: 60, ids[1]: 3, ids[2]: 10, ids[3]: 40}, today)
    (f,) = forecast(inv.repo.conn, today=today, target_days=30, lead_days=7, pack_sizes={"SKU-1": 10})
    assert f.on_hand == 16 and f.daily_demand == 3.0 and f.days_of_cover == 5.3
    assert f.suggested_order == 100  # 3/day x 37 days = 111, minus 16 on hand = 95 -> packs of 10
    assert running_out([f], within_days=7) == [f]


def test_no_demand_means_no_order(inv):
    inv.receive("SKU-1", "MAIN", 5)
    (f,) = forecast(inv.repo.conn, today=dt.date.today())
    assert f.daily_demand == 0 and f.days_of_cover is None and f.suggested_order == 0
    assert running_out([f], within_days=7) == []


@pytest.mark.parametrize(("args", "want"), [
    ((0, 0, 2.0, 30, 7, 1), 74), ((50, 30, 2.0, 30, 7, 1), 0), ((10, 0, 1.5, 10, 0, 12), 12)])
def test_suggested_order(args, want):
    assert suggested_order(*args) == want


def test_pack_size_must_be_positive():
    with pytest.raises(ValueError):
        suggested_order(0, 0, 1.0, 1, 1, 0)


def test_cli_forecast_counts_open_orders(tmp_path, capsys):
    from stockroom.cli import main
    db = str(tmp_path / "s.db")
    for args in (["add-warehouse", "MAIN", "Main"], ["add-product", "SKU-9", "Bolt"], ["receive", "SKU-9", "MAIN", "50"],
                 ["ship", "SKU-9", "MAIN", "28"], ["po", "create", "PO-1", "Acme", "MAIN"],
                 ["po", "add", "PO-1", "SKU-9", "5"], ["po", "send", "PO-1"]):
        assert main(["--db", db, *args]) == 0, args
    capsys.readouterr()
    assert main(["--db", db, "forecast"]) == 0
    line = capsys.readouterr().out.strip()
    # 28 shipped today: 1/day; 37 days of need - 22 on hand - 5 on order = 10
    assert line.startswith("SKU-9") and "1.00/day" in line and "cover 22 days" in line and line.endswith("order 10")

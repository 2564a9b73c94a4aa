import datetime as dt

import pytest

from stockroom.errors import InsufficientStock, StockError
from stockroom.reservations import Reservations

NOW = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def res(inv):
    inv.receive("SKU-1", "MAIN", 10)
    return Reservations(inv)


def test_reserving_lowers_available_not_on_hand(inv, res):
    r = res.reserve("ORD-1", "sku-1", "main", 7, now=NOW)
    assert res.available("SKU-1", "MAIN", now=NOW) == 3 and inv.on_hand("SKU-1", "MAIN") == 10
    with pytest.raises(InsufficientStock, match="wanted 4, only 3"):
        res.reserve("ORD-2", "SKU-1", "MAIN", 4, now=NOW)
    with pytest.raises(StockError, match="already reserves"):
        res.reserve("ORD-1", "SKU-1", "MAIN", 1, now=NOW)
    assert res.fulfil(r.id).status == "fulfilled"
    assert inv.on_hand("SKU-1", "MAIN") == 3 and res.available("SKU-1", "MAIN", now=NOW) == 3
    assert inv.history("SKU-1")[-1]["reference"] == "ORD-1"
    with pytest.raises(StockError, match="is fulfilled"):
        res.release(r.id)


def test_release_and_expiry(res):
    r = res.reserve("ORD-3", "SKU-1", "MAIN", 4, now=NOW)
    assert res.release(r.id).status == "released" and res.available("SKU-1", "MAIN", now=NOW) == 10
    res.reserve("ORD-4", "SKU-1", "MAIN", 5, hold_minutes=30, now=NOW)
    assert res.available("SKU-1", "MAIN", now=NOW + dt.timedelta(minutes=29)) == 5
    assert res.available("SKU-1", "MAIN", now=NOW + dt.timedelta(minutes=31)) == 10, "an expired hold frees stock"
    assert res.expire(now=NOW + dt.timedelta(hours=1)) == 1


def test_bad_input(res):
    with pytest.raises(StockError, match="positive whole number"):
        res.reserve("ORD-5", "SKU-1", "MAIN", 0)
    with pytest.raises(StockError, match="no reservation"):
        res.get(999)

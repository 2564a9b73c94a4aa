import pytest

from stockroom import InsufficientStock, NotFound, StockError
from stockroom.reports import format_cents, inventory_report


def test_receive_and_ship(inv):
    assert inv.receive("sku-1", "main", 30) == 30
    assert inv.ship("SKU-1", "MAIN", 12) == 18
    with pytest.raises(InsufficientStock):
        inv.ship("SKU-1", "MAIN", 100)
    assert [m["kind"] for m in inv.history("SKU-1")] == ["receipt", "shipment"]


def test_transfer(inv):
    inv.receive("SKU-1", "MAIN", 30)
    inv.transfer("SKU-1", "MAIN", "EAST", 5)
    assert (inv.on_hand("SKU-1", "MAIN"), inv.on_hand("SKU-1", "EAST")) == (25, 5)


def test_unknown_things(inv):
    with pytest.raises(NotFound):
        inv.receive("NOPE", "MAIN", 1)
    with pytest.raises(StockError):
        inv.receive("SKU-1", "MAIN", 0)


def test_report(inv):
    inv.receive("SKU-1", "MAIN", 4)
    row = inventory_report(inv)[0]
    assert row["total"] == 4 and row["value_cents"] == 1000 and row["reorder"]
    assert format_cents(123456) == "1,234.56"

import pytest

from stockroom.errors import StockError
from stockroom.locations import Locations, Pick, parse_code, walk_order


@pytest.fixture
def loc(inv):
    inv.add_product("SKU-2", "Gadget")
    locations = Locations(inv)
    for code, cap in (("A-01-1", 10), ("A-02-1", 10), ("B-01-1", 10), ("B-02-1", 10)):
        locations.add_bin("MAIN", code, cap)
    return locations


def test_codes_and_snake_order():
    assert parse_code(" a-03-2 ") == ("A", 3, 2)
    with pytest.raises(StockError, match="aisle-rack-shelf"):
        parse_code("A3")
    codes = ["B-01-1", "A-02-1", "B-02-1", "A-01-1"]
    assert sorted(codes, key=walk_order) == ["A-01-1", "A-02-1", "B-02-1", "B-01-1"]


def test_put_away_fills_known_bins_first_and_refuses_overflow(loc):
    assert loc.put_away("MAIN", "SKU-1", 4) == [Pick("A-01-1", "SKU-1", 4)]
    assert loc.put_away("MAIN", "SKU-1", 12) == [Pick("A-01-1", "SKU-1", 6), Pick("A-02-1", "SKU-1", 6)]
    assert loc.contents("MAIN", "SKU-1") == {"A-01-1": 10, "A-02-1": 6}
    with pytest.raises(StockError, match="do not fit"):
        loc.put_away("MAIN", "SKU-2", 100)
    assert loc.contents("MAIN", "SKU-2") == {}, "all or nothing"


def test_pick_list_walks_the_snake_and_confirm_removes(loc):
    loc.put_away("MAIN", "SKU-1", 16)  # A-01-1: 10, A-02-1: 6
    loc.put_away("MAIN", "SKU-2", 3)   # A-02-1 has room for 4
    picks = loc.pick_list("MAIN", {"SKU-1": 8, "sku-2": 2})
    assert picks == [Pick("A-01-1", "SKU-1", 2), Pick("A-02-1", "SKU-1", 6), Pick("A-02-1", "SKU-2", 2)]
    loc.confirm("MAIN", picks)
    assert loc.contents("MAIN", "SKU-1") == {"A-01-1": 8} and loc.contents("MAIN", "SKU-2") == {"A-02-1": 1}
    with pytest.raises(StockError, match="no longer holds"):
        loc.confirm("MAIN", picks)
    with pytest.raises(StockError, match="in bins"):
        loc.pick_list("MAIN", {"SKU-2": 5})


def test_duplicate_bins_are_refused(loc):
    with pytest.raises(StockError):
        loc.add_bin("MAIN", "A-01-1", 5)

import pytest


@pytest.fixture
def inv():
    from stockroom import Inventory, connect

    inv = Inventory(connect())
    inv.add_warehouse("MAIN", "Main depot")
    inv.add_warehouse("EAST", "East branch")
    inv.add_product("SKU-1", "Widget", reorder_level=10, unit_cost_cents=250)
    return inv

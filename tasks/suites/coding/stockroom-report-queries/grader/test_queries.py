from stockroom import Inventory, connect
from stockroom.reports import inventory_report, reorder_list


def _big(products=120, warehouses=6):
    inv = Inventory(connect())
    for w in range(warehouses):
        inv.add_warehouse(f"W{w}", f"Warehouse {w}")
    for p in range(products):
        inv.add_product(f"P{p:04d}", f"Product {p}", reorder_level=p % 7, unit_cost_cents=100 + p)
        for w in range(warehouses):
            if (p + w) % 3 == 0:
                inv.receive(f"P{p:04d}", f"W{w}", (p * w) % 11 + 1)
    return inv


def _count_statements(inv, fn):
    seen = []
    inv.repo.conn.set_trace_callback(seen.append)
    try:
        result = fn(inv)
    finally:
        inv.repo.conn.set_trace_callback(None)
    return result, len(seen)


def test_statement_count_does_not_grow():
    _, small = _count_statements(_big(10, 2), inventory_report)
    _, large = _count_statements(_big(120, 6), inventory_report)
    assert large == small and large <= 4, (small, large)


def test_report_content():
    inv = _big(30, 4)
    rows = {r["sku"]: r for r in inventory_report(inv)}
    assert len(rows) == 30
    # P0003 at W0 (3+0)%3==0 -> qty 1; at W3 -> (9 % 11)+1 = 10
    assert rows["P0003"]["by_warehouse"] == {"W0": 1, "W3": 10}
    assert rows["P0003"]["total"] == 11 and rows["P0003"]["value_cents"] == 11 * 103
    assert rows["P0001"]["by_warehouse"] == {"W2": 3}


def test_products_without_stock_are_listed():
    inv = _big(3, 2)
    inv.add_product("ZERO", "Nothing", reorder_level=2)
    row = {r["sku"]: r for r in inventory_report(inv)}["ZERO"]
    assert row == {"sku": "ZERO", "name": "Nothing", "total": 0, "by_warehouse": {}, "value_cents": 0,
                   "reorder": True}


def test_order_is_by_sku():
    skus = [r["sku"] for r in inventory_report(_big(25, 3))]
    assert skus == sorted(skus)


def test_reorder_list_still_works():
    inv = _big(20, 3)
    out = reorder_list(inv)
    assert out and all(r["total"] <= r["total"] + r["short_by"] for r in out)
    assert [(-r["short_by"], r["sku"]) for r in out] == sorted((-r["short_by"], r["sku"]) for r in out)

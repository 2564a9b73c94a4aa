import datetime as dt

import pytest

from stockroom.aging import age_stock, bucket, value_by_warehouse
from stockroom.audit import check, discrepancies
from stockroom.cli import main
from stockroom.errors import NotFound, StockError
from stockroom.purchasing import Purchasing


@pytest.fixture
def po(inv):
    inv.add_product("SKU-2", "Gadget", reorder_level=5, unit_cost_cents=1000)
    return Purchasing(inv)


def test_order_lifecycle(inv, po):
    po.create("po-1", "Acme", "main")
    po.add_line("PO-1", "sku-1", 30)
    po.add_line("PO-1", "SKU-2", 5, unit_cost_cents=900)
    order = po.add_line("PO-1", "SKU-1", 10)  # same product again: one line
    assert [(line.sku, line.ordered) for line in order.lines] == [("SKU-1", 40), ("SKU-2", 5)]
    assert order.total_cents == 40 * 250 + 5 * 900
    po.send("PO-1")
    with pytest.raises(StockError, match="only drafts"):
        po.add_line("PO-1", "SKU-2", 1)
    order = po.receive("PO-1", {"SKU-1": 25})
    assert order.status == "partial" and order.outstanding == {"SKU-1": 15, "SKU-2": 5}
    assert po.on_order("SKU-1") == 15 and inv.on_hand("SKU-1", "MAIN") == 25
    order = po.receive("PO-1", {"SKU-1": 15, "SKU-2": 5})
    assert order.status == "received" and not order.outstanding and po.open_orders() == []
    assert [m["reference"] for m in inv.history("SKU-2")] == ["PO-1"]


def test_over_receipt_refuses_the_whole_delivery(inv, po):
    po.create("PO-2", "Acme", "MAIN")
    po.add_line("PO-2", "SKU-1", 10)
    po.add_line("PO-2", "SKU-2", 2)
    po.send("PO-2")
    with pytest.raises(StockError, match="would exceed the 2 ordered"):
        po.receive("PO-2", {"SKU-1": 10, "SKU-2": 3})
    assert inv.on_hand("SKU-1", "MAIN") == 0 and po.get("PO-2").status == "sent"


@pytest.mark.parametrize(("action", "message"), [
    (lambda p: p.send("PO-3"), "has no lines"),
    (lambda p: p.receive("PO-3", {"SKU-1": 1}), "nothing can be received"),
    (lambda p: p.create("PO-3", "Other", "MAIN"), "already exists"),
    (lambda p: p.get("PO-404"), "no purchase order"),
])
def test_order_errors(po, action, message):
    po.create("PO-3", "Acme", "MAIN")
    with pytest.raises((StockError, NotFound), match=message):
        action(po)


def test_cancel(po):
    po.create("PO-4", "Acme", "MAIN")
    assert po.cancel("PO-4").status == "cancelled"
    with pytest.raises(StockError, match="cannot be cancelled"):
        po.cancel("PO-4")


def test_audit_finds_direct_writes(inv):
    inv.receive("SKU-1", "MAIN", 20)
    inv.transfer("SKU-1", "MAIN", "EAST", 5)
    assert check(inv.repo.conn) == []
    inv.repo.conn.execute("UPDATE stock SET quantity = 99 WHERE warehouse_id = "
                          "(SELECT id FROM warehouses WHERE code = 'EAST')")
    (d,) = discrepancies(inv.repo.conn)
    assert (d.sku, d.warehouse, d.on_hand, d.from_movements, d.difference) == ("SKU-1", "EAST", 99, 5, 94)
    assert check(inv.repo.conn) == ["SKU-1 at EAST: 99 on hand, movements add up to 5 (+94)"]


def test_aging_is_fifo(inv):
    conn = inv.repo.conn
    inv.receive("SKU-1", "MAIN", 10)
    inv.receive("SKU-1", "MAIN", 10)
    inv.ship("SKU-1", "MAIN", 12)
    ids = [r[0] for r in conn.execute("SELECT id FROM movements WHERE delta > 0 ORDER BY id")]
    conn.execute("UPDATE movements SET at = '2024-01-01T00:00:00Z' WHERE id = ?", (ids[0],))
    conn.execute("UPDATE movements SET at = '2024-06-20T00:00:00Z' WHERE id = ?", (ids[1],))
    (aged,) = age_stock(conn, today=dt.date(2024, 7, 1))
    assert aged.quantity == 8 and aged.by_bucket == {"0-30 days": 8}  # the 8 left are the newest
    assert aged.value_cents == 8 * 250 and value_by_warehouse([aged]) == {"MAIN": 2000}
    assert [bucket(d) for d in (0, 30, 31, 90, 180, 181)] == ["0-30 days", "0-30 days", "31-90 days",
                                                              "31-90 days", "91-180 days", "over 180 days"]


def test_cli_purchase_order_and_check(tmp_path, capsys):
    db = str(tmp_path / "s.db")
    for args in (["add-warehouse", "MAIN", "Main"], ["add-product", "SKU-9", "Bolt", "--unit-cost-cents", "5"],
                 ["po", "create", "PO-9", "Acme", "MAIN"], ["po", "add", "PO-9", "SKU-9", "100"],
                 ["po", "send", "PO-9"], ["po", "receive", "PO-9", "SKU-9=60"]):
        assert main(["--db", db, *args]) == 0, args
    out = capsys.readouterr().out
    assert "PO-9 Acme -> MAIN: partial, total 5.00" in out
    assert main(["--db", db, "po", "open"]) == 0
    assert "outstanding: SKU-9 40" in capsys.readouterr().out
    assert main(["--db", db, "check"]) == 0 and "consistent" in capsys.readouterr().out
    assert main(["--db", db, "po", "receive", "PO-9", "SKU-9"]) == 2

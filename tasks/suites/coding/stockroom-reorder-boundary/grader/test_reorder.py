from stockroom.cli import main
from stockroom.reports import inventory_report, reorder_list


def test_exactly_at_level_is_reordered(inv):
    inv.receive("SKU-1", "MAIN", 10)
    assert [r["sku"] for r in reorder_list(inv)] == ["SKU-1"]
    assert reorder_list(inv)[0]["short_by"] == 0


def test_above_level_is_not(inv):
    inv.receive("SKU-1", "MAIN", 11)
    assert reorder_list(inv) == []


def test_level_counts_all_warehouses(inv):
    inv.receive("SKU-1", "MAIN", 6)
    inv.receive("SKU-1", "EAST", 4)
    assert inventory_report(inv)[0]["reorder"] is True
    inv.receive("SKU-1", "EAST", 1)
    assert inventory_report(inv)[0]["reorder"] is False


def test_zero_level_and_zero_stock(inv):
    inv.add_product("SKU-0", "Free sample", reorder_level=0)
    assert "SKU-0" in [r["sku"] for r in reorder_list(inv)]


def test_order_most_urgent_first(inv):
    inv.add_product("SKU-2", "Gadget", reorder_level=50)
    inv.receive("SKU-1", "MAIN", 10)
    assert [r["sku"] for r in reorder_list(inv)] == ["SKU-2", "SKU-1"]


def test_cli_reorder(tmp_path, capsys):
    db = str(tmp_path / "s.db")
    main(["--db", db, "add-warehouse", "MAIN", "Main"])
    main(["--db", db, "add-product", "SKU-9", "Nine", "--reorder-level", "5"])
    main(["--db", db, "receive", "SKU-9", "MAIN", "5"])
    capsys.readouterr()
    assert main(["--db", db, "reorder"]) == 0
    assert "SKU-9" in capsys.readouterr().out

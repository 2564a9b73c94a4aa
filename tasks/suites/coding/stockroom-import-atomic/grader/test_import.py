import pytest

from stockroom import StockError
from stockroom.importer import import_csv

GOOD = "sku,name,reorder_level,unit_cost,warehouse,quantity\n" \
       "A-1,Alpha,5,1.50,MAIN,10\nB-2,Beta,0,2,EAST,3\nC-3,Gamma,1,0.99,MAIN,7\n"
BAD = GOOD + "D-4,Delta,0,not-a-price,MAIN,1\n"


def _snapshot(inv):
    c = inv.repo.conn
    return (c.execute("SELECT COUNT(*) FROM products").fetchone()[0],
            c.execute("SELECT COALESCE(SUM(quantity), 0) FROM stock").fetchone()[0],
            c.execute("SELECT COUNT(*) FROM movements").fetchone()[0])


def test_bad_line_imports_nothing(inv, tmp_path):
    (tmp_path / "bad.csv").write_text(BAD)
    before = _snapshot(inv)
    with pytest.raises(StockError, match="line 5"):
        import_csv(inv, tmp_path / "bad.csv")
    assert _snapshot(inv) == before


def test_fixed_file_imports_once(inv, tmp_path):
    (tmp_path / "bad.csv").write_text(BAD)
    with pytest.raises(StockError):
        import_csv(inv, tmp_path / "bad.csv")
    (tmp_path / "good.csv").write_text(GOOD)
    assert import_csv(inv, tmp_path / "good.csv") == {"products": 3, "receipts": 3}
    assert inv.on_hand("A-1", "MAIN") == 10 and inv.on_hand("C-3", "MAIN") == 7


def test_unknown_warehouse_rolls_back(inv, tmp_path):
    (tmp_path / "w.csv").write_text(GOOD + "E-5,Eps,0,1,NOWHERE,2\n")
    before = _snapshot(inv)
    with pytest.raises(StockError):
        import_csv(inv, tmp_path / "w.csv")
    assert _snapshot(inv) == before


def test_connection_usable_after_failed_import(inv, tmp_path):
    (tmp_path / "bad.csv").write_text(BAD)
    with pytest.raises(StockError):
        import_csv(inv, tmp_path / "bad.csv")
    assert not inv.repo.conn.in_transaction
    assert inv.receive("SKU-1", "MAIN", 2) == 2


def test_single_operations_still_atomic(inv):
    inv.receive("SKU-1", "MAIN", 5)
    with pytest.raises(StockError):
        inv.transfer("SKU-1", "MAIN", "EAST", 50)
    assert (inv.on_hand("SKU-1", "MAIN"), inv.on_hand("SKU-1", "EAST")) == (5, 0)
    assert not inv.repo.conn.in_transaction


def test_nested_failure_inside_outer_transaction_rolls_back_all(inv):
    with pytest.raises(StockError):
        with inv.repo.transaction():
            inv.receive("SKU-1", "MAIN", 5)
            inv.ship("SKU-1", "MAIN", 50)
    assert inv.on_hand("SKU-1", "MAIN") == 0 and not inv.repo.conn.in_transaction

import pytest

from stockroom.costing import average_cost, average_cost_history, inventory_value
from stockroom.labels import BarcodeError, Label, check_digit, make_sscc, to_gtin14, validate_gtin
from stockroom.purchasing import Purchasing


@pytest.mark.parametrize(("code", "kind"), [
    ("4006381333931", "EAN-13"), ("036000291452", "UPC-A"), ("96385074", "EAN-8"), ("10012345678902", "GTIN-14"),
    ("400-6381 333931", "EAN-13")])
def test_valid_gtins(code, kind):
    assert validate_gtin(code) == kind


@pytest.mark.parametrize(("code", "message"), [
    ("4006381333932", "should be 1"), ("40063813339", "11 digits"), ("40063813339A1", "digits only")])
def test_invalid_gtins(code, message):
    with pytest.raises(BarcodeError, match=message):
        validate_gtin(code)


def test_gtin14_sscc_and_labels():
    assert to_gtin14("036000291452") == "00036000291452"
    sscc = make_sscc(3, "0614141", 123456789)
    assert len(sscc) == 18 and sscc.startswith("30614141123456789")
    assert int(sscc[-1]) == check_digit(sscc[:-1])  # the same GS1 mod-10 as GTINs
    with pytest.raises(BarcodeError):
        make_sscc(0, "0614141", 10 ** 9)
    text = Label("SKU-1", "A widget with a rather long name indeed", "4006381333931", 12).render(24)
    lines = text.splitlines()
    assert lines[1] == "|SKU-1              x  12|" and lines[2].endswith("…|") and "04006381333931" in lines[3]


def test_weighted_average_cost(inv):
    po = Purchasing(inv)
    po.create("PO-1", "Acme", "MAIN")
    po.add_line("PO-1", "SKU-1", 10, unit_cost_cents=200)
    po.send("PO-1")
    po.receive("PO-1", {"SKU-1": 10})
    inv.ship("SKU-1", "MAIN", 4)
    po.create("PO-2", "Acme", "MAIN")
    po.add_line("PO-2", "SKU-1", 6, unit_cost_cents=300)
    po.send("PO-2")
    po.receive("PO-2", {"SKU-1": 6})
    # 6 units at 2.00 and 6 at 3.00: 2.50; the shipment changed units, not the average
    assert [p.average_cents for p in average_cost_history(inv.repo.conn, "SKU-1")] == [200, 200, 250]
    assert average_cost(inv.repo.conn, "sku-1") == 250
    assert inventory_value(inv.repo.conn) == {"SKU-1": 12 * 250}


def test_standard_cost_without_priced_receipts(inv):
    inv.receive("SKU-1", "MAIN", 3)
    assert average_cost(inv.repo.conn, "SKU-1") is None
    assert inventory_value(inv.repo.conn) == {"SKU-1": 3 * 250}

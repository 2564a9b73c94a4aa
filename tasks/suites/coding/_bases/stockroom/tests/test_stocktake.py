import csv
import datetime as dt

import pytest

from stockroom.errors import StockError
from stockroom.stocktake import apply_counts, count_sheet, summary


def fill(path, counted: dict[str, str]):
    rows = list(csv.DictReader(open(path, newline="")))
    for r in rows:
        r["counted"] = counted.get(r["sku"], "")
    with open(path, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def test_count_apply_and_summary(inv, tmp_path):
    inv.add_product("SKU-2", "Gadget", unit_cost_cents=1000)
    inv.receive("SKU-1", "MAIN", 10)
    inv.receive("SKU-2", "MAIN", 4)
    sheet = tmp_path / "count.csv"
    assert count_sheet(inv, "main", sheet) == 2
    assert sheet.read_text().splitlines()[1] == "SKU-1,Widget,10,"
    fill(sheet, {"SKU-1": "8", "SKU-2": "5"})
    variances = apply_counts(inv, "MAIN", sheet, today=dt.date(2024, 6, 30))
    assert [(v.sku, v.difference, v.value_cents) for v in variances] == [("SKU-2", 1, 1000), ("SKU-1", -2, -500)]
    assert inv.on_hand("SKU-1", "MAIN") == 8 and inv.history("SKU-1")[-1]["reference"] == "stocktake 2024-06-30"
    assert summary(variances) == "2 product(s) adjusted; found 10.00, lost 5.00, net +5.00"


def test_uncounted_lines_are_skipped_and_bad_sheets_refused(inv, tmp_path):
    inv.receive("SKU-1", "MAIN", 10)
    sheet = tmp_path / "count.csv"
    count_sheet(inv, "MAIN", sheet)
    assert apply_counts(inv, "MAIN", sheet) == [] and inv.on_hand("SKU-1", "MAIN") == 10
    fill(sheet, {"SKU-1": "about 9"})
    with pytest.raises(StockError, match="line 2: counted must be a whole number"):
        apply_counts(inv, "MAIN", sheet)
    sheet.write_text("sku,counted\nSKU-1,3\n")
    with pytest.raises(StockError, match="missing column"):
        apply_counts(inv, "MAIN", sheet)
    assert inv.on_hand("SKU-1", "MAIN") == 10


def test_a_bad_line_changes_nothing(inv, tmp_path):
    inv.receive("SKU-1", "MAIN", 10)
    sheet = tmp_path / "count.csv"
    sheet.write_text("sku,name,expected,counted\nSKU-1,Widget,10,7\nSKU-404,Ghost,0,1\n")
    with pytest.raises(StockError):
        apply_counts(inv, "MAIN", sheet)
    assert inv.on_hand("SKU-1", "MAIN") == 10, "one transaction: the first line was rolled back"

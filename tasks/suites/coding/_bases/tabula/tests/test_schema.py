import datetime as dt
from decimal import Decimal

import pytest

from tabula.errors import SchemaError
from tabula.schema import Schema


def test_decimal_forms():
    s = Schema({"a": "decimal"})
    assert s.convert("a", "1,250.00") == Decimal("1250.00")
    assert s.convert("a", "(40.00)") == Decimal("-40.00")
    assert s.convert("a", "$9.5") == Decimal("9.5")


def test_empty_cells_are_none():
    s = Schema({"a": "int"})
    for text in ("", " ", "n/a", "NULL", "-"):
        assert s.convert("a", text) is None


def test_dates():
    s = Schema({"d": "date"})
    assert s.convert("d", "2025-03-04") == dt.date(2025, 3, 4)
    assert s.convert("d", "2025/03/04") == dt.date(2025, 3, 4)
    assert s.convert("d", "04.03.2025") == dt.date(2025, 3, 4)


def test_bad_value_names_the_column_and_row():
    with pytest.raises(SchemaError, match=r"column 'n' \(row 3\)"):
        Schema({"n": "int"}).convert("n", "x", 3)

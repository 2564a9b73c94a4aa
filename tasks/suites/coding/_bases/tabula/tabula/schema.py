"""Column types: each converts the text of a cell to a Python value, or None for an empty cell."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from .errors import SchemaError

EMPTY = {"", "na", "n/a", "null", "none", "-"}


def _is_empty(text: str) -> bool:
    return text.strip().lower() in EMPTY


def parse_int(text: str) -> int:
    return int(text.strip().replace("_", ""))


def parse_decimal(text: str) -> Decimal:
    cleaned = text.strip().replace(",", "")
    negative = cleaned.startswith("(") and cleaned.endswith(")")  # accounting style: (12.50)
    if negative:
        cleaned = cleaned[1:-1]
    for symbol in ("$", "€", "£"):
        cleaned = cleaned.replace(symbol, "")
    value = Decimal(cleaned)
    return -value if negative else value


DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y")


def parse_date(text: str) -> dt.date:
    text = text.strip()
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse_bool(text: str) -> bool:
    t = text.strip().lower()
    if t in ("true", "yes", "y", "1"):
        return True
    if t in ("false", "no", "n", "0"):
        return False
    raise ValueError(text)


TYPES: dict[str, Callable[[str], Any]] = {
    "int": parse_int,
    "decimal": parse_decimal,
    "date": parse_date,
    "bool": parse_bool,
    "str": str.strip,
}


class Schema:
    def __init__(self, columns: dict[str, str]):
        unknown = {t for t in columns.values() if t not in TYPES}
        if unknown:
            raise SchemaError(next(iter(columns)), sorted(unknown)[0], f"one of {sorted(TYPES)}")
        self.columns = dict(columns)

    def convert(self, name: str, text: Any, row: int | None = None) -> Any:
        type_name = self.columns.get(name, "str")
        if text is None or (isinstance(text, str) and _is_empty(text)):
            return None
        if not isinstance(text, str):
            return text  # already typed (a JSON reader gives numbers)
        try:
            return TYPES[type_name](text)
        except (ValueError, InvalidOperation) as exc:
            raise SchemaError(name, text, type_name, row) from exc

    def apply(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{k: self.convert(k, v, i + 1) for k, v in r.items()} for i, r in enumerate(rows)]

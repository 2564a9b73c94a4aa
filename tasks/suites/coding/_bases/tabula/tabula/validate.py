"""Data-quality rules checked against typed rows, reported all at once.

A rules file (TOML) lists checks per column and for whole rows:

    [columns.order_id]
    not_null = true
    unique = true

    [columns.amount]
    min = 0
    max = 100000

    [columns.customer]
    pattern = "^[A-Z][a-z]+$"
    one_of = ["Ada", "Grace"]

    [[rows]]
    where = "shipped >= placed"
    message = "shipped before it was placed"

A violation names the row (1-based, as a spreadsheet would show it after the header), the column,
the rule and the value, so the person fixing the data can find it.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from .errors import PipelineError
from .expr import Expression

COLUMN_RULES = ("not_null", "unique", "min", "max", "pattern", "one_of", "min_length", "max_length")


@dataclass
class Violation:
    row: int | None
    column: str | None
    rule: str
    value: Any
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row is not None else "all rows"
        col = f", column '{self.column}'" if self.column else ""
        return f"{where}{col}: {self.message}"


@dataclass
class Rules:
    columns: dict[str, dict[str, Any]]
    rows: list[dict[str, str]]

    @classmethod
    def load(cls, path: str | Path) -> Rules:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise PipelineError(f"rules file {path}: {exc}") from exc
        return cls.from_dict(data, str(path))

    @classmethod
    def from_dict(cls, data: dict, source: str = "rules") -> Rules:
        columns = data.get("columns", {})
        for name, rules in columns.items():
            unknown = set(rules) - set(COLUMN_RULES)
            if unknown:
                raise PipelineError(f"{source}: column '{name}': unknown rule(s) {', '.join(sorted(unknown))} "
                                    f"(known: {', '.join(COLUMN_RULES)})")
        rows = data.get("rows", [])
        for i, r in enumerate(rows, 1):
            if "where" not in r:
                raise PipelineError(f"{source}: rows[{i}] needs a `where` expression")
        return cls(columns, rows)


def _number(value):
    return value if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) else None


def check_column(rows: list[dict], name: str, rules: dict[str, Any]) -> list[Violation]:
    out: list[Violation] = []
    if rows and all(name not in r for r in rows):
        return [Violation(None, name, "exists", None, "no such column")]
    pattern = re.compile(rules["pattern"]) if "pattern" in rules else None
    counts = Counter(r.get(name) for r in rows if r.get(name) is not None) if rules.get("unique") else Counter()
    for i, row in enumerate(rows, 1):
        value = row.get(name)
        if value is None:
            if rules.get("not_null"):
                out.append(Violation(i, name, "not_null", value, "is empty"))
            continue  # the other rules say nothing about empty cells
        if rules.get("unique") and counts[value] > 1:
            out.append(Violation(i, name, "unique", value, f"{value!r} appears {counts[value]} times"))
        num = _number(value)
        if "min" in rules and num is not None and num < Decimal(str(rules["min"])):
            out.append(Violation(i, name, "min", value, f"{value} is below {rules['min']}"))
        if "max" in rules and num is not None and num > Decimal(str(rules["max"])):
            out.append(Violation(i, name, "max", value, f"{value} is above {rules['max']}"))
        text = str(value)
        if pattern and not pattern.search(text):
            out.append(Violation(i, name, "pattern", value, f"{text!r} does not match {rules['pattern']!r}"))
        if "one_of" in rules and value not in rules["one_of"]:
            out.append(Violation(i, name, "one_of", value, f"{value!r} is not one of {rules['one_of']}"))
        if "min_length" in rules and len(text) < rules["min_length"]:
            out.append(Violation(i, name, "min_length", value, f"shorter than {rules['min_length']} characters"))
        if "max_length" in rules and len(text) > rules["max_length"]:
            out.append(Violation(i, name, "max_length", value, f"longer than {rules['max_length']} characters"))
    return out


def validate(rows: list[dict], rules: Rules) -> list[Violation]:
    out: list[Violation] = []
    for name, column_rules in rules.columns.items():
        out += check_column(rows, name, column_rules)
    for rule in rules.rows:
        expr = Expression(rule["where"])
        message = rule.get("message") or f"fails: {rule['where']}"
        for i, row in enumerate(rows, 1):
            if not expr.evaluate(row):
                out.append(Violation(i, None, "where", None, message))
    return sorted(out, key=lambda v: (v.row or 0, v.column or "", v.rule))


def summarize(violations: list[Violation]) -> dict[str, int]:
    """How many violations of each rule, per column: `amount.min: 3`."""
    return dict(Counter(f"{v.column or 'row'}.{v.rule}" for v in violations))

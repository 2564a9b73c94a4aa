
"""Deterministic checks for this task: each check_* passes or raises with the reason."""

import csv
import json
import re
from pathlib import Path

EXPECTED = json.loads(r"""{
 "out": "reconciled.csv",
 "depts": [
  "Engineering",
  "Marketing",
  "Sales",
  "Operations",
  "People"
 ],
 "budget": {
  "Engineering": 602000,
  "Marketing": 163000,
  "Sales": 698000,
  "Operations": 648000,
  "People": 458000
 },
 "actual": {
  "Engineering": 246232.38,
  "Marketing": 391819.23,
  "Sales": 292834.47,
  "Operations": 208629.95,
  "People": 463032.27
 },
 "old_plan": {
  "Engineering": 627000,
  "Marketing": 122000,
  "Sales": 718000,
  "Operations": 626000,
  "People": 472000
 },
 "refc": [
  "Operations",
  605000,
  648000
 ],
 "dup": [
  "Sales",
  1849.1
 ],
 "accr": [
  "Engineering",
  28841.05
 ],
 "corr": [
  "Marketing",
  34053.3,
  25053.3
 ],
 "total": [
  2569000,
  1602548.3,
  966451.7
 ]
}""")


def _text(ws: Path, name: str) -> str:
    path = ws / name
    assert path.is_file(), f"{name} was not written"
    return path.read_text(errors="replace")


def _numbers(text: str) -> list[float]:
    """Every number in the text, with '4.8M', '4.8 million', '12k' and '$1,234.50' read as values."""
    out = []
    for m in re.finditer(r"(-?\$?-?\d[\d,]*(?:\.\d+)?)\s*(million|mn|m\b|k\b|thousand|%)?", text, re.I):
        raw = m.group(1).replace("$", "").replace(",", "")
        try:
            value = float(raw)
        except ValueError:
            continue
        unit = (m.group(2) or "").lower()
        out.append(value)
        if unit in ("million", "mn", "m"):
            out.append(value * 1_000_000)
        elif unit in ("k", "thousand"):
            out.append(value * 1_000)
    return out


def _has_number(text: str, value: float, tol: float = 0.005) -> bool:
    return any(abs(n - value) <= max(abs(value) * tol, 0.51) for n in _numbers(text))


def _sections(text: str) -> dict[str, str]:
    """Markdown headings (any level) -> the text under them, keys lower-cased."""
    parts, current = {}, None
    for line in text.splitlines():
        m = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if m:
            current = m.group(1).strip().lower()
            parts[current] = ""
        elif current is not None:
            parts[current] += line + "\n"
    return parts


def _section(text: str, name: str) -> str:
    for title, body in _sections(text).items():
        if name.lower() in title:
            return body
    raise AssertionError(f"no section titled like '{name}'")


def _table(ws: Path, name: str) -> list[dict]:
    """Rows of a CSV or XLSX deliverable, keys lower-cased and stripped."""
    path = ws / name
    assert path.is_file(), f"{name} was not written"
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        sheet = load_workbook(path, data_only=True).worksheets[0]
        rows = [[("" if c is None else str(c)) for c in r] for r in sheet.iter_rows(values_only=True)]
    else:
        rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    rows = [r for r in rows if any(c.strip() for c in r)]
    assert rows, f"{name} is empty"
    head = [h.strip().lower() for h in rows[0]]
    return [dict(zip(head, (c.strip() for c in r))) for r in rows[1:]]


def _num(cell: str) -> float:
    cell = cell.replace("$", "").replace(",", "").replace("€", "").strip()
    if cell.startswith("(") and cell.endswith(")"):
        cell = "-" + cell[1:-1]
    return float(cell)


def _row(rows: list[dict], key: str, value: str) -> dict:
    for r in rows:
        if r.get(key, "").strip().lower() == value.lower():
            return r
    raise AssertionError(f"no row with {key} = {value!r}")

def _rows(ws):
    return _table(ws, EXPECTED["out"])


def check_columns(ws):
    assert {"department", "budget", "actual", "variance"} <= set(_rows(ws)[0]), "missing columns"


def check_one_row_per_department(ws):
    names = [r["department"].lower() for r in _rows(ws)]
    for d in EXPECTED["depts"]:
        assert names.count(d.lower()) == 1, f"{d}: {names.count(d.lower())} rows"


def check_reforecast_budget_used(ws):
    d, old, new = EXPECTED["refc"]
    got = _num(_row(_rows(ws), "department", d)["budget"])
    assert abs(got - new) < 0.51, f"{d} budget {got}, expected the reforecast {new} (not {old})"


def check_other_budgets_from_approved_plan(ws):
    for d in EXPECTED["depts"]:
        got = _num(_row(_rows(ws), "department", d)["budget"])
        assert abs(got - EXPECTED["budget"][d]) < 0.51, f"{d} budget {got} != {EXPECTED['budget'][d]}"


def check_duplicate_counted_once(ws):
    d, amount = EXPECTED["dup"]
    got = _num(_row(_rows(ws), "department", d)["actual"])
    assert abs(got - EXPECTED["actual"][d]) < 0.51, f"{d} actual {got} != {EXPECTED['actual'][d]}"


def check_q2_accrual_excluded(ws):
    d, amount = EXPECTED["accr"]
    got = _num(_row(_rows(ws), "department", d)["actual"])
    assert abs(got - EXPECTED["actual"][d]) < 0.51, f"{d} actual {got} != {EXPECTED['actual'][d]}"


def check_keying_error_corrected(ws):
    d, keyed, true = EXPECTED["corr"]
    got = _num(_row(_rows(ws), "department", d)["actual"])
    assert abs(got - EXPECTED["actual"][d]) < 0.51, f"{d} actual {got} != {EXPECTED['actual'][d]}"


def check_all_actuals(ws):
    for d in EXPECTED["depts"]:
        got = _num(_row(_rows(ws), "department", d)["actual"])
        assert abs(got - EXPECTED["actual"][d]) < 0.51, f"{d} actual {got} != {EXPECTED['actual'][d]}"


def check_variances(ws):
    for d in EXPECTED["depts"]:
        r = _row(_rows(ws), "department", d)
        want = EXPECTED["budget"][d] - EXPECTED["actual"][d]
        assert abs(_num(r["variance"]) - want) < 1.01, f"{d} variance {r['variance']} != {want:.2f}"


def check_total_row(ws):
    r = _row(_rows(ws), "department", "TOTAL")
    for col, want in zip(("budget", "actual", "variance"), EXPECTED["total"]):
        assert abs(_num(r[col]) - want) < 1.01, f"TOTAL {col} {r[col]} != {want:.2f}"


def check_obsolete_plan_not_used(ws):
    for d in EXPECTED["depts"]:
        got = _num(_row(_rows(ws), "department", d)["budget"])
        if EXPECTED["old_plan"][d] != EXPECTED["budget"][d]:
            assert abs(got - EXPECTED["old_plan"][d]) > 0.5, f"{d} uses the obsolete v1 budget"

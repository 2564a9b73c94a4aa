
"""Deterministic checks for this task: each check_* passes or raises with the reason."""

import csv
import json
import re
from pathlib import Path

EXPECTED = json.loads(r"""{
 "costs": {
  "Helpwise": 54496.0,
  "Deskora": 53800.0,
  "Ticketly": 12960.0
 },
 "meets": {
  "Helpwise": true,
  "Deskora": true,
  "Ticketly": false
 },
 "winner": "Deskora",
 "revised": [
  "Deskora",
  56680.0
 ],
 "others": [
  "Helpwise",
  "Ticketly"
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
    return _table(ws, "comparison.csv")


def check_columns(ws):
    assert {"vendor", "three_year_cost", "meets_requirements"} <= set(_rows(ws)[0])


def check_every_vendor_once(ws):
    names = [r["vendor"].lower() for r in _rows(ws)]
    for v in EXPECTED["costs"]:
        assert names.count(v.lower()) == 1, f"{v}: {names.count(v.lower())} rows"


def check_revised_quote_used(ws):
    v, old = EXPECTED["revised"]
    got = _num(_row(_rows(ws), "vendor", v)["three_year_cost"])
    assert abs(got - EXPECTED["costs"][v]) <= 1, f"{v}: {got}, expected {EXPECTED['costs'][v]} (not {old})"


def check_costs(ws):
    for v, want in EXPECTED["costs"].items():
        got = _num(_row(_rows(ws), "vendor", v)["three_year_cost"])
        assert abs(got - want) <= 1, f"{v}: {got} != {want}"


def check_requirements(ws):
    for v, ok in EXPECTED["meets"].items():
        got = _row(_rows(ws), "vendor", v)["meets_requirements"].lower()
        assert got == ("yes" if ok else "no"), f"{v}: meets_requirements {got}"


def check_recommendation(ws):
    text = _text(ws, "recommendation.md").lower()
    assert EXPECTED["winner"].lower() in text, "recommended vendor not named"


def check_recommendation_is_unambiguous(ws):
    text = _text(ws, "recommendation.md").lower()
    for other in EXPECTED["others"]:
        assert not re.search(r"recommend\w*\W+(?:\w+\W+){0,3}" + re.escape(other.lower()), text), \
            f"also recommends {other}"

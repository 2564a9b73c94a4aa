
"""Deterministic checks for this task: each check_* passes or raises with the reason."""

import csv
import json
import re
from pathlib import Path

EXPECTED = json.loads(r"""{
 "slides": [
  "highlights",
  "financials",
  "customers",
  "risks",
  "asks"
 ],
 "revenue": 5339000,
 "old_revenue": 5442000,
 "margin": 71.1,
 "won": 20,
 "churned": 7,
 "top_risk": "Loss of top customer",
 "ask": 1200000,
 "old_ask": 1000000
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

def _deck(ws):
    return _text(ws, "board_deck.md")


def check_slides_in_order(ws):
    titles = list(_sections(_deck(ws)))
    positions = []
    for s in EXPECTED["slides"]:
        hits = [i for i, t in enumerate(titles) if s in t]
        assert hits, f"no slide '{s}'"
        positions.append(hits[0])
    assert positions == sorted(positions), f"slides out of order: {titles}"


def check_restated_revenue(ws):
    assert _has_number(_section(_deck(ws), "financials"), EXPECTED["revenue"]), "quarter revenue missing or wrong"


def check_unrestated_revenue_absent(ws):
    assert not _has_number(_deck(ws), EXPECTED["old_revenue"], 0.0005), "uses the pre-restatement revenue"


def check_gross_margin(ws):
    assert _has_number(_section(_deck(ws), "financials"), EXPECTED["margin"], 0.001), "gross margin missing"


def check_new_customers(ws):
    assert str(EXPECTED["won"]) in re.findall(r"\d+", _section(_deck(ws), "customers")), "new customers count"


def check_churned_customers(ws):
    assert str(EXPECTED["churned"]) in re.findall(r"\d+", _section(_deck(ws), "customers")), "churned count"


def check_top_risk(ws):
    assert EXPECTED["top_risk"].lower() in _section(_deck(ws), "risks").lower(), "top risk not named"


def check_ask_amount(ws):
    assert _has_number(_section(_deck(ws), "asks"), EXPECTED["ask"], 0.001), "ask amount missing or wrong"


def check_superseded_ask_absent(ws):
    assert not _has_number(_deck(ws), EXPECTED["old_ask"], 0.0005), "mentions the superseded ask"

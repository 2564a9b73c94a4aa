
"""Deterministic checks for this task: each check_* passes or raises with the reason."""

import csv
import json
import re
from pathlib import Path

EXPECTED = json.loads(r"""{
 "customer": "Marlow Insurance",
 "tickets": [
  "SUP-52729",
  "SUP-44295",
  "SUP-58869"
 ],
 "minutes": 129,
 "users": 4841,
 "users_first": 900,
 "cause": "certificate",
 "credit": 5100.0,
 "sections": [
  "summary",
  "timeline",
  "impact",
  "root cause",
  "next steps"
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

def _brief(ws):
    return _text(ws, "escalation_brief.md")


def check_sections(ws):
    titles = " | ".join(_sections(_brief(ws)))
    for s in EXPECTED["sections"]:
        assert s in titles, f"no section '{s}'"


def check_customer_and_tickets(ws):
    text = _brief(ws)
    assert EXPECTED["customer"].lower() in text.lower(), "customer not named"
    for t in EXPECTED["tickets"]:
        assert t in text, f"ticket {t} missing"


def check_outage_minutes(ws):
    assert str(EXPECTED["minutes"]) in re.findall(r"\d+", _section(_brief(ws), "timeline")), "outage length"


def check_affected_users(ws):
    assert _has_number(_section(_brief(ws), "impact"), EXPECTED["users"], 0.0001), "affected users"


def check_first_estimate_absent(ws):
    assert not _has_number(_brief(ws), EXPECTED["users_first"], 0.0001), "uses the superseded first estimate"


def check_root_cause(ws):
    assert EXPECTED["cause"] in _section(_brief(ws), "root cause").lower(), "root cause"


def check_service_credit(ws):
    assert _has_number(_section(_brief(ws), "next steps"), EXPECTED["credit"], 0.001), "service credit amount"

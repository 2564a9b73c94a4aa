
"""Deterministic checks for this task: each check_* passes or raises with the reason."""

import csv
import json
import re
from pathlib import Path

EXPECTED = json.loads(r"""{
 "items": [
  {
   "owner": "Tess Tanaka",
   "action": "draft the data migration plan",
   "due": "2026-03-12",
   "key": "migration plan"
  },
  {
   "owner": "Tess Tanaka",
   "action": "shortlist three vendors",
   "due": "2026-03-16",
   "key": "vendor"
  },
  {
   "owner": "Ana Iqbal",
   "action": "complete the security review",
   "due": "2026-04-08",
   "key": "security review"
  },
  {
   "owner": "Hana Fischer",
   "action": "update the training materials",
   "due": "2026-03-30",
   "key": "training"
  },
  {
   "owner": "Lena Novak",
   "action": "book the go-live war room",
   "due": "2026-04-06",
   "key": "war room"
  },
  {
   "owner": "Tess Tanaka",
   "action": "sign off the test strategy",
   "due": "2026-04-09",
   "key": "test strategy"
  }
 ],
 "cancelled": "survey",
 "old_owner": [
  "vendor",
  "Kofi Tanaka"
 ],
 "old_due": [
  "security review",
  "2026-03-21"
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

def _items(ws):
    data = json.loads(_text(ws, "commitments.json"))
    assert isinstance(data, list), "commitments.json must hold a JSON array"
    return data


def _find(ws, key):
    hits = [i for i in _items(ws) if key.lower() in str(i.get("action", "")).lower()]
    assert len(hits) == 1, f"{len(hits)} items about '{key}'"
    return hits[0]


def check_shape(ws):
    for i in _items(ws):
        assert {"owner", "action", "due"} <= set(i), f"item without owner/action/due: {i}"
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(i["due"])), f"due not ISO: {i['due']}"


def check_count(ws):
    assert len(_items(ws)) == len(EXPECTED["items"]), f"{len(_items(ws))} items, expected {len(EXPECTED['items'])}"


def check_cancelled_item_absent(ws):
    assert not [i for i in _items(ws) if EXPECTED["cancelled"] in str(i.get("action", "")).lower()]


def check_reassigned_owner(ws):
    key, old = EXPECTED["old_owner"]
    item = _find(ws, key)
    want = next(i for i in EXPECTED["items"] if i["key"] == key)["owner"]
    assert item["owner"].strip().lower() == want.lower(), f"owner {item['owner']}, expected {want} (not {old})"


def check_moved_due_date(ws):
    key, old = EXPECTED["old_due"]
    want = next(i for i in EXPECTED["items"] if i["key"] == key)["due"]
    assert _find(ws, key)["due"] == want, f"due {_find(ws, key)['due']}, expected {want} (not {old})"


def check_item_from_attachment(ws):
    want = EXPECTED["items"][-1]
    item = _find(ws, want["key"])
    assert (item["owner"].strip().lower(), item["due"]) == (want["owner"].lower(), want["due"])


def check_every_item_owner_and_date(ws):
    for want in EXPECTED["items"]:
        item = _find(ws, want["key"])
        assert item["owner"].strip().lower() == want["owner"].lower(), f"{want['key']}: owner {item['owner']}"
        assert item["due"] == want["due"], f"{want['key']}: due {item['due']}"

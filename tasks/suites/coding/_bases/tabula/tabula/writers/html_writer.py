"""A standalone HTML table, for mailing a result to someone without a spreadsheet program."""

from __future__ import annotations

import html
from decimal import Decimal
from pathlib import Path

from .csv_writer import columns_of
from .format import to_text

STYLE = ("body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
         "padding:2px 6px}td.n{text-align:right}")


def render_html(rows, title: str = "tabula") -> str:
    cols = columns_of(rows)
    head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
    body = []
    for r in rows:
        cells = []
        for c in cols:
            v = r.get(c)
            cls = ' class="n"' if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool) else ""
            cells.append(f"<td{cls}>{html.escape(to_text(v))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f"<!doctype html><meta charset=utf-8><title>{html.escape(title)}</title><style>{STYLE}</style>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>\n")


def write_html(rows, path: Path, title: str | None = None) -> None:
    path.write_text(render_html(rows, title or path.stem), encoding="utf-8")

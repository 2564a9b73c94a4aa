"""The code every briefcase checks.py starts with (copied in: a grader folder stands alone). Each check is data
(EXPECTED[i]) read by `check`, which raises with the reason when the deliverable does not hold the fact.

An .xlsx written by code holds formulas without computed values, so formulas are evaluated here over the
workbook's own inputs (+ - * / ^, parentheses, cell and range references across sheets, SUM, AVERAGE, MIN, MAX,
ROUND, ABS, SUMPRODUCT: formula_lib.py); a value Excel or LibreOffice cached is used where the formula is beyond
that."""

from .formula_lib import FORMULA

LIB = r'''
import json
import re
from pathlib import Path

NUM = re.compile(r"-?\(?\$?-?\d[\d,]*(?:\.\d+)?\)?")


def _file(ws, name):
    path = Path(ws) / name
    assert path.is_file(), f"{name} was not written"
    return path


def _numbers(text):
    out = []
    for m in NUM.finditer(str(text)):
        raw = m.group(0)
        neg = raw.startswith("-") or (raw.startswith("(") and raw.endswith(")"))
        try:
            v = float(raw.strip("()-$").replace("$", "").replace(",", ""))
        except ValueError:
            continue
        out.append(-v if neg else v)
    return out


def _close(got, want, tol=None):
    tol = max(abs(want) * 0.001, 0.011) if tol is None else tol
    return abs(got - want) <= tol


def _is(text, want, spec):
    if isinstance(want, str):
        return want.lower() in str(text).lower()
    return any(_close(n, want, spec.get("tol")) for n in _numbers(text))


# ------------------------------------------------------------------------------------------------ xlsx
class Book:
    def __init__(self, path):
        from openpyxl import load_workbook

        self.f = load_workbook(path)
        self.v = load_workbook(path, data_only=True)

    def sheet(self, name):
        for ws in self.f.worksheets:
            if ws.title.strip().lower() == name.lower():
                return ws.title
        raise AssertionError(f"no sheet named {name!r} (sheets: {', '.join(self.f.sheetnames)})")

    def value(self, sheet, ref, depth=0):
        assert depth < 50, "formulas refer to each other in a circle"
        raw = self.f[sheet][ref.replace("$", "")].value
        if isinstance(raw, str) and raw.startswith("="):
            try:
                return Formula(self, sheet, raw[1:], depth).value()
            except (AssertionError, ValueError, KeyError, IndexError) as exc:
                cached = self.v[sheet][ref.replace("$", "")].value
                if isinstance(cached, (int, float)):
                    return cached
                raise AssertionError(f"{sheet}!{ref}: cannot evaluate {raw} ({exc})")
        if isinstance(raw, str):
            nums = _numbers(raw)
            return nums[0] if len(nums) == 1 and raw.strip().replace(",", "").lstrip("$-(").rstrip(")") else raw
        return 0 if raw is None else raw

    def find(self, sheet, row, col):
        ws = self.f[sheet]
        head = [str(c.value or "").strip().lower() for c in ws[1]]
        cols = [i for i, h in enumerate(head) if h == col.lower()] or [i for i, h in enumerate(head) if col.lower() in h]
        assert cols, f"sheet {sheet!r} has no column headed like {col!r} (row 1: {head})"
        for r in range(2, ws.max_row + 1):
            label = str(ws.cell(r, 1).value or "").strip().lower()
            if label == row.lower():
                return ws.cell(r, cols[0] + 1).coordinate
        raise AssertionError(f"sheet {sheet!r} has no row labelled {row!r} in column A")


def _xlsx_cell(spec, ws):
    book = Book(_file(ws, spec["file"]))
    sheet = book.sheet(spec["sheet"])
    ref = book.find(sheet, spec["row"], spec["col"])
    raw = book.f[sheet][ref].value
    if spec.get("formula"):
        assert isinstance(raw, str) and raw.startswith("="), f"{sheet}!{ref} is {raw!r}, not a formula"
        for other in spec.get("refs", []):
            assert other.lower() in raw.lower(), f"{sheet}!{ref} ({raw}) does not refer to sheet {other}"
    got = book.value(sheet, ref)
    assert isinstance(got, (int, float)) and _close(got, spec["value"], spec.get("tol")), \
        f"{sheet}!{ref} ({spec['row']}, {spec['col']}) is {got!r}, expected {spec['value']}"


# ------------------------------------------------------------------------------------ docx, pptx, pdf
def _docx_parts(path):
    """(heading or None, text) for each paragraph and table row, in document order."""
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc, out = Document(path), []
    for el in doc.element.body.iterchildren():
        if el.tag.endswith("}p"):
            p = Paragraph(el, doc)
            style = (p.style.name if p.style is not None else "").lower()
            out.append(("heading" if style.startswith(("heading", "title")) else "text", p.text))
        elif el.tag.endswith("}tbl"):
            for row in Table(el, doc).rows:
                out.append(("row", [c.text.strip() for c in row.cells]))
    return out


def _tables_docx(path):
    from docx import Document

    return [[[c.text.strip() for c in r.cells] for r in t.rows] for t in Document(path).tables]


def _slides(path):
    from pptx import Presentation

    out = []
    for slide in Presentation(path).slides:
        title = slide.shapes.title.text.strip() if slide.shapes.title is not None else ""
        tables, charts, text = [], [], []
        for sh in slide.shapes:
            if sh.has_table:
                tables.append([[c.text.strip() for c in r.cells] for r in sh.table.rows])
            if sh.has_chart:
                charts.append(sh.chart)
            if sh.has_text_frame:
                text.append(sh.text_frame.text)
        out.append({"title": title, "tables": tables, "charts": charts, "text": "\n".join(text)})
    return out


def _slide(slides, title):
    for s in slides:
        if s["title"].lower() == title.lower():
            return s
    raise AssertionError(f"no slide titled {title!r} (titles: {[s['title'] for s in slides]})")


def _in_tables(tables, spec):
    for t in tables:
        head = [h.lower() for h in t[0]]
        cols = [i for i, h in enumerate(head) if spec["col"].lower() in h]
        for row in t[1:]:
            if cols and row[0].strip().lower() == spec["row"].lower():
                cell = row[cols[0]]
                assert _is(cell, spec["value"], spec), f"{spec['row']} / {spec['col']} reads {cell!r}, " \
                                                       f"expected {spec['value']}"
                return
    raise AssertionError(f"no table with a row {spec['row']!r} and a column like {spec['col']!r}")


def _pdf_lines(path):
    from pypdf import PdfReader

    return [ln for page in PdfReader(path).pages for ln in (page.extract_text() or "").splitlines()]


def check(spec, ws):
    kind, f = spec["kind"], spec.get("file", "")
    if kind == "xlsx_cell":
        return _xlsx_cell(spec, ws)
    if kind == "docx_headings":
        heads = [t.strip().lower() for k, t in _docx_parts(_file(ws, f)) if k == "heading"]
        missing = [h for h in spec["headings"] if not any(h.lower() in x for x in heads)]
        assert not missing, f"no heading like {missing} (headings: {heads})"
    elif kind == "docx_table":
        _in_tables(_tables_docx(_file(ws, f)), spec)
    elif kind == "docx_section":
        parts, inside, text = _docx_parts(_file(ws, f)), False, []
        for k, t in parts:
            if k == "heading":
                inside = spec["section"].lower() in t.lower()
            elif inside:
                text.append(" | ".join(t) if k == "row" else t)
        assert text, f"no section headed like {spec['section']!r}"
        assert _is("\n".join(text), spec["value"], spec), f"section {spec['section']!r} does not give {spec['value']}"
    elif kind == "pptx_titles":
        titles = [s["title"].lower() for s in _slides(_file(ws, f))]
        want = [t.lower() for t in spec["titles"]]
        it = iter(titles)
        assert all(t in it for t in want), f"slide titles {titles} do not include {want} in that order"
    elif kind == "pptx_text":
        text = _slide(_slides(_file(ws, f)), spec["slide"])["text"]
        assert _is(text, spec["value"], spec), f"slide {spec['slide']!r} does not say {spec['value']!r}"
    elif kind == "pptx_table":
        _in_tables(_slide(_slides(_file(ws, f)), spec["slide"])["tables"], spec)
    elif kind == "pptx_chart":
        charts = _slide(_slides(_file(ws, f)), spec["slide"])["charts"]
        assert charts, f"slide {spec['slide']!r} has no chart"
        plot = charts[0].plots[0]
        cats = [str(c).strip().lower() for c in plot.categories]
        values = list(plot.series[0].values)
        want = [c.lower() for c in spec["categories"]]
        assert cats == want, f"the chart's categories are {cats}, expected {want}"
        points = [spec["point"]] if spec.get("point") else spec["categories"]
        for p in points:
            i, v = want.index(p.lower()), spec["values"][want.index(p.lower())]
            assert values[i] is not None and _close(values[i], v, spec.get("tol")), \
                f"the chart's value for {p} is {values[i]}, expected {v}"
    elif kind == "pdf_line":
        lines = [ln for ln in _pdf_lines(_file(ws, f)) if spec["label"].lower() in ln.lower()]
        assert lines, f"no line of {f} mentions {spec['label']!r}"
        assert any(_is(ln, spec["value"], spec) for ln in lines), \
            f"no line mentioning {spec['label']!r} gives {spec['value']} ({lines[:3]})"
    else:
        raise AssertionError(f"unknown check kind {kind}")
''' + FORMULA

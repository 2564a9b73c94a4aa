"""Writes a deliverable from its description: the reference solutions' code (its source is copied into each
task's solve.sh, so it runs in the sandbox with only the office libraries) and nothing else.

    {"kind": "xlsx", "sheets": [{"name": ..., "rows": [[...], ...]}]}          a cell "=..." is a formula
    {"kind": "docx", "title": ..., "sections": [{"heading", "paragraphs", "table"}]}
    {"kind": "pptx", "slides": [{"title", "bullets", "table", "chart": {"type", "categories", "series"}}]}
    {"kind": "pdf", "title": ..., "sections": [{"heading", "lines"}]}
"""

import os


def xlsx(path, spec):
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for sheet in spec["sheets"]:
        ws = wb.create_sheet(sheet["name"])
        for row in sheet["rows"]:
            ws.append(row)
    wb.save(path)


def docx(path, spec):
    from docx import Document

    doc = Document()
    doc.add_heading(spec["title"], level=0)
    for sec in spec["sections"]:
        doc.add_heading(sec["heading"], level=1)
        for p in sec.get("paragraphs", []):
            doc.add_paragraph(p)
        if sec.get("table"):
            rows = sec["table"]
            t = doc.add_table(rows=len(rows), cols=len(rows[0]))
            for i, row in enumerate(rows):
                for j, cell in enumerate(row):
                    t.cell(i, j).text = str(cell)
    doc.save(path)


def pptx(path, spec):
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Inches

    prs = Presentation()
    for s in spec["slides"]:
        slide = prs.slides.add_slide(prs.slide_layouts[5])  # title only
        slide.shapes.title.text = s["title"]
        top = Inches(1.5)
        if s.get("bullets"):
            box = slide.shapes.add_textbox(Inches(0.5), top, Inches(9), Inches(1.5)).text_frame
            box.text = s["bullets"][0]
            for b in s["bullets"][1:]:
                box.add_paragraph().text = b
            top = Inches(3)
        if s.get("table"):
            rows = s["table"]
            shape = slide.shapes.add_table(len(rows), len(rows[0]), Inches(0.5), top, Inches(9), Inches(0.4))
            for i, row in enumerate(rows):
                for j, cell in enumerate(row):
                    shape.table.cell(i, j).text = str(cell)
        if s.get("chart"):
            c = s["chart"]
            data = CategoryChartData()
            data.categories = c["categories"]
            for name, values in c["series"].items():
                data.add_series(name, values)
            kind = XL_CHART_TYPE.LINE_MARKERS if c["type"] == "line" else XL_CHART_TYPE.COLUMN_CLUSTERED
            slide.shapes.add_chart(kind, Inches(0.5), top, Inches(9), Inches(5), data)
    prs.save(path)


def pdf(path, spec):
    from fpdf import FPDF

    doc = FPDF()
    doc.add_page()
    doc.set_font("Helvetica", "B", 15)
    doc.multi_cell(0, 9, spec["title"], new_x="LMARGIN", new_y="NEXT")
    for sec in spec["sections"]:
        doc.set_font("Helvetica", "B", 12)
        doc.multi_cell(0, 8, sec["heading"], new_x="LMARGIN", new_y="NEXT")
        doc.set_font("Helvetica", size=10)
        for line in sec.get("lines", []):
            doc.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    doc.output(path)


def write(path, spec):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    {"xlsx": xlsx, "docx": docx, "pptx": pptx, "pdf": pdf}[spec["kind"]](path, spec)

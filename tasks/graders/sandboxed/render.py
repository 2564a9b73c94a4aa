"""Runs in a subprocess under limits (harness/agents/render.py): python -I render.py FILE LIMIT

Prints the text of one office deliverable (.xlsx, .docx, .pptx, .pdf) for a judge, at most LIMIT characters. It
parses a file the model wrote, so it runs apart from the harness: a zip bomb or a file built to exhaust a parser
costs this process its memory or its time, and the harness reads "could not be read" instead.
"""

import sys
from pathlib import Path


def text(path: Path, limit: int) -> str:
    suffix = path.suffix.lower()
    parts: list[str] = []
    size = 0

    def add(s: str) -> bool:
        nonlocal size
        parts.append(s)
        size += len(s) + 1
        return size < limit

    if suffix == ".xlsx":
        from openpyxl import load_workbook

        # Twice: the values a spreadsheet program last computed, and the formulas (a file written by code has
        # formulas and no computed values; a judge checks both).
        values = load_workbook(path, read_only=True, data_only=True)
        formulas = load_workbook(path, read_only=True, data_only=False)
        for ws, wf in zip(values.worksheets, formulas.worksheets, strict=True):
            if not add(f"[sheet {ws.title}]"):
                break
            for vrow, frow in zip(ws.iter_rows(), wf.iter_rows(), strict=False):
                cells = []
                for v, f in zip(vrow, frow, strict=False):
                    shown = "" if v.value is None else str(v.value)
                    if isinstance(f.value, str) and f.value.startswith("="):
                        shown = f"{shown} [{f.coordinate}{f.value}]".strip()
                    cells.append(shown)
                if not add(",".join(cells)):
                    break
    elif suffix == ".docx":
        from docx import Document

        doc = Document(str(path))
        for p in doc.paragraphs:
            style = p.style.name if p.style is not None else ""
            level = style.removeprefix("Heading ").strip() if style.startswith("Heading") else ""
            if not add(("#" * int(level) + " " if level.isdigit() else "") + p.text):
                break
        for i, table in enumerate(doc.tables, 1):
            add(f"[table {i}]")
            for row in table.rows:
                if not add("| " + " | ".join(c.text for c in row.cells) + " |"):
                    break
    elif suffix == ".pptx":
        from pptx import Presentation

        for i, slide in enumerate(Presentation(str(path)).slides, 1):
            add(f"[slide {i}]")
            for shape in slide.shapes:
                if shape.has_text_frame and not add(shape.text_frame.text):
                    break
                if getattr(shape, "has_table", False) and shape.has_table:
                    for row in shape.table.rows:
                        add("| " + " | ".join(c.text for c in row.cells) + " |")
                if getattr(shape, "has_chart", False) and shape.has_chart:
                    chart = shape.chart
                    cats = [str(c) for c in chart.plots[0].categories] if chart.plots else []
                    add(f"[chart: {', '.join(cats)}]")
                    for series in chart.series:
                        add(f"  {series.name}: {', '.join(str(v) for v in series.values)}")
    elif suffix == ".pdf":
        from pypdf import PdfReader

        for page in PdfReader(str(path)).pages:
            if not add(page.extract_text() or ""):
                break
    return "\n".join(parts)[:limit]


if __name__ == "__main__":
    sys.stdout.write(text(Path(sys.argv[1]), int(sys.argv[2])))

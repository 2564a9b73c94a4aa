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

        wb = load_workbook(path, read_only=True, data_only=True)
        for ws in wb.worksheets:
            if not add(f"[sheet {ws.title}]"):
                break
            for row in ws.iter_rows(values_only=True):
                if not add(",".join("" if c is None else str(c) for c in row)):
                    break
    elif suffix == ".docx":
        from docx import Document

        for p in Document(str(path)).paragraphs:
            if not add(p.text):
                break
    elif suffix == ".pptx":
        from pptx import Presentation

        for i, slide in enumerate(Presentation(str(path)).slides, 1):
            add(f"[slide {i}]")
            for shape in slide.shapes:
                if shape.has_text_frame and not add(shape.text_frame.text):
                    break
    elif suffix == ".pdf":
        from pypdf import PdfReader

        for page in PdfReader(str(path)).pages:
            if not add(page.extract_text() or ""):
                break
    return "\n".join(parts)[:limit]


if __name__ == "__main__":
    sys.stdout.write(text(Path(sys.argv[1]), int(sys.argv[2])))

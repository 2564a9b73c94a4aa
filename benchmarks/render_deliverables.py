"""Figure 17: what showing a deliverable to a judge costs, per file type. Each office file is rendered as the judge
sees it (harness/agents/render.py: a subprocess under bubblewrap with memory, CPU, file-size and wall-time limits),
N times; printed: the median wall time per file and the characters shown. The files are made here by the same
libraries a model's code would use, at the size of a real deliverable (a 12-sheet model, a 20-page memo, a
20-slide deck, a 20-page PDF); and the PDF's first pages drawn as PNG images by poppler (bytes: the images').

    .venv/bin/python benchmarks/render_deliverables.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from harness.agents.render import page_images, render  # noqa: E402


def make(folder: Path) -> dict[str, Path]:
    from docx import Document
    from fpdf import FPDF
    from openpyxl import Workbook
    from pptx import Presentation

    wb = Workbook()
    for s in range(12):
        ws = wb.active if s == 0 else wb.create_sheet()
        ws.title = f"S{s}"
        for r in range(1, 201):
            ws.append([f"row {r}", r * 1.5, r * 2, f"=B{r}*C{r}"])
    wb.save(folder / "model.xlsx")
    doc = Document()
    for page in range(20):
        doc.add_heading(f"Section {page}", level=1)
        for _ in range(8):
            doc.add_paragraph("The target's margin is above its peers' in every year reviewed. " * 3)
        table = doc.add_table(rows=4, cols=4)
        for cell in table._cells:
            cell.text = "12.5"
    doc.save(folder / "memo.docx")
    deck = Presentation()
    for i in range(20):
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = f"Finding {i}"
        slide.placeholders[1].text = "Volume grew 5% a year; prices held; the contract renews in 2027."
    deck.save(folder / "deck.pptx")
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for page in range(20):
        pdf.add_page()
        for _ in range(30):
            pdf.cell(0, 8, f"Page {page}: the market grew by 4.2% in the year to June.", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(folder / "report.pdf"))
    return {p.suffix: p for p in folder.iterdir()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = make(Path(tmp))
        print(f"{'type':<6} {'bytes':>9} {'median ms':>10} {'chars shown':>12}")
        for suffix, path in sorted(files.items()):
            times, text = [], ""
            for _ in range(a.repeat):
                t0 = time.perf_counter()
                text = asyncio.run(render(path, 20_000))
                times.append(1000 * (time.perf_counter() - t0))
            print(f"{suffix:<6} {path.stat().st_size:>9,} {statistics.median(times):>10.0f} {len(text):>12,}")
        times, pages = [], []
        for _ in range(a.repeat):  # the PDF's first pages drawn as images, for judges that take them
            t0 = time.perf_counter()
            pages = asyncio.run(page_images(files[".pdf"]))
            times.append(1000 * (time.perf_counter() - t0))
        size = sum(len(p) * 3 // 4 for p in pages)
        print(f"{'pages':<6} {size:>9,} {statistics.median(times):>10.0f} {len(pages):>9} PNG")


if __name__ == "__main__":
    main()

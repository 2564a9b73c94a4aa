"""A small dataset in GDPval's published layout, written for the tests (none of OpenAI's text): Parquet rows, reference
files and an expert's deliverables made by the office libraries themselves."""

from __future__ import annotations

from pathlib import Path

EXPERT_LINE = "Staffing plan: 12 nurses on the night shift"  # the expert's answer; the agent's says the same
TASK = "3f2a9c1e-7b4d-4e8a-9c2f-1a2b3c4d5e6f"


def write_gdpval(root: Path, *, rows: list[dict] | None = None) -> Path:
    import docx
    import openpyxl
    import pyarrow as pa
    import pyarrow.parquet as pq

    ref = root / "reference_files" / "a1" / "ward_brief.docx"
    ref.parent.mkdir(parents=True)
    doc = docx.Document()
    doc.add_heading("Ward 4 brief", 1)
    doc.add_paragraph("Night occupancy rose to 36 beds; the ratio is one nurse to three beds.")
    doc.save(ref)
    plan = root / "deliverable_files" / "a1" / "staffing_plan.xlsx"
    plan.parent.mkdir(parents=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["beds", "beds per nurse", "nurses"])
    ws.append([36, 3, "=A2/B2"])
    wb.save(plan)
    rows = rows if rows is not None else [{
        "task_id": TASK, "sector": "Health Care", "occupation": "Registered Nurses",
        "prompt": "GDPVAL-TASK You manage Ward 4. Plan the night shift's staffing from the brief.",
        "reference_files": ["reference_files/a1/ward_brief.docx"], "reference_file_urls": [""],
        "reference_file_hf_uris": [""], "deliverable_text": EXPERT_LINE,
        "deliverable_files": ["deliverable_files/a1/staffing_plan.xlsx"]}]
    (root / "data").mkdir()
    pq.write_table(pa.Table.from_pylist(rows), root / "data" / "train-00000-of-00001.parquet")
    return root

"""--judge: a second model rates document deliverables against the task's rubric, through the real
client and a loopback server; its tokens and dollars stay out of the agent's."""

from __future__ import annotations

import asyncio
import json

from harness.agents.judge import deliverables, parse_verdict
from harness.sandboxes.overlay import DirView
from tasks import load_suite
from tests.conftest import load_samples, run_json

PRICES = ('[[price]]\nprovider = "scripted"\nmodel = "judge-test"\ninput = 3.0\noutput = 15.0\n'
          'source = "test"\ndate = "2026-11-22"\n')
JUDGE_USAGE = {"prompt_tokens": 4000, "completion_tokens": 200, "cached_tokens": 0}


def _judge(write_script, reply: str) -> str:
    script = {"model": "judge-test", "conversations": [
        {"match": "Grade this deliverable", "turns": [{"content": reply, "usage": JUDGE_USAGE}]}]}
    return f"scripted:{write_script(script, 'judge.json')}"


def test_judge_scores_and_costs_are_separate(cli, tmp_path, write_script):
    prices = tmp_path / "prices.toml"
    prices.write_text(PRICES)
    judge = _judge(write_script, 'Verdict: {"score": 0.75, "reasons": "Figures right; tone a little stiff."}')
    out = tmp_path / "run"
    summary = run_json(cli, "run", "--suite", "documents", "--task", "escalation-lumen", "--model", "oracle",
                       "--model", "null", "--judge", judge, "--prices", prices, "--out", out)
    by = {s["model"]: s for s in load_samples(out)}
    oracle = by["oracle"]
    # The checks decide score and passed; the judge's verdict sits beside them.
    assert oracle["passed"] is True and oracle["score"] == 1.0
    assert oracle["judge"]["score"] == 0.75 and "stiff" in oracle["judge"]["reasons"]
    want = 4000 * 3.0 / 1e6 + 200 * 15.0 / 1e6
    assert abs(oracle["judge"]["usd"] - want) < 1e-9
    assert oracle["judge"]["usage"]["input_uncached"] == 4000 and oracle["usage"]["input_uncached"] == 0
    m = {x["model"]: x for x in summary["models"]}
    assert m["oracle"]["judge"]["usd_total"] == round(want, 6) and m["oracle"]["usd_total"] in (0, 0.0, None)
    manifest = json.loads((out / "manifest.json").read_text())
    # Named by its file; the spec as given, path and all, is in the manifest beside it.
    assert manifest["judge"]["spec"] == "scripted:judge" and manifest["judge"]["given"] == judge
    assert all(x["spec"] != "scripted:judge" for x in manifest["models"])
    code, text, err = cli("report", out)
    assert code == 0 and "LLM judge" in text and "0.75" in text


def test_an_unreadable_verdict_is_a_judge_error_not_a_score(cli, tmp_path, write_script):
    out = tmp_path / "run"
    run_json(cli, "run", "--suite", "documents", "--task", "commitments-atlas", "--model", "oracle",
             "--judge", _judge(write_script, "I think it's pretty good!"), "--out", out)
    (s,) = load_samples(out)
    assert s["passed"] is True and s["judge"]["score"] is None and "no JSON verdict" in s["judge"]["error"]
    assert s["judge"]["usage"]["output"] == 200  # the tokens were spent all the same


def test_judge_sees_only_what_the_agent_wrote(tmp_path):
    task = next(t for t in load_suite("documents").tasks if t.id == "budget-harrow")
    ws = tmp_path / "ws"
    for rel, src in task.workspace_files():
        (ws / rel).parent.mkdir(parents=True, exist_ok=True)
        (ws / rel).write_bytes(src.read_bytes())
    (ws / "reconciled.csv").write_text("department,budget\nSales,1\n")
    (ws / "notes" / "extra.md").write_text("scratch")
    assert set(asyncio.run(deliverables(task, DirView(ws)))) == {"reconciled.csv", "notes/extra.md"}


def test_verdict_parsing():
    assert parse_verdict('```json\n{"score": 1, "reasons": "ok"}\n```') == (1.0, "ok")
    for bad in ('{"score": 1.5}', "no json", '{"reasons": "x"}'):
        try:
            parse_verdict(bad)
        except (ValueError, KeyError):
            continue
        raise AssertionError(bad)


def _zip_bomb(path) -> None:
    """A 3 MB .xlsx whose one cell holds 640 MB of text: what a model could leave for the judge to open."""
    import io
    import zipfile

    from openpyxl import Workbook

    wb, buf = Workbook(), io.BytesIO()
    wb.active["A1"] = "x"
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename != "xl/worksheets/sheet1.xml":
                out.writestr(item, data)
                continue
            head, _, rest = data.partition(b"<sheetData>")
            with out.open(item.filename, "w") as fh:
                fh.write(head + b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>')
                for _ in range(40):
                    fh.write(b"A" * (1 << 24))
                fh.write(b"</t></is></c></row></sheetData>" + rest.partition(b"</sheetData>")[2])


def test_the_judge_reads_deliverables_under_limits_never_whole(tmp_path):
    """A zip bomb costs the renderer's subprocess its memory and is shown to the judge as unreadable, with why; a
    2 GB sparse file is read no further than the judge is shown; a real Word file is rendered."""
    from docx import Document

    task = next(t for t in load_suite("documents").tasks if t.id == "budget-harrow")
    ws = tmp_path / "ws"
    ws.mkdir()
    _zip_bomb(ws / "model.xlsx")
    with open(ws / "huge.md", "wb") as fh:
        fh.truncate(2 << 30)
    doc = Document()
    doc.add_paragraph("Variance explained by the late accrual.")
    doc.save(ws / "memo.docx")
    got = asyncio.run(deliverables(task, DirView(ws)))
    assert got["model.xlsx"].startswith("(could not read: the renderer ran out of"), got["model.xlsx"][:200]
    assert "Variance explained by the late accrual." in got["memo.docx"]
    assert got["huge.md"].startswith("(binary file") and sum(len(t) for t in got.values()) <= 60_000


def test_office_deliverables_reach_the_judge_with_formulas_headings_tables_and_chart_series(tmp_path):
    """What AA-Briefcase's judges are shown of a deliverable: an .xlsx's values and formulas (a file written by code
    has no computed values), a .docx's headings and tables, a .pptx's tables and a chart's series; a video is named
    as a file no judge here reads."""
    from docx import Document
    from openpyxl import Workbook
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Inches

    from harness.agents.render import render

    wb = Workbook()
    ws = wb.active
    ws.title = "Model"
    ws.append(["Revenue", 30.5])
    ws.append(["Growth", 10.7])
    ws.append(["Total", "=B1+B2"])
    wb.save(tmp_path / "model.xlsx")
    doc = Document()
    doc.add_heading("Target assessment", level=1)
    doc.add_paragraph("Aurora's margin is above its peers.")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text, table.cell(1, 0).text, table.cell(1, 1).text = "Year", "EBITDA", "2025", "8.1"
    doc.save(tmp_path / "memo.docx")
    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    slide.shapes.title.text = "Market size"
    data = CategoryChartData()
    data.categories = ["2024", "2025"]
    data.add_series("Volume (m eggs)", (1150, 1210))
    slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(1), Inches(1), Inches(6), Inches(4), data)
    shape = slide.shapes.add_table(2, 2, Inches(1), Inches(5), Inches(4), Inches(1))
    shape.table.cell(0, 0).text, shape.table.cell(1, 0).text = "Peer", "Zeagold"
    deck.save(tmp_path / "deck.pptx")
    (tmp_path / "briefing.mp4").write_bytes(b"\0\0\0\x18ftypmp42" + bytes(1000))

    xlsx = asyncio.run(render(tmp_path / "model.xlsx", 5000))
    assert "[sheet Model]" in xlsx and "Revenue,30.5" in xlsx and "Total,[B3=B1+B2]" in xlsx, xlsx
    docx = asyncio.run(render(tmp_path / "memo.docx", 5000))
    assert "# Target assessment" in docx and "| Year | EBITDA |" in docx and "| 2025 | 8.1 |" in docx, docx
    pptx = asyncio.run(render(tmp_path / "deck.pptx", 5000))
    assert "Market size" in pptx and "[chart: 2024, 2025]" in pptx and "Volume (m eggs): 1150.0, 1210.0" in pptx, pptx
    assert "| Peer |" in pptx and "| Zeagold |" in pptx, pptx
    assert "no judge here reads video" in asyncio.run(render(tmp_path / "briefing.mp4", 5000))

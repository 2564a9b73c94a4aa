"""Figure 20: the briefcase suite's scale and what it costs the machinery. Per scenario, the sources its last week's
task sees (files; ~tokens at 4 bytes each, of the text files and of the text inside the office files and PDFs);
the time to generate the whole suite; the time to start a sample's workspace on the largest scenario (copy-on-write
overlay and plain copy); and what tracing the agent's reads costs a command (`true`, and a `grep -r` over every
source), with and without strace, as ratios.

    .venv/bin/python benchmarks/briefcase_scale.py [--repeat 10]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from harness.sandboxes.bwrap import BwrapSandbox  # noqa: E402
from tasks.authoring.briefcase import build  # noqa: E402
from tasks.loader import load_suite  # noqa: E402

TEXT = {".json", ".eml", ".md", ".csv"}


def office_text(path: Path) -> str:
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        return "\n".join(" ".join(str(c) for c in row if c is not None)
                         for ws in load_workbook(path, read_only=True).worksheets for row in ws.iter_rows(values_only=True))
    if path.suffix == ".docx":
        from docx import Document

        doc = Document(path)
        return "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        return "\n".join(p.extract_text() or "" for p in PdfReader(path).pages)
    return ""


async def commands(sb: BwrapSandbox, repeat: int) -> tuple[float, float]:
    t_true, t_grep = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        await sb.run("true", timeout_s=60)
        t_true.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        res = await sb.run("grep -rl Correction . | wc -l", timeout_s=60)
        t_grep.append(time.perf_counter() - t0)
        assert res.exit_code == 0, res.output
    await sb.close()
    return statistics.median(t_true), statistics.median(t_grep)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=10)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        t0 = time.perf_counter()
        build(tmp / "suite")
        print(f"generating the suite (3 scenarios, 24 tasks): {time.perf_counter() - t0:.1f} s")
        suite = load_suite(str(tmp / "suite"))
        largest = None
        for key in sorted({t.id.split("-")[0] for t in suite.tasks}):
            last = max((t for t in suite.tasks if t.id.startswith(key + "-")), key=lambda t: len(t.workspace_files()))
            files = [p for _, p in last.workspace_files()]
            text = sum(p.stat().st_size for p in files if p.suffix in TEXT) // 4
            office = sum(len(office_text(p).encode()) for p in files if p.suffix in (".xlsx", ".docx", ".pdf")) // 4
            kinds = sorted({p.suffix for p in files})
            print(f"{key}: {len(files)} files ({', '.join(kinds)}), ~{text:,} tokens of text files + ~{office:,} "
                  f"in office files and PDFs = ~{text + office:,}")
            largest = largest if largest and len(largest.workspace_files()) >= len(files) else last
        print(f"workspace of {largest.id} ({len(largest.workspace_files())} files, {len(largest.copies)} layers):")
        for cow in (True, False):
            prep = []
            for i in range(a.repeat):
                sb = BwrapSandbox(tmp / f"w{cow}{i}", hidden=[])
                t0 = time.perf_counter()
                sb.prepare(largest.workspace, largest.copies, cow=cow)
                prep.append(time.perf_counter() - t0)
                shutil.rmtree(tmp / f"w{cow}{i}", ignore_errors=True)
            mode = "overlay" if cow and sb.overlay else "copy"
            print(f"  {mode:8} start: median {statistics.median(prep) * 1000:.2f} ms over {a.repeat}")
        times = {}
        for traced in (False, True):
            sb = BwrapSandbox(tmp / f"t{traced}", hidden=[])
            sb.prepare(largest.workspace, largest.copies)
            if traced:
                sb.trace_reads()
            if traced and sb.reads is None:
                print("  (no strace on this machine: reads are not traced)")
                break
            times[traced] = asyncio.run(commands(sb, a.repeat))
            if traced:
                print(f"  traced reads: {len(sb.opened())} workspace files opened by the grep")
        if len(times) == 2:
            (t0_true, t0_grep), (t1_true, t1_grep) = times[False], times[True]
            print(f"one command, untraced -> traced (median of {a.repeat}): `true` {t0_true * 1000:.1f} -> "
                  f"{t1_true * 1000:.1f} ms ({t1_true / t0_true:.2f}x); `grep -r` over the sources "
                  f"{t0_grep * 1000:.0f} -> {t1_grep * 1000:.0f} ms ({t1_grep / t0_grep:.2f}x)")


if __name__ == "__main__":
    main()

"""The `briefcase` suite: three companies' eight weeks each (tasks/authoring/briefcase/scenarios.py), a pile of
600+ source files a scenario (Slack, mail, meeting PDFs, memos, spreadsheets, wiki), one task a week with a real
office deliverable graded by deterministic checks and shipped with AA-Briefcase-style rubric checks.

It is tens of megabytes, so it is not committed: `--suite briefcase` builds it on first use into pertask's cache
(tasks/loader.py), keyed by this generator's own source, and the same source writes the same bytes on every
machine. `python -m tasks.authoring.briefcase DEST` writes it anywhere.

    _bases/KEY-shared/shared/...      one layer a scenario's tasks all see
    _bases/KEY-wNN/week-NN/...        one layer a week; week k's task stacks shared and weeks 1..k
    KEY-wNN-NAME/                     task.toml (base = [...]), instruction.md, grader/, solution/solve.sh
"""

from __future__ import annotations

import hashlib
import inspect
import json
from pathlib import Path

from ..docfiles import write
from . import deliver
from .checks_lib import LIB
from .pile import write_scenario
from .scenarios import SCENARIOS
from .weeks import week1, week2, week3, week4
from .weeks_late import week5, week6, week7, week8
from .world import build_world

TASKS = {1: ("baseline", week1), 2: ("incident", week2), 3: ("ops-deck", week3), 4: ("vendors", week4),
         5: ("pricing", week5), 6: ("contribution", week6), 7: ("board-deck", week7), 8: ("quarter", week8)}
TAGS = {"xlsx": "spreadsheet", "docx": "memo", "pptx": "deck", "pdf": "report"}


def _digest() -> str:
    from importlib.metadata import version

    h = hashlib.sha256()
    for p in sorted(Path(__file__).parent.glob("*.py")) + [Path(__file__).parents[1] / "docfiles.py"]:
        h.update(p.read_bytes())
    for lib in ("openpyxl", "python-docx", "fpdf2"):
        h.update(version(lib).encode())
    return h.hexdigest()[:12]


DIGEST = _digest()  # read with the code it describes: a source edited while a process runs is not mislabelled


def generator_digest() -> str:
    """What the suite's bytes depend on: this package's source and the versions of the libraries that write it."""
    return DIGEST


def build(dest: Path, quiet: bool = True) -> None:
    for sc in SCENARIOS:
        world = build_world(sc)
        write_scenario(dest / "_bases", world)
        for k, (name, make) in TASKS.items():
            spec = make(world)
            tid = f"{sc.key}-w{k}-{name}"
            folder = dest / tid
            layers = [f"{sc.key}-shared"] + [f"{sc.key}-w{j:02d}" for j in range(1, k + 1)]
            kind = spec["doc"]["kind"]
            write(folder / "task.toml",
                  f'id = "{tid}"\nkind = "document"\nversion = "1"\ndifficulty = "hard"\n'
                  f'tags = ["briefcase", "{sc.key}", "week-{k}", "{TAGS[kind]}", "{kind}"]\n'
                  f"base = {json.dumps(layers)}\n\n[limits]\nmax_turns = 500\nmax_tokens = 50000000\n"
                  'timeout_s = 7200\n\n[grader]\ntype = "checks"\n')
            write(folder / "instruction.md", instruction(world, k, spec))
            write(folder / "grader" / "checks.py", checks_py(spec["checks"]))
            write(folder / "grader" / "checks.jsonl", rubric_jsonl(tid, k, spec))
            write(folder / "grader" / "traps.json", json.dumps(spec["traps"], indent=1) + "\n")
            write(folder / "solution" / "solve.sh", solve_sh(spec))
            if not quiet:
                print(f"{tid}: {spec['file']}, {len(spec['checks'])} checks")


def instruction(world, k: int, spec: dict) -> str:
    sc = world.sc
    weeks = "`week-01/`" if k == 1 else f"`week-01/` to `week-{k:02d}/`"
    return (f"# {sc.company}, week {k}\n\nYou are the business analyst at {sc.company}, a {sc.industry} company with "
            f"five {sc.unit_kind}s ({', '.join(sc.units)}). It is the end of week {k}.\n\n{spec['ask']}\n\n"
            f"## Sources\n\n`shared/` holds the wiki, the org chart, the price list and Slack's user list; {weeks} "
            "hold each week's Slack export (JSON, a file per channel and day), mail (.eml), meeting transcripts "
            "(PDF), memos (.docx) and finance and operations exports (.xlsx, .csv, .json). There are far more files "
            "than this task needs: search them rather than reading everything. Where sources disagree, a "
            "correction, a newer version of a file, a final report or the current policy page replaces what it "
            "corrects; figures given in chat as preliminary or early are not final.\n\n## Tools\n\n`python3` with "
            "openpyxl (.xlsx), python-docx (.docx), python-pptx (.pptx), pypdf (reads PDFs) and fpdf2 (writes "
            "PDFs); the standard library reads .eml and JSON. Put the deliverable in `deliverables/` (create it); "
            "write numbers as plain numbers, without currency symbols, in spreadsheet cells and table cells.\n")


def checks_py(checks: list[dict]) -> str:
    body = [LIB, f"EXPECTED = json.loads(r'''{json.dumps(checks, indent=1)}''')\n"]
    for i, c in enumerate(checks):
        body.append(f"\ndef check_{i:02d}_{_ident(c['name'])}(ws):\n    return check(EXPECTED[{i}], ws)\n")
    return "\n".join(body)


def _ident(name: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in name.lower())


def rubric_jsonl(tid: str, week: int, spec: dict) -> str:
    file = spec["file"].rsplit("/", 1)[-1]
    rows = [{"check_id": f"{tid}-{i}", "task_id": tid, "week": week, "check_type": kind, "scoring_type": "binary",
             "taskdoer_output_file": file, "files_needed": spec["needs"], "check_description": text,
             "score_1_criteria": "The deliverable states or computes this correctly.",
             "score_0_criteria": "The deliverable is missing this, or states something else."}
            for i, (kind, text) in enumerate(spec["rubric"], 1)]
    for kind, text in (("AQ", "Which deliverable is the sounder analysis: right figures from the right sources, "
                              "corrections applied, conclusions that follow?"),
                       ("P", "Which deliverable would a manager rather receive: clear structure, readable tables "
                             "and charts, nothing padded?")):
        rows.append({"check_id": f"{tid}-{kind.lower()}", "task_id": tid, "week": week, "check_type": kind,
                     "scoring_type": "pairwise", "taskdoer_output_file": file, "check_description": text})
    return "".join(json.dumps(r) + "\n" for r in rows)


def solve_sh(spec: dict) -> str:
    code = inspect.getsource(deliver)
    return ("#!/usr/bin/env bash\n# The reference deliverable, written by the code in tasks/authoring/briefcase/"
            "deliver.py from its description.\nset -euo pipefail\npython3 - <<'PY'\nimport json\n" + code +
            f"\nwrite({spec['file']!r}, json.loads(r'''{json.dumps(spec['doc'])}'''))\nPY\n")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tasks.authoring.briefcase DEST")
        return 2
    build(Path(argv[0]), quiet=False)
    return 0

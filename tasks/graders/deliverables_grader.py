"""The deliverables a rubric-graded task asks for (grader/deliverables.json: {"files": their names, or "FOLDER/" for at
least one file there; "skip": top-level folders no deliverable is looked for in, the task's sources}), present and
non-empty: a check per entry, read by the harness from its own grading copy. What they say is the judge panel's to grade
(grader/checks.jsonl); this is the deterministic part a run without judges still reports."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from .base import GradeResult, RunCommand, from_checks

LIST = "deliverables.json"


class DeliverablesGrader:
    def missing(self, grader_dir: Path) -> str:
        return "" if (grader_dir / LIST).is_file() else f"{LIST} missing for the deliverables grader"

    async def grade(self, grader_dir: Path, workspace: Path, out_dir: Path, run: RunCommand,
                    timeout_s: float) -> GradeResult:
        wanted = json.loads((grader_dir / LIST).read_text())
        names, found = wanted["files"], _files(workspace, set(wanted.get("skip", [])))
        checks = []
        for name in names:
            if name.endswith("/"):  # any file in that folder (GDPval: the deliverables are not named in advance)
                where = next((rel for rel in found.values() if rel.startswith(name)), None)
            else:
                where = found.get(name) or found.get(Path(name).name)
            checks.append({"name": f"deliverable {name}", "passed": where is not None,
                           "message": f"found at {where}" if where else "not saved (or empty)"})
        return from_checks(checks)


def _files(workspace: Path, skip: set[str]) -> dict[str, str]:
    """Regular, non-empty files by path and by name, the workspace's top level first (where they are to be saved)."""
    out: dict[str, str] = {}
    for dirpath, dirs, files in os.walk(workspace):
        rel_dir = os.path.relpath(dirpath, workspace)
        dirs[:] = sorted(d for d in dirs if not (rel_dir == "." and d in skip))
        for f in sorted(files):
            st = os.lstat(os.path.join(dirpath, f))
            if stat.S_ISREG(st.st_mode) and st.st_size:
                rel = os.path.normpath(os.path.join(rel_dir, f))
                out.setdefault(rel, rel)
                out.setdefault(f, rel)
    return out

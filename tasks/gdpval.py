"""GDPval's published layout (OpenAI's gold subset, the dataset openai/gdpval), loaded as it is:

    data/*.parquet        one task a row: task_id, sector, occupation, prompt, reference_files (paths in the
                          dataset), and the expert's deliverable: deliverable_text, deliverable_files
    reference_files/<id>/...      the task's inputs (PDF, Word, Excel, PowerPoint, images)
    deliverable_files/<id>/...    the expert's deliverables

A task's sample starts with its reference files in reference_files/ of its workspace and saves what it makes in
deliverables/. It is graded as GDPval-AA grades: blind pairwise comparison against the expert's deliverable
(`pertask pairwise`, the expert anchored at 1000), kept in the task's hidden grader folder. Built once per dataset
version in pertask's cache, like AA-Briefcase-Lite's tasks (tasks/aa_briefcase.py).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from .errors import SuiteError, TaskError
from .formats import TaskFormat
from .model import GraderConfig, Limits, Suite, Task, TaskConfig, digest_dir
from .published import built_once, dataset_file, task_digest

EXPERT, OUT = "expert", "deliverables"
NEEDED = ("task_id", "prompt", "reference_files")
NOTE = """

Your inputs are in reference_files/ of your working folder ({files}). Save every file you deliver in deliverables/
of your working folder; any text answer goes in deliverables/response.md."""


def _parquet(path: Path) -> list[Path]:
    return sorted((path / "data").glob("*.parquet")) if (path / "data").is_dir() else []


def claims(path: Path) -> bool:
    if not path.is_dir() or not _parquet(path):
        return False
    import pyarrow.parquet as pq
    try:
        names = set(pq.read_schema(_parquet(path)[0]).names)
    except (OSError, ValueError):
        return False
    return set(NEEDED) <= names and "occupation" in names


def load_suite(root: Path) -> Suite:
    import pyarrow.parquet as pq

    from results.store import cache_root
    h = hashlib.sha256()
    rows: list[tuple[str, dict]] = []
    for path in _parquet(root):
        h.update(path.read_bytes())
        try:
            table = pq.read_table(path)
        except (OSError, ValueError) as exc:
            raise SuiteError(f"{path}: not a readable Parquet file ({exc})") from None
        missing = [c for c in NEEDED if c not in table.column_names]
        if missing:
            raise SuiteError(f"{path}: no column {', '.join(missing)} (GDPval's rows have {', '.join(NEEDED)})")
        rows += [(f"{path}:row {n}", r) for n, r in enumerate(table.to_pylist(), 1)]
    for d in ("reference_files", "deliverable_files"):
        h.update(digest_dir(root / d).encode() if (root / d).is_dir() else b"")
    suite = Suite(root.name, root, h.hexdigest()[:12])
    home = cache_root() / "gdpval" / suite.version
    suite.hidden.append(home.parent)
    seen: set[str] = set()
    for where, row in rows:
        try:
            task = _task(root, row, where, home, suite.name)
        except TaskError as exc:
            suite.errors.append(exc)
            continue
        if task.id in seen:
            suite.errors.append(TaskError(where, "task_id", f"'{task.id}' appears twice"))
            continue
        seen.add(task.id)
        suite.tasks.append(task)
    return suite


def _task(root: Path, row: dict, where: str, home: Path, suite: str) -> Task:
    tid = str(row.get("task_id") or "")
    if not tid or not all(c.isalnum() or c in "._-" for c in tid):
        raise TaskError(where, "task_id", f"'{tid}' is not a task id")
    prompt = row.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        raise TaskError(where, "prompt", "missing or empty")
    refs = [dataset_file(root, r, where, "reference_files") for r in row.get("reference_files") or []]
    expert = [dataset_file(root, r, where, "deliverable_files") for r in row.get("deliverable_files") or []]
    text = row.get("deliverable_text") or ""
    built_once(home / tid, "grader/deliverables.json", lambda tmp: _build(tmp, refs, expert, text))
    instruction = prompt + NOTE.format(files=", ".join(p.name for p in refs) or "none for this task")
    tags = [t for t in (row.get("sector"), row.get("occupation")) if isinstance(t, str) and t]
    config = TaskConfig(id=tid, kind="document", tags=["gdpval", *tags],
                        limits=Limits(max_turns=250, max_tokens=100_000_000, timeout_s=2 * 3600, command_timeout_s=600),
                        grader=GraderConfig(type="deliverables"))
    return Task(home / tid, suite, config, instruction, task_digest(home.name, tid))


def _build(tmp: Path, refs: list[Path], expert: list[Path], text: str) -> None:
    """Workspace (the reference files) and hidden grader folder (the expert's deliverable; the grader asks for at
    least one file in deliverables/)."""
    (tmp / "workspace" / "reference_files").mkdir(parents=True)
    for p in refs:
        shutil.copyfile(p, tmp / "workspace" / "reference_files" / p.name)
    (tmp / "grader" / EXPERT).mkdir(parents=True)
    for p in expert:
        shutil.copyfile(p, tmp / "grader" / EXPERT / p.name)
    if text.strip():
        (tmp / "grader" / EXPERT / "response.md").write_text(text)
    (tmp / "grader" / "deliverables.json").write_text(json.dumps({"files": [f"{OUT}/"]}))
    (tmp / "solution").mkdir()


FORMAT = TaskFormat("gdpval", "data/*.parquet with task_id, prompt, reference_files (OpenAI's GDPval)", claims,
                    load_suite=load_suite)

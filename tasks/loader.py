"""Suites: built-in ones ship as package data under tasks/suites/; any folder of task folders works too."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from results.store import cache_root

from .harbor import is_harbor, load_harbor_task
from .model import Task, TaskError, digest_dir, load_task
from .swebench import is_task_repo, load_instances, load_task_repo, require_swebench
from .tb1 import is_tb1, load_tb1_task

SUITES_ROOT = Path(__file__).parent / "suites"


class SuiteError(ValueError):
    pass


def builtin_suites() -> list[str]:
    return sorted(p.name for p in SUITES_ROOT.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def suite_dir(name: str) -> Path:
    if (SUITES_ROOT / name).is_dir():
        return SUITES_ROOT / name
    if Path(name).is_dir():
        return Path(name).resolve()
    raise SuiteError(f"unknown suite '{name}' (built-in suites: {', '.join(builtin_suites())}; "
                     "or give a folder of tasks or a SWE-bench .jsonl file)")


@dataclass
class Suite:
    name: str
    dir: Path
    version: str  # content hash of the whole suite, recorded in every manifest
    tasks: list[Task] = field(default_factory=list)
    errors: list[TaskError] = field(default_factory=list)  # broken tasks are skipped, each with its reason
    hidden: list[Path] = field(default_factory=list)  # more paths the agent must not see (besides dir)


def _swebench(where: Path) -> None:
    try:
        require_swebench(where)
    except TaskError as exc:
        raise SuiteError(str(exc)) from None


def load_suite(name: str) -> Suite:
    if Path(name).is_file() and name.endswith(".jsonl"):
        path = Path(name).resolve()
        version = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        cache = cache_root() / "swebench" / f"{path.stem}-{version}"
        _swebench(path)
        tasks, errors, hidden = load_instances(path, cache)
        for t in tasks:
            t.suite = path.stem
        return Suite(path.stem, cache, version, tasks, errors, hidden)
    root = suite_dir(name)
    if is_task_repo(root):  # the swebench package's own layout: sweb.yaml and tasks/ID/
        _swebench(root)
        version = digest_dir(root)
        cache = cache_root() / "swebench" / f"{root.name}-{version}"
        tasks, errors = load_task_repo(root, cache)
        for t in tasks:
            t.suite = root.name
        return Suite(root.name, root, version, tasks, errors, [cache])
    suite = Suite(root.name, root, digest_dir(root))
    seen: dict[str, Path] = {}
    for task_dir in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        try:
            loader = load_tb1_task if is_tb1(task_dir) else load_harbor_task if is_harbor(task_dir) else load_task
            task = loader(task_dir, suite.name)
        except TaskError as exc:
            suite.errors.append(exc)
            continue
        if task.id in seen:
            suite.errors.append(TaskError(task_dir / "task.toml", "id", f"'{task.id}' also used by {seen[task.id]}"))
            continue
        seen[task.id] = task_dir
        suite.tasks.append(task)
    return suite

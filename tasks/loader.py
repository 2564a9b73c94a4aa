"""Suites: built-in ones ship as package data under tasks/suites/; any folder of task folders works too, and
any path a suite format claims (tasks/formats.py)."""

from __future__ import annotations

import sys
from pathlib import Path

from .errors import SuiteError, TaskError
from .formats import all_formats, get_format
from .gitsource import git_cache
from .hub import cache_dir, fetch, is_hub
from .model import Suite, digest_dir
from .registry import fetch as fetch_named
from .registry import is_known

SUITES_ROOT = Path(__file__).parent / "suites"
# Built-in suites too large to ship: generated on first use into pertask's cache by their authoring module (its
# `build(folder)`, keyed by its `generator_digest()`), then loaded like any folder.
GENERATED = {"briefcase": "tasks.authoring.briefcase"}


def builtin_suites() -> list[str]:
    return sorted([p.name for p in SUITES_ROOT.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))]
                  + list(GENERATED))


def generated(name: str) -> Path:
    """The folder of a generated suite, built the first time (seconds) and found in the cache after."""
    import importlib

    from results.store import cache_root

    from .published import built_once

    module = importlib.import_module(GENERATED[name])
    home = cache_root() / "suites" / f"{name}-{module.generator_digest()}"

    def build(tmp: Path) -> None:
        print(f"pertask: generating the {name} suite into {home} (once)", file=sys.stderr)
        module.build(tmp)
        (tmp / ".built").touch()

    built_once(home, ".built", build)
    return home


def load_suite(name: str, fmt: str | None = None) -> Suite:
    """A built-in suite by name, or a path: a suite format's own (a SWE-bench .jsonl or task repo), else a
    folder of task folders, each loaded by the first task format that claims it (or by `fmt`)."""
    forced = get_format(fmt) if fmt else None
    if name not in GENERATED and is_known(name) and not Path(name).exists():  # a public benchmark by name
        path, origin, ds = fetch_named(name)
        suite = _named(_load_path(path, forced), name)
        suite.origin = origin
        suite.hidden.append(git_cache() if ds.source == "git" else cache_dir())  # other versions of it, too
        return suite
    if is_hub(name):  # a published dataset, fetched into (or found in) pertask's cache
        path, origin = fetch(name)
        suite = _named(_load_path(path, forced), origin.split("/", 1)[1].split("@")[0])  # not the snapshot's commit
        suite.origin = origin
        suite.hidden.append(cache_dir())  # the snapshot's files are links into the cache's blobs
        return suite
    if (SUITES_ROOT / name).is_dir():
        path = SUITES_ROOT / name
    elif name in GENERATED:
        return _named(_load_path(generated(name), forced), name)  # not the cache folder's name (the digest's)
    elif Path(name).exists():
        path = Path(name).resolve()
    else:
        raise SuiteError(f"unknown suite '{name}' (built-in suites: {', '.join(builtin_suites())}; public benchmarks "
                         "by name: `pertask datasets list`; or give a folder of tasks, a SWE-bench task repo, a .jsonl "
                         "of instances or hf:OWNER/NAME)")
    return _load_path(path, forced)


def _named(suite: Suite, name: str) -> Suite:
    """A suite loaded from a cache folder, called by the name the user gave it."""
    suite.name = name
    for task in suite.tasks:
        task.suite = name
    return suite


def _load_path(path: Path, forced) -> Suite:
    for f in [forced] if forced else all_formats():
        if f.load_suite is not None and f.claims(path):
            return f.load_suite(path)
    if forced is not None and forced.load_task is None:
        raise SuiteError(f"{path} is not a {forced.name} suite ({forced.about})")
    if not path.is_dir():
        raise SuiteError(f"{path} is not a folder of tasks, a SWE-bench task repo or a .jsonl of instances")
    suite = Suite(path.name, path, digest_dir(path))
    by_folder = [f for f in all_formats() if f.load_task is not None]
    seen: dict[str, Path] = {}
    for task_dir in sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        f = forced or next((f for f in by_folder if f.claims(task_dir)), by_folder[-1])  # native says what is missing
        try:
            task = f.load_task(task_dir, suite.name)
        except TaskError as exc:
            suite.errors.append(exc)
            continue
        if task.id in seen:
            suite.errors.append(TaskError(task_dir / "task.toml", "id", f"'{task.id}' also used by {seen[task.id]}"))
            continue
        seen[task.id] = task_dir
        suite.tasks.append(task)
    return suite


def listing(suite: Suite) -> list[str]:
    """`pertask tasks list`: a suite's tasks, one line each."""
    # Each text column as wide as its longest entry, so that the tags mostly fit an 80-column line.
    w, k, g = (max([len(h), *(len(v(t)) for t in suite.tasks)]) for h, v in (
        ("id", lambda t: t.id), ("kind", lambda t: t.config.kind), ("grader", lambda t: t.config.grader.type)))
    lines = [f"{suite.name} (version {suite.version}, {len(suite.tasks)} tasks)",
             f"  {'id':<{w}} {'kind':<{k}} {'tier':<7} {'files':>5} {'~tokens':>8}  {'grader':<{g}} tags"]
    for t in suite.tasks:
        c, files = t.config, t.workspace_files()
        tokens = sum(p.stat().st_size for _, p in files) // 4  # ~4 bytes a token: what reading it all would cost
        lines.append(f"  {t.id:<{w}} {c.kind:<{k}} {c.difficulty:<7} {len(files):>5} {tokens:>8}  "
                     f"{c.grader.type:<{g}} {','.join(c.tags)}")
    return lines

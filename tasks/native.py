"""The native task format: task.toml, instruction.md, workspace/ (or a shared base), grader/, solution/
(tasks/model.py describes each)."""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path

from pydantic import ValidationError

from .errors import TaskError
from .formats import TaskFormat
from .graders import check_config
from .model import Environment, Task, TaskConfig, digest_dir


def claims(task_dir: Path) -> bool:
    return (task_dir / "task.toml").is_file()


def load_task(task_dir: Path, suite: str) -> Task:
    cfg_path = task_dir / "task.toml"
    if not cfg_path.is_file():
        raise TaskError(cfg_path, "task.toml", "file missing")
    try:
        raw = tomllib.loads(cfg_path.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise TaskError(cfg_path, "(syntax)", f"bad TOML: {exc}") from exc
    try:
        config = TaskConfig.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise TaskError(cfg_path, ".".join(str(x) for x in err["loc"]) or "(root)", err["msg"]) from exc
    instr = task_dir / "instruction.md"
    if not instr.is_file() or not instr.read_text().strip():
        raise TaskError(instr, "instruction.md", "missing or empty")
    if not (task_dir / "workspace").is_dir() and "base" not in raw:  # a base may be the whole workspace
        raise TaskError(task_dir / "workspace", "workspace/", "folder missing")
    if not (task_dir / "grader").is_dir():
        raise TaskError(task_dir / "grader", "grader/", "folder missing")
    sol = task_dir / "solution"
    if not ((sol / "solve.sh").is_file() or (sol / "files").is_dir()):
        raise TaskError(sol, "solution/", "needs solve.sh or files/ (the oracle applies it)")
    check_config(config.grader, task_dir, cfg_path)
    # A document task's tools (office libraries) as an image, for a run that puts every task in a container.
    env = Environment(stack="documents") if config.kind == "document" else None
    if config.base is None:
        return Task(task_dir, suite, config, instr.read_text(), digest_dir(task_dir), environment=env)
    layers = [config.base] if isinstance(config.base, str) else config.base
    bases = [task_dir.parent / "_bases" / name for name in layers]
    for b in bases:
        if not b.is_dir():
            raise TaskError(cfg_path, "base", f"no shared code base {b}")
    # The layers' hashes are part of the task's: editing shared code or sources changes every task built on them.
    digest = digest_dir(task_dir) + "+" + (digest_dir(bases[0])[:8] if isinstance(config.base, str) else
                                           hashlib.sha256("".join(map(digest_dir, bases)).encode()).hexdigest()[:8])
    own = [(task_dir / "workspace", ".")] if (task_dir / "workspace").is_dir() else []
    return Task(task_dir, suite, config, instr.read_text(), digest, copies=[*((b, ".") for b in bases), *own],
                environment=env)


FORMAT = TaskFormat("native", "task.toml, instruction.md, workspace/, grader/, solution/ (docs/tasks.md)", claims,
                    load_task=load_task)

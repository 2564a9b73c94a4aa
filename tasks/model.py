"""The native task format: one folder per task.

    task.toml        id, kind, version, difficulty, tags, [limits], [grader]
    instruction.md   the only thing the agent is told
    workspace/       what the agent starts with; with `base = "NAME"` in task.toml, the files of the
                     suite's shared code base _bases/NAME/ come first and workspace/ is laid over them
    grader/          hidden: enters the sample only at grading time
    solution/        hidden reference: files/ (copied over the workspace) and/or solve.sh
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class TaskError(ValueError):
    """A malformed task: always names the file and the field."""

    def __init__(self, file: Path | str, field: str, message: str):
        super().__init__(f"{file}: field '{field}': {message}")
        self.file, self.field = str(file), field


class Limits(BaseModel):
    model_config = ConfigDict(extra="forbid")
    max_turns: int = Field(50, gt=0)
    max_tokens: int = Field(2_000_000, gt=0)  # prompt + output summed over the sample's calls
    max_usd: float | None = Field(None, gt=0)
    timeout_s: float = Field(1800, gt=0)  # wall time of the agent, grading excluded
    command_timeout_s: float = Field(120, gt=0)


class GraderConfig(BaseModel):
    model_config = ConfigDict(extra="allow")  # grader-specific settings live here too
    type: str
    timeout_s: float = Field(300, gt=0)


class TaskConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    kind: Literal["coding", "document"]
    version: str = "1"
    difficulty: Literal["easy", "medium", "hard"] = "medium"
    tags: list[str] = Field(default_factory=list)
    base: str | None = Field(None, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")  # a shared code base in _bases/
    limits: Limits = Field(default_factory=Limits)
    grader: GraderConfig


@dataclass
class Environment:
    """A task's own container environment (Harbor's environment/ folder or docker_image): what the
    container sandbox builds or pulls, and what it gives the sample's container."""
    dockerfile: Path | None = None
    context: Path | None = None
    image: str | None = None  # an image by name, where there is no Dockerfile
    needs_build: str = ""  # why the bwrap sandbox cannot stand in for the image ('' when it can: WORKDIR/COPY only)
    network: bool = False  # the agent's phase may reach the network
    cpus: float | None = None
    memory_mb: int | None = None
    storage_mb: int | None = None  # recorded; podman on overlay has no per-container quota here
    keep_processes: bool = False  # the verifier needs what the agent left running
    solution: Path | None = None  # copied to /solution for the oracle
    env: dict[str, str] = field(default_factory=dict)  # its ENV lines: set by a sandbox that emulates the image
    finish: str = ""  # a last build step of pertask's own (SWE-bench: the repository's later history pruned)


@dataclass
class Task:
    dir: Path
    suite: str
    config: TaskConfig
    instruction: str
    digest: str  # content hash of the whole task folder
    layout: str = "native"  # or "harbor" (Terminal-Bench 2), imported as it is
    workdir: str | None = None  # where commands see the workspace (/app for Terminal-Bench tasks)
    copies: list[tuple[Path, str]] | None = None  # the workspace built from these instead of workspace/
    tests_dir: Path | None = None  # the hidden grader's folder when it is not grader/
    solution_script: Path | None = None
    checkout: tuple[Path, str] | None = None  # (local git repo, commit): the workspace is that commit
    environment: Environment | None = None  # its own container image (the container sandbox)

    @property
    def id(self) -> str:
        return self.config.id

    @property
    def workspace(self) -> Path:
        return self.dir / "workspace"

    @property
    def grader_dir(self) -> Path:
        return self.tests_dir or self.dir / "grader"

    def workspace_files(self) -> list[tuple[str, Path]]:
        """(relative path, source file) of what the agent starts with, later layers winning."""
        if self.checkout is not None:
            return []
        layers = self.copies if self.copies is not None else [(self.workspace, ".")]
        files: dict[str, Path] = {}
        for src, dst in layers:
            found = [(p.relative_to(src), p) for p in sorted(src.rglob("*")) if p.is_file()] if src.is_dir() \
                else [(Path(""), src)] if src.is_file() else []
            for rel, p in found:
                if "__pycache__" not in p.parts:
                    files[str(Path(dst) / rel) if str(rel) else dst] = p
        return sorted(files.items())

    def reference(self) -> dict[str, Any]:
        """The reference solution as the oracle applies it: text files and a script."""
        if self.solution_script is not None:
            return {"files": {}, "script": self.solution_script.read_text()}
        sol = self.dir / "solution"
        files = {str(p.relative_to(sol / "files")): p.read_text()
                 for p in sorted((sol / "files").rglob("*")) if p.is_file()} if (sol / "files").is_dir() else {}
        script = (sol / "solve.sh").read_text() if (sol / "solve.sh").is_file() else ""
        return {"files": files, "script": script}


def digest_dir(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts:
            h.update(str(p.relative_to(root)).encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()[:12]


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
    from .graders import check_config  # the grader type must exist and find its files

    check_config(config.grader, task_dir, cfg_path)
    if config.base is None:
        return Task(task_dir, suite, config, instr.read_text(), digest_dir(task_dir))
    base = task_dir.parent / "_bases" / config.base
    if not base.is_dir():
        raise TaskError(cfg_path, "base", f"no shared code base {base}")
    # The base's hash is part of the task's: editing the shared code changes every task built on it.
    return Task(task_dir, suite, config, instr.read_text(), digest_dir(task_dir) + "+" + digest_dir(base)[:8],
                copies=[(base, "."), *([(task_dir / "workspace", ".")] if (task_dir / "workspace").is_dir() else [])])

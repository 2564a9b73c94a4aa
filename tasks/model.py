"""What a task is, whatever its format (the native format's loader: tasks/native.py): one folder per task.

    task.toml        id, kind, version, difficulty, tags, [limits], [grader]
    instruction.md   the only thing the agent is told
    workspace/       what the agent starts with; with `base = "NAME"` in task.toml, the files of the
                     suite's shared code base _bases/NAME/ come first and workspace/ is laid over them
    grader/          hidden: enters the sample only at grading time
    solution/        hidden reference: files/ (copied over the workspace) and/or solve.sh
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from .errors import SuiteError, TaskError

Layer = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]


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
    # Shared layers in the suite's _bases/: one code base, or a list stacked in order (a scenario's sources week by
    # week), the task's own workspace/ laid over them.
    base: Layer | list[Layer] | None = None
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
    keep_processes: bool = False  # what the agent left running stays for the verifier (Harbor tasks: by default)
    solution: Path | None = None  # copied to /solution for the oracle
    env: dict[str, str] = field(default_factory=dict)  # its ENV lines: set by a sandbox that emulates the image
    finish: str = ""  # a last build step of pertask's own (SWE-bench: the repository's later history pruned)
    # A stack pertask builds an image of (harness/sandboxes/images.py STACKS: "documents") for a task that brings no
    # image of its own: used under --sandbox container; bubblewrap stands in for it (the host has the same stack).
    stack: str = ""


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
    host_env: Any = None  # SWE-bench on the host: the repository's own environment (tasks/swebench_env.py: HostEnv)
    environment: Environment | None = None  # its own container image (the container sandbox)
    # A published benchmark's own wording (tasks/aa_briefcase.py): "agent_system" replaces the built-in agent's
    # system prompt, "judge_system" and "judge_user" the rubric judge's; absent, pertask's own are used.
    prompts: dict[str, str] = field(default_factory=dict)
    finish_tools: bool = False  # the agent ends with finish (its deliverables) or abandon (a reason), not submit
    readonly: list[str] = field(default_factory=list)  # workspace folders the agent reads but cannot change (bwrap)
    # What its prompt promises the sandbox holds: "python:MODULE" and "command:NAME" (checked before a run).
    stack: list[str] = field(default_factory=list)

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


@dataclass
class Suite:
    name: str
    dir: Path
    version: str  # content hash of the whole suite, recorded in every manifest
    tasks: list[Task] = field(default_factory=list)
    errors: list[TaskError] = field(default_factory=list)  # broken tasks are skipped, each with its reason
    hidden: list[Path] = field(default_factory=list)  # more paths the agent must not see (besides dir)
    origin: str = ""  # where it came from when not a folder of the user's: hf:OWNER/NAME@COMMIT

    def select(self, ids: list[str] | None = None, limit: int | None = None, shard: str | None = None,
               sample: int | None = None) -> list[Task]:
        """The tasks a run takes: those of `ids`, the first `limit`, then shard I of N ("I/N": every Nth from the
        Ith, so that N machines running shards 1/N .. N/N share the suite), then `sample` of them drawn at random
        (seeded: the same draw every time; a pilot for an estimate, unlike a shard, follows no pattern of the
        suite's order)."""
        tasks = self.tasks
        if ids:
            if unknown := sorted(set(ids) - {t.id for t in tasks}):
                raise SuiteError(f"unknown task id(s) in suite {self.name}: {', '.join(unknown)}")
            tasks = [t for t in tasks if t.id in ids]
        tasks = tasks[:limit] if limit else tasks
        if shard:
            i, _, n = shard.partition("/")
            if not (i.isdigit() and n.isdigit() and 1 <= int(i) <= int(n)):
                raise SuiteError(f"--shard {shard}: expected I/N with 1 <= I <= N, e.g. 2/8")
            tasks = tasks[int(i) - 1::int(n)]
        if sample:
            drawn = set(random.Random(0).sample(range(len(tasks)), min(sample, len(tasks))))
            tasks = [t for i, t in enumerate(tasks) if i in drawn]
        if not tasks:
            raise SuiteError(f"suite {self.name} has no runnable task" + (" in this selection" if ids or shard else ""))
        return tasks

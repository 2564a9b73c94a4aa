"""The grader contract: one method, `grade`.

A grader's inputs are out of the model's reach: the harness copies the task's hidden grader and
pertask's own sandboxed scripts (tasks/graders/sandboxed/) into a grading folder beside the
workspace, never in it, and binds both read-only; the grader's `out_dir` is the one writable place
besides the workspace and /tmp, fresh for each grading.
"""

from __future__ import annotations

import os
import shutil
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

TOOLS = Path(__file__).with_name("sandboxed")


@dataclass
class GradingDirs:
    grader: Path  # a copy of the task's hidden grader: read-only to every command
    tools: Path  # a copy of tasks/graders/sandboxed: read-only
    out: Path  # fresh and writable: where the verdict is written

    @property
    def read_only(self) -> list[Path]:
        return [self.grader, self.tools]


def prepare_grading(task_grader: Path, root: Path) -> GradingDirs:
    """The grading folder of one sample: the hidden grader enters only now, and only here."""
    dirs = GradingDirs(root / "grader", root / "tools", root / "out")
    shutil.copytree(task_grader, dirs.grader)
    shutil.copytree(TOOLS, dirs.tools)
    dirs.out.mkdir()
    return dirs


def tool(grader_dir: Path, name: str) -> Path:
    """One of pertask's sandboxed scripts, as prepare_grading placed it beside `grader_dir`."""
    return grader_dir.parent / "tools" / name


class CommandOutput(Protocol):
    exit_code: int
    output: str
    timed_out: bool


class RunCommand(Protocol):
    """Runs a shell command in the sample's sandbox with cwd = workspace; `binds` are extra writable dirs
    (the grader's own folders are bound read-only by the harness); `mounts` maps a path inside (/tests,
    /logs) onto a host folder (copied in and out of a container). `fresh`: not in the agent's sandbox but
    in a new one of the task's own image, which the agent never touched (the container sandbox only). `index`: the
    package indexes and these hosts reachable through pertask's proxy, only where `index_access` says so."""
    index_access: bool

    async def __call__(self, command: str, *, timeout_s: float, binds: list[Path],
                      env: dict[str, str] | None = None, mounts: dict[str, Path] | None = None,
                      fresh: bool = False, index: set[str] | None = None) -> CommandOutput: ...


@dataclass
class GradeResult:
    score: float  # fraction of checks passed, 0..1
    passed: bool  # every check passed
    checks: list[dict[str, Any]] = field(default_factory=list)  # name, passed, message
    detail: str = ""
    infra_error: str = ""  # the grader itself broke: the sample is not scored
    output: str = ""  # the verifier's whole output (up to OUTPUT_KEPT): kept in the transcript, not the record
    # The verdict was forced or forged (tasks/graders/canaries.py): the evidence. Scored 0, its own outcome.
    tampered: str = ""
    verdict_checks: dict[str, Any] = field(default_factory=dict)  # what was checked of the verdict (tests, canaries)

    def as_dict(self) -> dict[str, Any]:
        out = {"score": self.score, "passed": self.passed, "checks": self.checks, "detail": self.detail,
               "infra_error": self.infra_error}
        if self.tampered:
            out["tampered"] = self.tampered
        if self.verdict_checks:
            out["verdict_checks"] = self.verdict_checks
        return out


class Grader(Protocol):
    def missing(self, grader_dir: Path) -> str:
        """'' when the grader folder has what this grader needs, else what is missing."""

    async def grade(self, grader_dir: Path, workspace: Path, out_dir: Path, run: RunCommand,
                    timeout_s: float) -> GradeResult: ...


OUTPUT_KEPT = 1 << 20  # of a verifier's output, what the transcript keeps (its head and tail)


def kept(text: str, limit: int = OUTPUT_KEPT) -> str:
    if len(text) <= limit:
        return text
    return f"{text[:limit // 2]}\n[... {len(text) - limit} characters cut ...]\n{text[-limit // 2:]}"


def read_output(path: Path, within: Path) -> str:
    """A verifier's output file as the host reads it (see read_verdict); '' when it wrote none."""
    try:
        return read_verdict(path, within, 64 << 20)
    except OSError:
        return ""


# The first line of every grading command, printed before anything of the model's runs. Without it
# the sandbox did not start (the harness's trouble: infra); with it, a grader that wrote no verdict was
# stopped by the code under test, which is the model's failure. A model cannot take back a line once
# printed, so it cannot turn its failure into an unscored infra error.
STARTED = "[pertask: grading started]"


def read_verdict(path: Path, within: Path, limit: int = 10 << 20) -> str:
    """A verdict file the graded process wrote, read from the host: never through a link (the process could
    point it at any host file, its own workspace's forged verdict included) and never outside `within`."""
    return read_verdict_bytes(path, within, limit).decode("utf-8", "replace")


def read_verdict_bytes(path: Path, within: Path, limit: int = 10 << 20) -> bytes:
    """read_verdict's bytes, as written (a patch must come back byte for byte)."""
    if not os.path.realpath(path).startswith(os.path.realpath(within) + os.sep):
        raise PermissionError(f"{path} leads outside {within}")
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)  # a FIFO must not block the harness
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise PermissionError(f"{path} is not a regular file")
        chunks, size = [], 0
        while size < limit and (chunk := os.read(fd, min(1 << 20, limit - size))):
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def started_cmd(command: str) -> str:
    return f"echo '{STARTED}'; {command}"


def no_verdict(output: str, what: str) -> GradeResult:
    if STARTED not in output:
        return GradeResult(0.0, False, [], output[-2000:], infra_error=f"the grading sandbox did not start ({what})")
    return GradeResult(0.0, False, [], f"{what}: no verdict (the code under test ended the grader)\n{output[-2000:]}")


def from_checks(checks: list[dict[str, Any]], detail: str = "") -> GradeResult:
    n_pass = sum(1 for c in checks if c["passed"])
    score = n_pass / len(checks) if checks else 0.0
    return GradeResult(score, bool(checks) and n_pass == len(checks), checks, detail)

"""The grader contract: one method, `grade`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol


class CommandOutput(Protocol):
    exit_code: int
    output: str
    timed_out: bool


class RunCommand(Protocol):
    """Runs a shell command in the sample's sandbox with cwd = workspace; `binds` are extra writable dirs."""

    async def __call__(self, command: str, *, timeout_s: float, binds: list[Path],
                      env: dict[str, str] | None = None, mounts: dict[str, Path] | None = None) -> CommandOutput: ...


@dataclass
class GradeResult:
    score: float  # fraction of checks passed, 0..1
    passed: bool  # every check passed
    checks: list[dict[str, Any]] = field(default_factory=list)  # name, passed, message
    detail: str = ""
    infra_error: str = ""  # the grader itself broke: the sample is not scored

    def as_dict(self) -> dict[str, Any]:
        return {"score": self.score, "passed": self.passed, "checks": self.checks, "detail": self.detail,
                "infra_error": self.infra_error}


class Grader(Protocol):
    def missing(self, grader_dir: Path) -> str:
        """'' when the grader folder has what this grader needs, else what is missing."""

    async def grade(self, grader_dir: Path, workspace: Path, out_dir: Path, run: RunCommand,
                    timeout_s: float) -> GradeResult: ...


def from_checks(checks: list[dict[str, Any]], detail: str = "") -> GradeResult:
    n_pass = sum(1 for c in checks if c["passed"])
    score = n_pass / len(checks) if checks else 0.0
    return GradeResult(score, bool(checks) and n_pass == len(checks), checks, detail)

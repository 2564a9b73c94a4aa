"""One grading, as a sample's and as the control's: the copy of what the agent left (a backend's `for_grading`),
the hidden grader entering only now, and the grader run on the copy. A grader that raises gives a verdict-less
result: whose fault that is, the control decides (harness/run/control.py)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from harness.sandboxes.grading_copy import Graded
from tasks import Task
from tasks.graders import get_grader
from tasks.graders.base import GradeResult, GradingDirs, prepare_grading


class SandboxRun:
    """A grader's RunCommand on a sandbox: the grading folders read-only; `index_access` as the backend declares it."""

    def __init__(self, box, read_only: list[Path]):
        self.box, self.read_only = box, read_only
        self.index_access = type(box).verifier_index

    async def __call__(self, command: str, **kw):
        return await self.box.run(command, ro_binds=self.read_only, **kw)


async def grade_copy(task: Task, sandbox, root: Path) -> tuple[Graded, GradingDirs, GradeResult]:
    graded = await asyncio.to_thread(sandbox.for_grading, root / "graded")
    dirs = await asyncio.to_thread(prepare_grading, task.grader_dir, root / "grading")
    try:
        grade = await get_grader(task.config.grader.type).grade(
            dirs.grader, graded.workspace, dirs.out, SandboxRun(graded.box, dirs.read_only),
            task.config.grader.timeout_s)
    except Exception as exc:
        grade = GradeResult(0.0, False, infra_error=f"{type(exc).__name__}: {str(exc)[:500]}")
    return graded, dirs, grade

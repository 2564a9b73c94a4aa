"""The control that proves "infra": a grading that did not start or gave no verdict is the harness's fault only
if grading the task's pristine workspace (nothing of the model's in it) fails the same way.

Without it, whatever a model does to the environment that grading runs in (a `chmod 000 .`, a container whose
shell it deleted, a workspace that fills the disk) would turn its failure into an unscored sample, retried on
every resume and never counted: an accuracy computed over the samples it chose. With it, such a sample is
scored 0 with the reason, and only a task whose untouched workspace cannot be graded either stays `infra`.

The control runs once per task and run: its outcome is kept in the run directory (controls.json, by the task's
digest), so a resume does not grade the pristine workspace again.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import tempfile
from pathlib import Path

from harness.sandboxes import make_sandbox
from tasks import Task

from .grading import grade_copy

FILE = "controls.json"


class Controls:
    def __init__(self, run_dir: Path):
        self.path = run_dir / FILE
        self.locks: dict[str, asyncio.Lock] = {}
        try:
            self.known: dict[str, dict] = json.loads(self.path.read_text())
        except (OSError, ValueError):
            self.known = {}

    async def failure(self, task: Task, plan, scratch: Path, hidden: list[Path]) -> str:
        """'' when the task's pristine workspace grades (so a grading that failed on a sample is the model's doing);
        else why grading fails without the model too (the sample is then `infra`)."""
        key = f"{task.id}@{task.digest}"
        async with self.locks.setdefault(key, asyncio.Lock()):
            if key not in self.known:
                self.known[key] = {"failure": await _grade_pristine(task, plan, scratch, hidden)}
                self.path.write_text(json.dumps(self.known, indent=1))
        return self.known[key]["failure"]


async def _grade_pristine(task: Task, plan, scratch: Path, hidden: list[Path]) -> str:
    root = Path(tempfile.mkdtemp(prefix=f"control-{task.id}-", dir=scratch)).resolve()
    sandbox = None
    try:
        sandbox = make_sandbox(task, root, hidden, plan.sandbox, plan.images.get(task.id), plan.limits())
        await asyncio.to_thread(sandbox.prepare, task.workspace, task.copies, task.checkout)
        await sandbox.close()
        _, _, grade = await grade_copy(task, sandbox, root)
        return grade.infra_error
    except Exception as exc:  # the control could not even be set up: the harness is at fault
        return f"the control could not run: {type(exc).__name__}: {exc}"
    finally:
        if sandbox is not None:
            await sandbox.destroy()
        shutil.rmtree(root, ignore_errors=True)

"""Figure 15: what honest grading costs a sample. Each pytest task of a suite is graded as a sample's is now
(the workspace copied as data into a fresh tree, its hidden tests rewritten with aliases and canaries) and as it
was before (the grader run on the agent's own copy-on-write workspace, the tests as written), alternating, in the
same run; the ratio of the two is the figure. The control (a grading of the task's pristine workspace) runs only
when a grading fails, once per task and run: its cost is one grading, printed beside.

    .venv/bin/python benchmarks/grading_overhead.py [--suite coding] [--repeat 3]
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from harness.sandboxes.bwrap import BwrapSandbox  # noqa: E402
from tasks import load_suite  # noqa: E402
from tasks.graders import canaries, get_grader  # noqa: E402
from tasks.graders.base import prepare_grading  # noqa: E402

PLANT = canaries.plant


async def grade_once(task, root: Path, honest: bool) -> tuple[float, float]:
    """Seconds to grade a fresh sample of `task`: (making what is graded, the grading itself)."""
    box = BwrapSandbox(root, [], workdir=task.workdir)
    box.prepare(task.workspace, task.copies, task.checkout)
    t0 = time.perf_counter()
    if honest:
        graded = box.for_grading(root / "graded")
        run, ws = graded.box.run, graded.workspace
        canaries.plant = PLANT
    else:  # as before: the live workspace, the tests as written
        run, ws = box.run, box.workspace
        canaries.plant = lambda _d, rng=None: canaries.Planted(off="benchmark: as before")
    dirs = prepare_grading(task.grader_dir, root / "grading")
    t1 = time.perf_counter()
    grade = await get_grader(task.config.grader.type).grade(dirs.grader, ws, dirs.out,
                                                            functools.partial(run, ro_binds=dirs.read_only),
                                                            task.config.grader.timeout_s)
    t2 = time.perf_counter()
    assert not grade.infra_error and not grade.tampered, (task.id, grade.infra_error, grade.tampered)
    await box.destroy()
    return t1 - t0, t2 - t1


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--suite", default="coding")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    tasks = [t for t in load_suite(args.suite).tasks if t.config.grader.type == "pytest"]
    before, now, copy_s = [], [], []
    scratch = Path(tempfile.mkdtemp(prefix="pertask-grading-bench-"))
    try:
        for r in range(args.repeat):
            for i, task in enumerate(tasks):
                for honest in ((False, True) if (r + i) % 2 == 0 else (True, False)):  # alternate the order
                    root = scratch / f"{task.id}-{r}-{int(honest)}"
                    prep, graded = await grade_once(task, root, honest)
                    (now if honest else before).append(prep + graded)
                    if honest:
                        copy_s.append(prep)
                    shutil.rmtree(root, ignore_errors=True)
    finally:
        canaries.plant = PLANT
        shutil.rmtree(scratch, ignore_errors=True)
    per_before, per_now = sum(before) / len(before), sum(now) / len(now)
    print(f"{len(tasks)} pytest tasks of '{args.suite}' x {args.repeat}: grading per sample "
          f"{per_before * 1000:.0f} ms as before, {per_now * 1000:.0f} ms with the copy and the canaries: "
          f"{per_now / per_before:.2f}x (median per grading {statistics.median(before) * 1000:.0f} / "
          f"{statistics.median(now) * 1000:.0f} ms; the copy and the grading folder {statistics.median(copy_s) * 1000:.1f} ms)")
    print(f"the control, when a grading fails: one grading of the pristine workspace, about {per_now * 1000:.0f} ms, "
          "once per task and run")


if __name__ == "__main__":
    asyncio.run(main())

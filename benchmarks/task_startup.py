"""Figure 6: task start-up. The time to create one sample's workspace from a repository of 2,000
files (what every sample pays before its first turn), and to grade it with the pytest grader, for
both ways pertask makes a workspace: a copy-on-write overlay (the default with bubblewrap) and a
plain copy (`--keep-workspaces`, or no bubblewrap). It also prints what the overlay costs each
command (it is mounted as the command starts), from 20 `true` commands per sample.

    .venv/bin/python benchmarks/task_startup.py [--files 2000] [--repeat 10]
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
from tasks.graders import get_grader  # noqa: E402
from tasks.graders.base import prepare_grading  # noqa: E402


def make_repo(root: Path, files: int) -> Path:
    for i in range(files):
        p = root / f"pkg{i // 100:02d}" / f"mod{i:04d}.py"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(f'"""module {i}"""\n\n\ndef f{i}(x):\n    return x + {i}\n' + "# padding\n" * 40)
    (root / "pkg00" / "__init__.py").write_text("")
    return root


def session_rss_mb(root_pid: int) -> float:
    """Resident memory of a sandbox session: bubblewrap's processes and the server (shared pages
    counted in each)."""
    todo, kb = [root_pid], 0
    while todo:
        pid = todo.pop()
        status = Path(f"/proc/{pid}/status").read_text()
        kb += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
        todo += [int(k) for k in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    return kb / 1024


async def sample(sb: BwrapSandbox, grader: Path, out: Path) -> tuple[float, float, float, object]:
    """One sample in one event loop, as the runner has it: 20 commands, then grading."""
    t0 = time.perf_counter()
    for _ in range(20):
        await sb.run("true", timeout_s=30)
    t_cmd = (time.perf_counter() - t0) / 20
    rss = session_rss_mb(sb.session.proc.pid)
    await sb.close()
    t0 = time.perf_counter()
    dirs = prepare_grading(grader, out / "grading")  # as the runner does: the hidden tests enter only now
    res = await get_grader("pytest").grade(dirs.grader, sb.workspace, dirs.out,
                                           functools.partial(sb.run, ro_binds=dirs.read_only), 120)
    return t_cmd, time.perf_counter() - t0, rss, res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=10)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        repo = make_repo(tmp / "repo", a.files)
        grader = tmp / "grader"
        grader.mkdir()
        (grader / "test_it.py").write_text("from pkg00.mod0001 import f1\n\n\ndef test_f():\n    assert f1(1) == 2\n")
        size = sum(p.stat().st_size for p in repo.rglob("*") if p.is_file())
        print(f"repository: {a.files} files, {size / 1e6:.1f} MB")
        for cow in (True, False):  # the same machine, minutes apart: compare the two as a ratio
            prep, grade, cmd, rss = [], [], [], []
            for i in range(a.repeat):
                sb = BwrapSandbox(tmp / f"s{cow}{i}", hidden=[])
                t0 = time.perf_counter()
                sb.prepare(repo, cow=cow)
                prep.append(time.perf_counter() - t0)
                t_cmd, t_grade, mb, res = asyncio.run(sample(sb, grader, tmp / f"s{cow}{i}" / "grading"))
                cmd.append(t_cmd)
                grade.append(t_grade)
                rss.append(mb)
                assert res.passed, res.detail
                shutil.rmtree(tmp / f"s{cow}{i}")
            mode = "overlay" if sb.overlay else "copy"
            print(f"{mode:8} workspace creation: median {statistics.median(prep) * 1000:.2f} ms "
                  f"(min {min(prep) * 1000:.2f}, max {max(prep) * 1000:.2f}) over {a.repeat}; "
                  f"one command: median {statistics.median(cmd) * 1000:.1f} ms; "
                  f"grading (pytest in the sandbox): median {statistics.median(grade) * 1000:.0f} ms; "
                  f"sandbox session resident: {statistics.median(rss):.1f} MB")


if __name__ == "__main__":
    main()

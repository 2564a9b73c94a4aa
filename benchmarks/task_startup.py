"""Figure 6: task start-up. The time to create one sample's workspace from a repository of 2,000
files (what every sample pays before its first turn), and to grade it with the pytest grader.

    .venv/bin/python benchmarks/task_startup.py [--files 2000] [--repeat 10]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from harness.sandbox import Sandbox  # noqa: E402
from tasks.graders import get_grader  # noqa: E402


def make_repo(root: Path, files: int) -> Path:
    for i in range(files):
        p = root / f"pkg{i // 100:02d}" / f"mod{i:04d}.py"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(f'"""module {i}"""\n\n\ndef f{i}(x):\n    return x + {i}\n' + "# padding\n" * 40)
    (root / "pkg00" / "__init__.py").write_text("")
    return root


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
        prep, grade = [], []
        for i in range(a.repeat):
            sb = Sandbox(tmp / f"s{i}", hidden=[], use_bwrap=True)
            t0 = time.perf_counter()
            sb.prepare(repo)
            prep.append(time.perf_counter() - t0)
            out = tmp / f"s{i}" / "grading"
            t0 = time.perf_counter()
            shutil.copytree(grader, out / "grader")  # as the runner does: the hidden tests enter only now
            res = asyncio.run(get_grader("pytest").grade(out / "grader", sb.workspace, out, sb.run, 120))
            grade.append(time.perf_counter() - t0)
            assert res.passed, res.detail
        size = sum(p.stat().st_size for p in repo.rglob("*") if p.is_file())
    print(f"repository: {a.files} files, {size / 1e6:.1f} MB")
    print(f"workspace creation: median {statistics.median(prep) * 1000:.1f} ms (min {min(prep) * 1000:.1f}, "
          f"max {max(prep) * 1000:.1f}) over {a.repeat}")
    print(f"grading (pytest in the sandbox): median {statistics.median(grade) * 1000:.0f} ms")


if __name__ == "__main__":
    main()

"""Small synthetic suites for load tests and benchmarks: N document tasks, each with one workspace
file, a checks grader and a reference solution, so that a run exercises the whole path (workspace,
agent, sandbox, grader, store) at almost no cost per sample."""

from __future__ import annotations

from pathlib import Path


def write_suite(root: Path, n: int = 10, *, prefix: str = "t", instruction: str = "Write answer.txt.",
                check: str = "assert (ws / 'answer.txt').is_file()", solution: str = "echo 42 > answer.txt") -> Path:
    """`check` is the body of the one check function (its workspace argument is `ws`)."""
    for i in range(n):
        task_id = f"{prefix}{i:02d}"
        t = root / task_id
        (t / "workspace").mkdir(parents=True)
        (t / "workspace" / "notes.txt").write_text(f"task {i}\n")
        (t / "grader").mkdir()
        (t / "grader" / "checks.py").write_text(f"import time  # noqa: F401\n\n\ndef check_it(ws):\n    {check}\n")
        (t / "solution").mkdir()
        (t / "solution" / "solve.sh").write_text(solution + "\n")
        (t / "instruction.md").write_text(f"Task {i}. {instruction}\n")
        (t / "task.toml").write_text(f'id = "{task_id}"\nkind = "document"\n[grader]\ntype = "checks"\n')
    return root

"""Terminal-Bench 1 task folders, imported as they are:

    task.yaml  Dockerfile  run-tests.sh  tests/test_outputs.py  solution.sh

task.yaml holds the instruction (`instruction`, or the older `descriptions` list), difficulty,
tags and timeouts. The environment comes from the Dockerfile as for Terminal-Bench 2 tasks;
a task that needs a Docker build or docker-compose is reported with that reason. The verdict
is pytest's: run-tests.sh runs with the tests at /tests ($TEST_DIR), and each test's PASSED /
FAILED line is a check (no reward file in this layout).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from .formats import TaskFormat
from .graders.harbor_grader import needs_network
from .harbor import parse_dockerfile
from .model import GraderConfig, Limits, Task, TaskConfig, TaskError, digest_dir


def is_tb1(task_dir: Path) -> bool:
    return (task_dir / "task.yaml").is_file() and not (task_dir / "task.toml").is_file()


def _instruction(raw: dict) -> str:
    if isinstance(raw.get("instruction"), str):
        return raw["instruction"]
    for d in raw.get("descriptions") or []:  # the first Terminal-Bench releases
        if isinstance(d, dict) and d.get("key", "base") == "base" and isinstance(d.get("description"), str):
            return d["description"]
    return ""


def load_tb1_task(task_dir: Path, suite: str) -> Task:
    import yaml

    cfg = task_dir / "task.yaml"
    if not cfg.is_file():
        raise TaskError(cfg, "task.yaml", "file missing")
    try:
        raw = yaml.safe_load(cfg.read_text()) or {}
    except yaml.YAMLError as exc:
        raise TaskError(cfg, "(syntax)", f"bad YAML: {str(exc).splitlines()[0]}") from exc
    if not isinstance(raw, dict):
        raise TaskError(cfg, "(root)", "task.yaml must be a mapping")
    instruction = _instruction(raw)
    if not instruction.strip():
        raise TaskError(cfg, "instruction", "missing or empty")
    if (task_dir / "docker-compose.yaml").is_file() and not (task_dir / "Dockerfile").is_file():
        raise TaskError(task_dir / "docker-compose.yaml", "docker-compose.yaml",
                        "needs docker compose: the local sandbox cannot start services (run it where Docker is)")
    workdir, copies, needs = parse_dockerfile(task_dir / "Dockerfile")
    if needs:
        raise TaskError(task_dir / "Dockerfile", "Dockerfile",
                        f"needs {'; '.join(needs)}: the local sandbox cannot build images (run it where Docker is)")
    tests = task_dir / "run-tests.sh"
    if not tests.is_file() and not (task_dir / "tests" / "test_outputs.py").is_file():
        raise TaskError(tests, "run-tests.sh", "missing, and no tests/test_outputs.py to run instead")
    if tests.is_file() and needs_network(tests.read_text()) and not (task_dir / "tests" / "test_outputs.py").is_file():
        raise TaskError(tests, "run-tests.sh", f"needs the network ({', '.join(needs_network(tests.read_text()))}) "
                        "and there is no tests/test_outputs.py for the offline verifier")
    solve = task_dir / "solution.sh"
    if not solve.is_file():
        raise TaskError(solve, "solution.sh", "missing (the oracle runs it)")
    try:
        config = TaskConfig(
            id=task_dir.name, kind="coding", version=str(raw.get("version", "1")),
            difficulty=raw.get("difficulty") if raw.get("difficulty") in ("easy", "medium", "hard") else "medium",
            tags=[str(t) for t in raw.get("tags") or []] + ["terminal-bench-1"],
            limits=Limits(timeout_s=float(raw.get("max_agent_timeout_sec", 1800))),
            grader=GraderConfig(type="tb1", timeout_s=float(raw.get("max_test_timeout_sec", 300))))
    except (ValidationError, ValueError) as exc:
        raise TaskError(cfg, "(terminal-bench task)", str(exc).splitlines()[0]) from exc
    # The grader folder is the task folder itself (run-tests.sh and tests/ both live there);
    # like any grader it enters the sample only after the agent has finished.
    return Task(task_dir, suite, config, instruction, digest_dir(task_dir), layout="terminal-bench-1",
                workdir=workdir, copies=copies, tests_dir=task_dir, solution_script=solve)


FORMAT = TaskFormat("tb1", "Terminal-Bench 1: task.yaml, Dockerfile, run-tests.sh, tests/, solution.sh", is_tb1,
                    load_task=load_tb1_task)

"""Graders, looked up by the `type` in a task's [grader] table and imported on use.

A grader runs inside the same sandbox as the agent (the agent's code is
untrusted at grading time too), through the `run` callable the harness passes.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from ..errors import TaskError
from .base import Grader, GradeResult, RunCommand

GRADERS = {
    "pytest": "tasks.graders.pytest_grader:PytestGrader",
    "checks": "tasks.graders.checks_grader:ChecksGrader",
    "harbor": "tasks.graders.harbor_grader:HarborGrader",
    "tb1": "tasks.graders.tb1_grader:TB1Grader",
    "swebench": "tasks.graders.swebench_grader:SwebenchGrader",
    "deliverables": "tasks.graders.deliverables_grader:DeliverablesGrader",
}


def get_grader(type_name: str) -> Grader:
    if type_name not in GRADERS:
        raise KeyError(f"unknown grader type '{type_name}' (valid: {', '.join(sorted(GRADERS))})")
    module, _, cls = GRADERS[type_name].partition(":")
    return getattr(importlib.import_module(module), cls)()


def check_config(config, task_dir: Path, cfg_path: Path) -> None:
    """The grader type must exist and find its files."""
    try:
        grader = get_grader(config.type)
    except KeyError as exc:
        raise TaskError(cfg_path, "grader.type", str(exc.args[0])) from exc
    problem = grader.missing(task_dir / "grader")
    if problem:
        raise TaskError(task_dir / "grader", "grader/", problem)


__all__ = ["GRADERS", "GradeResult", "Grader", "RunCommand", "check_config", "get_grader"]

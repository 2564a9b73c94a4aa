"""Hidden pytest tests: score = fraction of test cases passing.

pytest runs under tasks/graders/sandboxed/run_pytest.py with an isolated interpreter: the
workspace is importable by the tests but cannot shadow pytest, configure it or rewrite the
verdict after the tests (that file says how).
"""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

from .base import GradeResult, RunCommand, from_checks, no_verdict, read_verdict, started_cmd, tool


class PytestGrader:
    def missing(self, grader_dir: Path) -> str:
        return "" if any(grader_dir.rglob("test_*.py")) else "no test_*.py file for the pytest grader"

    async def grade(self, grader_dir: Path, workspace: Path, out_dir: Path, run: RunCommand,
                    timeout_s: float) -> GradeResult:
        verdict = out_dir / "pytest.json"
        cmd = " ".join(shlex.quote(str(x)) for x in [
            sys.executable, "-I", tool(grader_dir, "run_pytest.py"), workspace, grader_dir, verdict])
        # PYTHONPATH is ignored by the isolated interpreter; tests that start the workspace's code in a
        # subprocess of their own find it there (`python -m pkg` with cwd = workspace works either way).
        res = await run(started_cmd(cmd), timeout_s=timeout_s, binds=[out_dir],
                        env={"PYTHONPATH": str(workspace), "PYTHONDONTWRITEBYTECODE": "1"})
        if res.timed_out:
            # The agent's code hung the tests: that is the agent's failure, not the harness's.
            return GradeResult(0.0, False, [], f"grading timed out after {timeout_s:.0f}s")
        try:
            checks = json.loads(read_verdict(verdict, out_dir))["cases"]
            checks = [{"name": str(c["name"]), "passed": c["passed"] is True, "message": str(c.get("message", ""))}
                      for c in checks]
        except (OSError, ValueError, KeyError, TypeError):
            return no_verdict(res.output, "pytest")
        return from_checks(checks, res.output[-2000:] if not checks else "")

"""Hidden pytest tests: score = fraction of test cases passing.

pytest runs under tasks/graders/sandboxed/run_pytest.py with an isolated interpreter: the
workspace is importable by the tests but cannot shadow pytest, configure it or rewrite the
verdict after the tests (that file says how).
"""

from __future__ import annotations

import asyncio
import json
import shlex
import sys
from pathlib import Path

from . import canaries
from .base import GradeResult, RunCommand, from_checks, no_verdict, read_verdict, started_cmd, tool


class PytestGrader:
    def missing(self, grader_dir: Path) -> str:
        return "" if any(grader_dir.rglob("test_*.py")) else "no test_*.py file for the pytest grader"

    async def grade(self, grader_dir: Path, workspace: Path, out_dir: Path, run: RunCommand,
                    timeout_s: float) -> GradeResult:
        planted = await asyncio.to_thread(canaries.plant, grader_dir)  # the grading copy, never the task's own tests
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
        output = planted.readable(res.output)
        try:
            data = json.loads(read_verdict(verdict, out_dir))
            cases = [{"name": str(c["name"]), "passed": c["passed"] is True, "message": str(c.get("message", "")),
                      "skipped": c.get("skipped") is True} for c in data["cases"]]
        except (OSError, ValueError, KeyError, TypeError):
            return no_verdict(output, "pytest")
        forged = str(data.get("forged", "")) if isinstance(data, dict) else ""
        tampered = forged or canaries.check(planted, cases)
        checks = [{"name": planted.original(c["name"]), "passed": c["passed"], "message": c["message"]}
                  for c in cases if not c["skipped"] and c["name"].rpartition("::")[2].partition("[")[0]
                  not in planted.canaries]
        res_ = from_checks(checks, output[-2000:] if not checks else "")
        res_.verdict_checks = planted.summary()
        if tampered:
            res_.tampered, res_.score, res_.passed = tampered, 0.0, False
        return res_

"""Hidden pytest tests: score = fraction of test cases passing (from JUnit XML)."""

from __future__ import annotations

import shlex
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from .base import GradeResult, RunCommand, from_checks


class PytestGrader:
    def missing(self, grader_dir: Path) -> str:
        return "" if any(grader_dir.rglob("test_*.py")) else "no test_*.py file for the pytest grader"

    async def grade(self, grader_dir: Path, workspace: Path, out_dir: Path, run: RunCommand,
                    timeout_s: float) -> GradeResult:
        junit = out_dir / "junit.xml"
        cmd = " ".join(shlex.quote(x) for x in [
            sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(grader_dir),
            "--junitxml", str(junit), "-o", "junit_family=xunit2", str(grader_dir)])
        res = await run(cmd, timeout_s=timeout_s, binds=[out_dir],
                        env={"PYTHONPATH": str(workspace), "PYTHONDONTWRITEBYTECODE": "1"})
        if res.timed_out:
            # The agent's code hung the tests: that is the agent's failure, not the harness's.
            return GradeResult(0.0, False, [], f"grading timed out after {timeout_s:.0f}s")
        if not junit.is_file():
            return GradeResult(0.0, False, [], res.output[-2000:], infra_error="pytest wrote no report")
        checks = []
        for case in ET.parse(junit).getroot().iter("testcase"):
            bad = next((c for c in case if c.tag in ("failure", "error")), None)
            if case.find("skipped") is not None:
                continue
            checks.append({"name": f"{case.get('classname', '')}::{case.get('name', '')}".strip(":"),
                           "passed": bad is None,
                           "message": "" if bad is None else (bad.get("message") or "")[:500]})
        return from_checks(checks, res.output[-2000:] if not checks else "")

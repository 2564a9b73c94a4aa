"""SWE-bench grading: put the test files back to the base commit, apply test_patch, run the
FAIL_TO_PASS and PASS_TO_PASS tests; resolved only if every one of them passes. A test that
does not appear in pytest's report counts as failed."""

from __future__ import annotations

import json
import re
import shlex
import sys
from pathlib import Path

from .base import GradeResult, RunCommand, from_checks, started_cmd

_STATUS = re.compile(r"^(PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS) (\S+)", re.M)


class SwebenchGrader:
    def missing(self, grader_dir: Path) -> str:
        return "" if (grader_dir / "spec.json").is_file() and (grader_dir / "test.patch").is_file() else \
            "spec.json and test.patch are needed"

    async def grade(self, grader_dir: Path, workspace: Path, out_dir: Path, run: RunCommand,
                    timeout_s: float) -> GradeResult:
        spec = json.loads((grader_dir / "spec.json").read_text())
        wanted = spec["FAIL_TO_PASS"] + spec["PASS_TO_PASS"]
        q = shlex.quote
        # The agent may have edited the tests: they go back to the base commit (or away, if new) first.
        reset = "; ".join(f"(git checkout -q HEAD -- {q(f)} 2>/dev/null || rm -f {q(f)})" for f in spec["test_files"])
        cmd = (f"{reset}; git apply --whitespace=nowarn {q(str(grader_dir / 'test.patch'))} || "
               f"{{ echo 'pertask: test_patch does not apply'; exit 3; }}; "
               f"{q(sys.executable)} -m pytest -rA -p no:cacheprovider {' '.join(q(t) for t in wanted)}")
        res = await run(started_cmd(cmd), timeout_s=timeout_s, binds=[out_dir], env={"PYTHONDONTWRITEBYTECODE": "1"})
        if res.timed_out:
            return GradeResult(0.0, False, [], f"tests timed out after {timeout_s:.0f}s")
        status = {node: st for st, node in _STATUS.findall(res.output)}
        checks = [{"name": t, "passed": status.get(t) == "PASSED",
                   "message": f"{'FAIL_TO_PASS' if t in spec['FAIL_TO_PASS'] else 'PASS_TO_PASS'}: "
                              f"{status.get(t, 'not run')}"} for t in wanted]
        return from_checks(checks, res.output[-2000:])

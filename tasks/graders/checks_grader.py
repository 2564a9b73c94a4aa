"""Deterministic checks in grader/checks.py: functions check_*(workspace: Path) that
raise AssertionError (or return False) to fail. Score = fraction passing."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

from .base import GradeResult, RunCommand, from_checks, no_verdict, read_verdict, started_cmd, tool


class ChecksGrader:
    def missing(self, grader_dir: Path) -> str:
        return "" if (grader_dir / "checks.py").is_file() else "checks.py missing for the checks grader"

    async def grade(self, grader_dir: Path, workspace: Path, out_dir: Path, run: RunCommand,
                    timeout_s: float) -> GradeResult:
        out = out_dir / "checks.json"
        # The workspace is the command's working directory (wherever the sandbox shows it); the interpreter pertask's
        # own under bubblewrap, in a container (a document task's image) the image's python3.
        cmd = f"py={shlex.quote(sys.executable)}; [ -x \"$py\" ] || py=python3; \"$py\" " + " ".join(
            shlex.quote(x) for x in ["-I", str(tool(grader_dir, "run_checks.py")), str(grader_dir / "checks.py"), ".",
                                     str(out)])
        res = await run(started_cmd(cmd), timeout_s=timeout_s, binds=[out_dir], env={"PYTHONDONTWRITEBYTECODE": "1"})
        if res.timed_out:
            return GradeResult(0.0, False, [], f"checks timed out after {timeout_s:.0f}s")
        try:
            checks = json.loads(read_verdict(out, out_dir))
            checks = [{"name": str(c["name"]), "passed": c["passed"] is True, "message": str(c.get("message", ""))}
                      for c in checks]
        except (OSError, ValueError, KeyError, TypeError):
            return no_verdict(res.output, "checks")
        return from_checks(checks)

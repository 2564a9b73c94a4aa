"""Terminal-Bench 1 verifiers: run-tests.sh with the tests at /tests ($TEST_DIR); each pytest
result line (-rA) is a check. A run-tests.sh that downloads its tools is replaced by the
offline equivalent, pytest on tests/test_outputs.py, and the result says so."""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

from .base import GradeResult, RunCommand, from_checks, kept, no_verdict, read_output, started_cmd
from .harbor_grader import needs_network

RESULT = re.compile(r"^(PASSED|FAILED|ERROR)\s+(\S+)", re.M)


class TB1Grader:
    def missing(self, grader_dir: Path) -> str:
        ok = (grader_dir / "run-tests.sh").is_file() or (grader_dir / "tests" / "test_outputs.py").is_file()
        return "" if ok else "run-tests.sh missing"

    async def grade(self, grader_dir: Path, workspace: Path, out_dir: Path, run: RunCommand,
                    timeout_s: float) -> GradeResult:
        script = grader_dir / "run-tests.sh"
        downloads = needs_network(script.read_text()) if script.is_file() else ["(no run-tests.sh)"]
        if downloads:
            cmd = f"{shlex.quote(sys.executable)} -m pytest -p no:cacheprovider /tests/test_outputs.py -rA"
            how = f"offline verifier (run-tests.sh needs the network: {', '.join(downloads)})"
        else:
            cmd, how = f"bash {shlex.quote(str(script))}", "run-tests.sh"
        tests = grader_dir / "tests"
        log = out_dir / "logs" / "test-stdout.txt"  # the whole output, read from a file: never the model's truncated view
        log.parent.mkdir(parents=True, exist_ok=True)
        res = await run(started_cmd(f"{{ {cmd}; }} > {shlex.quote(str(log))} 2>&1"), timeout_s=timeout_s, binds=[out_dir],
                        mounts={"/tests": tests} if tests.is_dir() else {},
                        env={"TEST_DIR": "/tests", "PYTHONDONTWRITEBYTECODE": "1"})
        output = read_output(log, out_dir)
        res.output = f"{res.output}\n{output}"
        # pytest names tests relative to its working directory (/app): keep the file and test names only.
        checks = [{"name": name.rsplit("/", 1)[-1], "passed": status == "PASSED", "message": "" if status == "PASSED" else status}
                  for status, name in RESULT.findall(res.output)]
        if res.timed_out and not checks:  # the agent's code hung the tests: its failure
            return GradeResult(0.0, False, [], f"the verifier ({how}) timed out after {timeout_s:.0f}s")
        if not checks:
            return no_verdict(res.output, f"the verifier ({how}) printed no pytest results (run with -rA)")
        result = from_checks(checks, f"{how}\n{output[-2000:]}")
        result.output = kept(output)
        return result

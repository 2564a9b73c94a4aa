"""Runs inside the grading sandbox: python -I run_pytest.py WORKSPACE TESTS OUT.json

The hidden tests import the model's code, so that code runs in this process (as in SWE-bench):
what it does while the tests run is the limit of any grader of code. What it cannot do:
- be imported in place of pytest or the standard library: -I keeps the working directory, PYTHONPATH
  and the user's site off sys.path (no sitecustomize.py, no pytest.py of the workspace), and the
  workspace is appended last, so its modules are importable but shadow nothing installed;
- configure pytest: the tests' folder is the rootdir and the config file is the grader's own (or an
  empty one), so no conftest.py, pytest.ini or pyproject.toml of the workspace is read;
- rewrite the verdict afterwards: results come from this plugin's own hook, the file is written
  here, and the process ends with os._exit, so no atexit hook or leftover thread runs after it.
What it can do while the tests run (force outcomes, replace the collector, write the verdict itself and exit)
is caught outside: the harness knows the tests' ids and mixes canary tests into them (tasks/graders/canaries.py).
"""

import json
import os
import sys
from pathlib import Path


class Collect:
    def __init__(self) -> None:
        self.cases: dict[str, dict] = {}

    def _put(self, nodeid: str, passed: bool, message: str = "", skipped: bool = False) -> None:
        old = self.cases.get(nodeid)
        if old is None or old.get("skipped") or (old["passed"] and not passed):  # a failing teardown fails a passed call
            self.cases[nodeid] = {"name": _name(nodeid), "passed": passed, "message": message[:500]}
            if skipped:
                self.cases[nodeid]["skipped"] = True

    def pytest_runtest_logreport(self, report) -> None:
        if report.skipped:  # skipped and xfail: not a check, as in the JUnit report, but named (the harness counts ids)
            if report.nodeid not in self.cases:
                self._put(report.nodeid, False, "skipped", skipped=True)
            return
        if report.when == "call" or report.failed:
            self._put(report.nodeid, report.passed, "" if report.passed else _message(report))

    def pytest_collectreport(self, report) -> None:
        if report.failed:  # a test file that does not import: its tests cannot pass
            self._put(report.nodeid or "collection", False, _message(report))


def _message(report) -> str:
    crash = getattr(report.longrepr, "reprcrash", None)
    return crash.message if crash is not None else str(report.longrepr)


def _name(nodeid: str) -> str:
    """pkg/test_x.py::Cls::test_y -> pkg.test_x.Cls::test_y (as JUnit XML names a case)."""
    path, *rest = nodeid.split("::")
    module = path[:-3].replace("/", ".") if path.endswith(".py") else path
    return "::".join([".".join([module, *rest[:-1]]), rest[-1]]) if rest else module


def main(workspace: str, tests: str, out: str) -> int:
    sys.path.append(workspace)
    import pytest

    ini = Path(tests) / "pytest.ini"
    config = ini if ini.is_file() else Path(__file__).with_name("empty.ini")
    collect = Collect()
    code = pytest.main(["-q", "-p", "no:cacheprovider", "--rootdir", tests, "-c", str(config), tests],
                       plugins=[collect])
    verdict = json.dumps({"exit": int(code), "cases": list(collect.cases.values())}).encode()
    if os.path.lexists(out):  # written by the code under test while the tests ran: the harness calls it forged
        os.unlink(out)
        verdict = json.dumps({"exit": int(code), "cases": [], "forged": "the verdict existed before pytest returned"}).encode()
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    os.write(fd, verdict)
    os.close(fd)
    return int(code)


if __name__ == "__main__":
    main(*sys.argv[1:4])
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)

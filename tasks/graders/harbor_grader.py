"""Terminal-Bench 2 / Harbor verifiers: tests/test.sh runs with the tests at /tests and writes
/logs/verifier/reward.txt (a number) or reward.json. The script's exit code is ignored and a
missing reward is an error, not a 0.

Most published test.sh files download uv and pytest first. Where the sandbox can give the verifier the package
indexes (a task's container: harness/sandboxes/index_proxy.py) and every host the script fetches from answers
from here, the script runs as written, as Harbor runs it. Otherwise pertask runs it with only its fetching
rewritten (tasks/graders/offline_verifier.py), or, where it fetches more than its tools, pytest on
tests/test_outputs.py (reward 1 if all pass). The reward check's `verifier` says which way it ran.
"""

from __future__ import annotations

import asyncio
import functools
import json
import re
import shlex
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from results.store import cache_root

from .base import GradeResult, RunCommand, kept, no_verdict, read_output, read_verdict, started_cmd
from .offline_verifier import PROBE, OfflinePlan, download_wheels, plan_offline, prologue

DOWNLOADS = re.compile(r"\b(curl|wget)\b|astral\.sh|\buv (pip )?(install|sync|run)\b|\bpip3? install\b|\buvx\b")


URL = re.compile(r"\bhttps?://[^\s'\"|;)<>]+")
PY_INDEX = re.compile(r"\bpip3? install\b|\buvx?\b")
APT_INDEX = re.compile(r"\bapt(-get)? +(-\S+ +)*(install|update)\b")


def needs_network(test_sh: str) -> list[str]:
    return sorted({m.group(0) for m in DOWNLOADS.finditer(test_sh)})


@functools.lru_cache(maxsize=256)
def reachable(host: str, port: int = 443, timeout_s: float = 3.0) -> bool:
    """Whether the host resolves and takes a TCP connection from here (once per process and host)."""
    try:
        socket.create_connection((host, port), timeout_s).close()
        return True
    except OSError:
        return False


def unreachable(test_sh: str) -> tuple[set[str], list[str]]:
    """The hosts the script names, and those of what it fetches that do not answer from here (the script's URLs,
    PyPI for pip and uv, an apt archive for apt-get): where none is missing, it can run as written."""
    named = {u.hostname for u in map(urlsplit, URL.findall(test_sh)) if u.hostname}
    need = [(h, 443 if f"https://{h}" in test_sh else 80) for h in sorted(named)]
    need += [("pypi.org", 443), ("files.pythonhosted.org", 443)] if PY_INDEX.search(test_sh) else []
    missing = [h for h, port in need if not reachable(h, port)]
    if APT_INDEX.search(test_sh) and not any(reachable(h, 80) for h in ("deb.debian.org", "archive.ubuntu.com")):
        missing.append("an apt archive")
    return named, missing


def read_reward(verifier: Path, within: Path | None = None) -> float | None:
    txt, js = verifier / "reward.txt", verifier / "reward.json"
    within = within or verifier
    try:
        if txt.exists() or txt.is_symlink():
            return float(read_verdict(txt, within).strip())
        if js.exists() or js.is_symlink():
            data = json.loads(read_verdict(js, within))
            if isinstance(data, dict):
                value = data.get("reward", next(iter(data.values()), None) if len(data) == 1 else None)
            else:
                value = data
            return float(value)
    except (OSError, ValueError, TypeError, StopIteration):
        return None
    return None


def whole(script: str) -> str:
    """bash on a script read whole before it starts: bash reads a script file as it goes, so the code under test
    (which the script runs) could otherwise append its own reward to the part not yet read. $0 stays the path."""
    return f'bash -c "$(cat {script})" {script}'


class HarborGrader:
    def missing(self, grader_dir: Path) -> str:
        return "" if (grader_dir / "test.sh").is_file() else "tests/test.sh missing"

    async def grade(self, grader_dir: Path, workspace: Path, out_dir: Path, run: RunCommand,
                    timeout_s: float) -> GradeResult:
        verifier = out_dir / "logs" / "verifier"
        verifier.mkdir(parents=True, exist_ok=True)
        test_sh = (grader_dir / "test.sh").read_text()
        downloads = needs_network(test_sh)
        mounts = {"/tests": grader_dir, "/logs": out_dir / "logs"}
        # pertask's interpreter under bubblewrap; in a task's own container, the image's python3.
        base_py = f"PERTASK_BASE_PY={shlex.quote(sys.executable)}; [ -x \"$PERTASK_BASE_PY\" ] || PERTASK_BASE_PY=python3; " \
                  "export PERTASK_BASE_PY; "
        index, missing = None, []
        if downloads and run.index_access:
            named, missing = await asyncio.to_thread(unreachable, test_sh)
            index = None if missing else named
        plan = plan_offline(test_sh) if downloads and index is None else None
        mode = "as-written" if plan is None else "offline-tests" if plan.unhandled else "offline-rewrite"
        if index is not None:
            cmd, how = whole("/tests/test.sh"), "tests/test.sh as written, the package indexes through pertask's proxy"
        elif plan is None:
            cmd, how = whole("/tests/test.sh"), "tests/test.sh"
        elif plan.unhandled:  # fetching more than its tools: the tests alone, as far as they go offline
            cmd = (f"{base_py}\"$PERTASK_BASE_PY\" -m pytest -p no:cacheprovider /tests/test_outputs.py -rA; "
                   "if [ $? -eq 0 ]; then echo 1 > /logs/verifier/reward.txt; else echo 0 > /logs/verifier/reward.txt; fi")
            how = f"offline verifier: pytest on test_outputs.py (test.sh needs the network: {'; '.join(plan.unhandled)})"
        else:
            prepared = await _offline(plan, grader_dir, out_dir, run, base_py)
            if isinstance(prepared, GradeResult):
                return prepared
            mounts |= prepared
            cmd = base_py + whole("/pertask-verifier/test.sh")
            how = (f"tests/test.sh offline: its own steps, its pytest in a local environment with "
                   f"{', '.join(plan.packages)}" + (f"; not installed: apt {' '.join(plan.dropped_apt)}"
                                                    if plan.dropped_apt else ""))
        if missing:
            how += f" (not reachable from here: {', '.join(missing)})"
        # Its whole output to a file, as Harbor keeps it (verifier/test-stdout.txt): never the model's truncated view.
        res = await run(started_cmd(f"{{ {cmd}; }} > /logs/verifier/test-stdout.txt 2>&1"), timeout_s=timeout_s, binds=[],
                        mounts=mounts, env={"PYTHONDONTWRITEBYTECODE": "1"}, index=index)
        output = read_output(verifier / "test-stdout.txt", out_dir)
        res.output = f"{res.output}\n{output}"
        reward = read_reward(verifier, out_dir)
        if reward is None and res.timed_out:  # the agent's code hung the tests: its failure
            return GradeResult(0.0, False, [], f"the verifier ({how}) timed out after {timeout_s:.0f}s")
        if reward is None:
            return no_verdict(res.output, f"the verifier ({how}) wrote no /logs/verifier/reward.txt or reward.json")
        check = {"name": "reward", "passed": reward >= 1.0, "message": f"reward {reward} from {how}", "verifier": mode}
        refused = [ln for ln in res.output.splitlines() if ln.startswith("[pertask's verifier proxy refused")]
        return GradeResult(max(0.0, min(1.0, reward)), reward >= 1.0, [check], "\n".join([*refused, output[-2000:]]),
                           output=kept(output))


async def _offline(plan: OfflinePlan, grader_dir: Path, out_dir: Path, run: RunCommand,
                   base_py: str) -> dict[str, Path] | GradeResult:
    """The rewritten test.sh and the wheels it needs, as folders to copy in; or why there are none."""
    probe = await run(started_cmd(base_py + PROBE), timeout_s=120, binds=[], env={})
    found = re.findall(r"^(\d+\.\d+) (\S+)$", probe.output, re.M)
    if not found:  # after the start line, nothing of the harness's can fail here: the sandbox lost its python3
        return no_verdict(probe.output, "the offline verifier found no python3 in the sandbox")
    for ref in plan.requirement_files:  # the tests' own requirement files, read from the host's copy
        path = grader_dir / ref.removeprefix("/tests/")
        if ref.startswith("/tests/") and path.is_file():
            plan.packages += [ln.split("#")[0].strip() for ln in path.read_text().splitlines()
                              if ln.split("#")[0].strip() and not ln.startswith("-")]
    try:
        wheels = await asyncio.to_thread(download_wheels, plan.packages, *found[-1], cache_root() / "wheels")
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        return GradeResult(0.0, False, [], "", infra_error=f"offline verifier: {exc}")
    staged = out_dir / "offline"
    # A copy per grading, so no code under test can touch the cache another sample installs from.
    await asyncio.to_thread(shutil.copytree, wheels, staged / "wheels", ignore=shutil.ignore_patterns(".complete"))
    (staged / "script").mkdir()
    (staged / "script" / "test.sh").write_text("#!/bin/bash\n" + prologue(plan.packages) + plan.script)
    return {"/pertask-wheels": staged / "wheels", "/pertask-verifier": staged / "script"}

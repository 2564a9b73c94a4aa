"""Terminal-Bench 2 / Harbor verifiers: tests/test.sh runs with the tests at /tests and writes
/logs/verifier/reward.txt (a number) or reward.json. The script's exit code is ignored and a
missing reward is an error, not a 0.

Most published test.sh files download uv and pytest first; with no network, pertask runs the
offline equivalent instead (pytest on tests/test_outputs.py, reward 1 if all pass) and says so.
"""

from __future__ import annotations

import json
import re
import shlex
import sys
from pathlib import Path

from .base import GradeResult, RunCommand, kept, no_verdict, read_output, read_verdict, started_cmd

DOWNLOADS = re.compile(r"\b(curl|wget)\b|astral\.sh|\buv (pip )?(install|sync|run)\b|\bpip3? install\b|\buvx\b")


def needs_network(test_sh: str) -> list[str]:
    return sorted({m.group(0) for m in DOWNLOADS.finditer(test_sh)})


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


class HarborGrader:
    def missing(self, grader_dir: Path) -> str:
        return "" if (grader_dir / "test.sh").is_file() else "tests/test.sh missing"

    async def grade(self, grader_dir: Path, workspace: Path, out_dir: Path, run: RunCommand,
                    timeout_s: float) -> GradeResult:
        verifier = out_dir / "logs" / "verifier"
        verifier.mkdir(parents=True, exist_ok=True)
        downloads = needs_network((grader_dir / "test.sh").read_text())
        if downloads:
            # pertask's interpreter under bubblewrap; in a task's own container, the image's python3.
            py = shlex.quote(sys.executable)
            cmd = (f"PY={py}; [ -x \"$PY\" ] || PY=python3; \"$PY\" -m pytest -p no:cacheprovider /tests/test_outputs.py -rA; "
                   "if [ $? -eq 0 ]; then echo 1 > /logs/verifier/reward.txt; else echo 0 > /logs/verifier/reward.txt; fi")
            how = f"offline verifier (test.sh needs the network: {', '.join(downloads)})"
        else:
            cmd, how = "bash /tests/test.sh", "tests/test.sh"
        # Its whole output to a file, as Harbor keeps it (verifier/test-stdout.txt): never the model's truncated view.
        res = await run(started_cmd(f"{{ {cmd}; }} > /logs/verifier/test-stdout.txt 2>&1"), timeout_s=timeout_s, binds=[],
                        mounts={"/tests": grader_dir, "/logs": out_dir / "logs"}, env={"PYTHONDONTWRITEBYTECODE": "1"})
        output = read_output(verifier / "test-stdout.txt", out_dir)
        res.output = f"{res.output}\n{output}"
        reward = read_reward(verifier, out_dir)
        if reward is None and res.timed_out:  # the agent's code hung the tests: its failure
            return GradeResult(0.0, False, [], f"the verifier ({how}) timed out after {timeout_s:.0f}s")
        if reward is None:
            return no_verdict(res.output, f"the verifier ({how}) wrote no /logs/verifier/reward.txt or reward.json")
        check = {"name": "reward", "passed": reward >= 1.0, "message": f"reward {reward} from {how}"}
        return GradeResult(max(0.0, min(1.0, reward)), reward >= 1.0, [check], output[-2000:], output=kept(output))

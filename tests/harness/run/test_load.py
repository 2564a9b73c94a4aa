"""Load: 1,000 samples against the scripted server at concurrency 64, through the real CLI, sandbox
and grader: every sample is recorded exactly once, and the harness's memory stays flat."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from tasks.authoring.synthetic import write_suite
from tests.conftest import PERTASK, ROOT, SUBMIT, subprocess_env


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def test_thousand_samples_at_concurrency_64(tmp_path, write_script):
    suite = write_suite(tmp_path / "suite")
    script = write_script({"model": "load", "default": [
        dict(SUBMIT, usage={"prompt_tokens": 500, "completion_tokens": 5})]})
    out = tmp_path / "run"
    cmd = [*PERTASK, "run", "--suite", str(suite), "--model", f"scripted:{script}", "--epochs", "100",
           "--concurrency", "64", "--out", str(out)]
    log = (tmp_path / "stderr.txt").open("w")  # a file, not a pipe: 1,000 progress lines would fill a pipe
    proc = subprocess.Popen(cmd, cwd=ROOT, env=subprocess_env(), stdout=subprocess.DEVNULL, stderr=log)
    samples, marks = out / "samples.jsonl", {}
    while proc.poll() is None:
        done = len(samples.read_text().splitlines()) if samples.exists() else 0
        for mark in (200, 900):
            if done >= mark and mark not in marks:
                marks[mark] = rss_mb(proc.pid)
        time.sleep(0.2)
    log.close()
    assert proc.returncode == 0, (tmp_path / "stderr.txt").read_text()[-2000:]
    lines = samples.read_text().splitlines()
    ids = [json.loads(x)["sample_id"] for x in lines]
    assert len(ids) == len(set(ids)) == 1000, "every sample recorded exactly once"
    assert all(json.loads(x)["error"] == "none" for x in lines)
    print(f"\nharness RSS: {marks.get(200, 0):.0f} MB after 200 samples, {marks.get(900, 0):.0f} MB after 900",
          file=sys.stderr)
    assert 200 in marks and 900 in marks
    assert marks[900] < marks[200] * 1.3 + 20, f"memory grows with the run: {marks}"

"""Terminal-Bench 2-format coverage: the Harbor-format task folders of examples/tb2-format (RUN apt-get
and pip, COPY outside WORKDIR, ENV, a background service the verifier needs, reward.json, a test.sh
with extra `-w` packages and copies, the published uv boilerplate) run with the oracle and the null
model through the CLI, as a new user would. Prints, per task, where it ran (its own image, or
bubblewrap standing in for a WORKDIR/COPY-only image), whether its image was built in this run, and
both scores; then the totals.

    .venv/bin/python benchmarks/tb2_coverage.py

No registry is reachable on these machines: python:3.11-slim and python:3.13-slim are substituted
with the locally built Debian base (recorded in the run's manifest).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from harness.sandboxes.images import BASE_IMAGE  # noqa: E402

SUITE = ROOT / "examples" / "tb2-format"


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "run"
        argv = [sys.executable, "-m", "harness.cli", "run", "--suite", str(SUITE), "--model", "oracle",
                "--model", "null", "--out", str(out), "--json",
                "--substitute-image", f"python:3.11-slim={BASE_IMAGE}", "--substitute-image", f"python:3.13-slim={BASE_IMAGE}"]
        proc = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT)
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            return proc.returncode
        manifest = json.loads((out / "manifest.json").read_text())
        samples = [json.loads(line) for line in (out / "samples.jsonl").read_text().splitlines() if line.strip()]
    score = {(s["model"], s["task_id"]): s["score"] for s in samples}
    built = [line.split("built ")[-1].split(":")[0].rsplit("/", 1)[-1] for line in proc.stderr.splitlines()
             if ": built localhost/pertask-task/" in line]
    tasks = sorted({s["task_id"] for s in samples})
    print(f"{'task':<14} {'sandbox':<10} {'built now':<10} {'oracle':>6} {'null':>6}")
    for t in tasks:
        where = "container" if t in manifest["images"] else manifest["sandbox"]
        print(f"{t:<14} {where:<10} {'yes' if t in built else '-':<10} {score[('oracle', t)]:>6} {score[('null', t)]:>6}")
    n = len(list(p for p in SUITE.iterdir() if p.is_dir()))
    ok = sum(score[("oracle", t)] == 1.0 for t in tasks)
    fails = sum(score[("null", t)] == 0.0 for t in tasks)
    print(f"{n} task folders: {len(tasks)} run ({len(manifest['images'])} in their own image, "
          f"{len(tasks) - len(manifest['images'])} with bubblewrap standing in); oracle 1.0 on {ok}/{len(tasks)}, "
          f"null 0.0 on {fails}/{len(tasks)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

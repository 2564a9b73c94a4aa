"""Figure 7: scale. N scripted samples (default 10,000) at concurrency C (default 256) through the real
CLI, sandbox and a checks grader: wall time, the harness's peak memory, and samples.jsonl bytes per sample.

    .venv/bin/python benchmarks/scale.py [--samples 10000] [--concurrency 256]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tasks.authoring.synthetic import write_suite  # noqa: E402


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", type=int, default=10_000)
    ap.add_argument("--concurrency", type=int, default=256)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        suite = write_suite(tmp / "suite")
        script = tmp / "script.json"
        script.write_text(json.dumps({"model": "scale", "default": [
            {"tool_calls": [{"name": "submit", "arguments": {}}], "usage": {"prompt_tokens": 500, "completion_tokens": 5}}]}))
        out = tmp / "run"
        cmd = [sys.executable, "-m", "harness.cli", "run", "--suite", str(suite), "--model", f"scripted:{script}",
               "--epochs", str(a.samples // 10), "--concurrency", str(a.concurrency), "--max-connections",
               str(a.concurrency), "--out", str(out)]
        t0 = time.perf_counter()
        with open(tmp / "stderr.txt", "w") as log:
            proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log)
            peak = 0.0
            while proc.poll() is None:
                try:
                    peak = max(peak, peak_rss_mb(proc.pid))
                except OSError:
                    break
                time.sleep(0.5)
        wall = time.perf_counter() - t0
        if proc.returncode != 0:
            raise SystemExit((tmp / "stderr.txt").read_text()[-2000:])
        lines = (out / "samples.jsonl").read_text().splitlines()
        size = (out / "samples.jsonl").stat().st_size
    print(f"samples: {len(lines)} (unique {len({json.loads(x)['sample_id'] for x in lines})}) at concurrency "
          f"{a.concurrency}")
    print(f"wall time: {wall:.1f} s ({len(lines) / wall:.1f} samples/s)")
    print(f"harness peak RSS: {peak:.0f} MB")
    print(f"samples.jsonl: {size / len(lines):.0f} bytes per sample")


if __name__ == "__main__":
    main()

"""The Ray executor's cost and scaling (issue 18's figures), on a real local Ray cluster (`ray start`).

The tasks are N generated Harbor-format folders whose verifier is one line (`echo 1 > reward.txt`), so what is
measured is the executor and the model's latency, not a test suite's CPU on this 2-core machine.

1. Overhead per sample: the N tasks, a zero-latency scripted model (3 calls a sample),
   through the local executor and through Ray (a head and a worker node, 1 CPU each), at a concurrency of 2.
   Printed: each run's span (first sample started to last finished, from the records) and what Ray adds per
   sample: (span_ray - span_local) * concurrency / N.
2. Scaling: latency-bound samples (2 calls of DELAY_S each, then submit), 2 CPUs a node, with 1 node and with
   2 nodes, `--concurrency` 4 (so the nodes' CPUs, not the flag, bound each run). Printed: samples/s each and
   their ratio (goal >= 1.8x with 2).

    .venv/bin/python benchmarks/ray_executor.py [N] [DELAY_S]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RAY = str(Path(sys.executable).with_name("ray"))
ENV = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0", "RAY_AUTH_MODE": "disabled"}
PORT = 6392


def suite(n: int, root: Path) -> list[str]:
    for i in range(n):
        task = root / f"t{i:02d}"
        (task / "tests").mkdir(parents=True)
        (task / "environment").mkdir()
        (task / "solution").mkdir()
        (task / "solution" / "solve.sh").write_text("true\n")
        (task / "instruction.md").write_text(f"Task number {i:02d}: say done.\n")
        (task / "task.toml").write_text('version = "1.0"\n[verifier]\ntimeout_sec = 60\n[agent]\ntimeout_sec = 300\n')
        (task / "environment" / "Dockerfile").write_text("FROM python:3.11-slim\nWORKDIR /app\n")
        (task / "tests" / "test.sh").write_text("echo 1 > /logs/verifier/reward.txt\n")
    return [f"Task number {i:02d}:" for i in range(n)]


def script(matches: list[str], delay: float, path: Path) -> Path:
    bash = {"name": "bash", "arguments": {"command": "ls"}}
    turns = [{"tool_calls": [bash], "delay_s": delay, "usage": {"prompt_tokens": 500, "completion_tokens": 20}}] * 2 \
        + [{"tool_calls": [{"name": "submit", "arguments": {}}], "usage": {"prompt_tokens": 600, "completion_tokens": 5}}]
    path.write_text(json.dumps({"model": "m", "conversations": [{"match": m, "turns": turns} for m in matches]}))
    return path


def cluster(nodes: int, cpus: int) -> str:
    subprocess.run([RAY, "stop", "--force"], capture_output=True, env=ENV)
    subprocess.run([RAY, "start", "--head", "--port", str(PORT), "--num-cpus", str(cpus), "--include-dashboard=false",
                    "--disable-usage-stats"], check=True, capture_output=True, env=ENV)
    for _ in range(nodes - 1):
        subprocess.run([RAY, "start", "--address", f"127.0.0.1:{PORT}", "--num-cpus", str(cpus)], check=True,
                       capture_output=True, env=ENV)
    return f"127.0.0.1:{PORT}"


def run(tasks: Path, model: Path, out: Path, concurrency: int, extra: list[str]) -> tuple[float, int]:
    cmd = [sys.executable, "-m", "harness.cli", "run", "--suite", str(tasks), "--model", f"scripted:{model}", "--concurrency", str(concurrency), "--no-preflight", "--out", str(out), *extra]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=ENV)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-2000:])
    recs = [json.loads(x) for x in (out / "samples.jsonl").read_text().splitlines()]
    t = lambda s: datetime.fromisoformat(s).timestamp()  # noqa: E731
    return max(t(r["finished_at"]) for r in recs) - min(t(r["started_at"]) for r in recs), len(recs)


def main(n: int, delay: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        tasks = tmp / "tasks"
        matches = suite(n, tasks)
        fast, slow = script(matches, 0.0, tmp / "fast.json"), script(matches, delay, tmp / "slow.json")
        try:
            local, k = run(tasks, fast, tmp / "local", 2, [])
            addr = cluster(2, 1)
            remote, _ = run(tasks, fast, tmp / "ray", 2, ["--executor", "ray", "--ray-address", addr])
            print(f"overhead: {k} samples at concurrency 2: local {local:.2f} s, ray {remote:.2f} s; "
                  f"Ray adds {(remote - local) * 2 / k * 1000:.0f} ms per sample")
            rates = {}
            for nodes in (1, 2):
                addr = cluster(nodes, 2)
                span, k = run(tasks, slow, tmp / f"scale{nodes}", 4, ["--executor", "ray", "--ray-address", addr])
                rates[nodes] = k / span
                print(f"scaling: {nodes} node(s) of 2 CPUs, {k} samples of 2 x {delay:g} s calls: {span:.1f} s, "
                      f"{rates[nodes]:.3f} samples/s")
            print(f"2 nodes / 1 node: {rates[2] / rates[1]:.2f}x samples/s")
        finally:
            subprocess.run([RAY, "stop", "--force"], capture_output=True, env=ENV)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 16, float(sys.argv[2]) if len(sys.argv) > 2 else 2.0)

"""The replica balancer (providers/balance.py): two scripted servers as two replicas of one model, the coding
suite (24 tasks) at a concurrency of 8, three calls a sample with a fixed delay. Issue 18's figure.

Printed, from the servers' own request logs (not the harness's bookkeeping): requests and samples per
replica, and cache affinity — for each sample, the share of its calls that reached the replica its first
call reached (goal: 100% while the replica lives).

    .venv/bin/python benchmarks/replicas.py [DELAY_S]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(delay: float) -> None:
    from providers.script_file import Script
    from providers.scripted import ScriptedServer

    tasks = sorted(p.parent.name for p in (ROOT / "tasks" / "suites" / "coding").glob("*/instruction.md"))
    matches = [(ROOT / "tasks" / "suites" / "coding" / t / "instruction.md").read_text()[:80] for t in tasks]
    assert len(set(matches)) == len(matches), "each task's instruction must open differently"
    bash = {"name": "bash", "arguments": {"command": "ls"}}
    turns = [{"tool_calls": [bash], "delay_s": delay}] * 2 + [{"tool_calls": [{"name": "submit", "arguments": {}}]}]
    script = Script.model_validate({"model": "m", "conversations": [{"match": m, "turns": turns} for m in matches]})
    servers = [ScriptedServer(script), ScriptedServer(script)]
    urls = [s.start() for s in servers]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            cmd = [sys.executable, "-m", "harness.cli", "run", "--suite", "coding", "--model",
                   f"vllm:m@{','.join(urls)}#preset=generic,protocol=tools", "--concurrency", "8", "--no-preflight",
                   "--out", str(Path(tmp) / "run")]
            proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
            if proc.returncode != 0:
                raise SystemExit(proc.stderr[-2000:])
            samples = [json.loads(x) for x in (Path(tmp) / "run" / "samples.jsonl").read_text().splitlines()]
    finally:
        for s in servers:
            s.stop()
    calls: dict[str, list[tuple[float, int]]] = {}  # task -> (time, replica) of each request, as the servers saw it
    for i, s in enumerate(servers):
        for r in s.requests:
            calls.setdefault(tasks[r["conversation"]], []).append((r["t"], i))
    print(f"samples: {len(samples)}, errors: {sum(s['error'] != 'none' for s in samples)}")
    for i, s in enumerate(servers):
        served = {t for t, cs in calls.items() if any(rep == i for _, rep in cs)}
        print(f"replica {i}: {len(s.requests)} requests, {len(served)} samples")
    shares = []
    for cs in calls.values():
        first = min(cs)[1]
        shares.append(sum(rep == first for _, rep in cs) / len(cs))
    print(f"cache affinity (share of a sample's calls on its first replica): min {min(shares):.0%}, "
          f"mean {sum(shares) / len(shares):.0%} over {len(shares)} samples")


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 0.05)

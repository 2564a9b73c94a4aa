"""Figure 1: harness overhead per model turn.

The agent loop against a zero-latency scripted server on loopback (its own process, so its CPU is
not counted): each sample makes TURNS read_file calls and then submits. Printed: turns/s and the
harness's CPU milliseconds per turn at concurrency 1, 16 and 64: the harness process (the openai
SDK's HTTP client and JSON included) and, apart, the samples' sandbox sessions that serve the
file tool (bubblewrap and its server, counted once each has exited).

    .venv/bin/python benchmarks/harness_overhead.py [--turns 20] [--samples-per-worker 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from harness.agent import run_agent  # noqa: E402
from harness.sandbox import Sandbox  # noqa: E402
from providers.base import Sampling  # noqa: E402
from providers.openai_client import OpenAIModel  # noqa: E402
from results.records import ModelInfo  # noqa: E402
from tasks.model import Limits  # noqa: E402


def start_server(turns: int, tmp: Path, call: dict | None = None, submit: dict | None = None,
                 name: str = "script.json") -> tuple[subprocess.Popen, str]:
    call = call or {"name": "read_file", "arguments": {"path": "notes.txt"}}
    submit = submit or {"name": "submit", "arguments": {}}
    script = {"model": "bench", "default": [
        *({"tool_calls": [call], "usage": {"prompt_tokens": 1000 + 50 * i, "completion_tokens": 20}}
          for i in range(turns)),
        {"tool_calls": [submit], "usage": {"prompt_tokens": 2000, "completion_tokens": 5}}]}
    path = tmp / name
    path.write_text(json.dumps(script))
    proc = subprocess.Popen([sys.executable, "-m", "providers.scripted", str(path)], stdout=subprocess.PIPE,
                            text=True, cwd=ROOT)
    return proc, proc.stdout.readline().strip()


async def measure(url: str, concurrency: int, samples: int, tmp: Path) -> dict:
    src = tmp / "src"
    src.mkdir(exist_ok=True)
    (src / "notes.txt").write_text("some notes\n" * 20)
    model = OpenAIModel(ModelInfo(spec="bench", kind="openai-compatible", model_name="bench", base_url=url),
                        api_key="x", max_connections=concurrency)
    boxes = []
    for i in range(samples):
        sb = Sandbox(tmp / f"c{concurrency}-{i}", hidden=[], use_bwrap=True)
        sb.prepare(src)
        boxes.append(sb)
    sem = asyncio.Semaphore(concurrency)
    limits = Limits(max_turns=1000)

    async def one(sb):
        async with sem:
            try:
                return await run_agent(model, "Read notes.txt, then submit.", sb, limits=limits, sampling=Sampling())
            finally:
                await sb.close()  # as the runner does; its sandbox session's CPU is then counted below

    cpu0, kids0, t0 = time.process_time(), children_cpu(), time.perf_counter()
    results = await asyncio.gather(*(one(sb) for sb in boxes))
    wall, cpu, kids = time.perf_counter() - t0, time.process_time() - cpu0, children_cpu() - kids0
    await model.aclose()
    turns = sum(r.turns for r in results)
    assert all(r.submitted for r in results), "every sample must finish"
    return {"concurrency": concurrency, "samples": samples, "turns": turns, "wall_s": round(wall, 3),
            "turns_per_s": round(turns / wall, 1), "cpu_ms_per_turn": round(1000 * cpu / turns, 3),
            "sandbox_cpu_ms_per_turn": round(1000 * kids / turns, 3)}


def children_cpu() -> float:
    """CPU of finished child processes: the samples' sandbox sessions (bubblewrap and its server)."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--turns", type=int, default=20)
    ap.add_argument("--samples-per-worker", type=int, default=3)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        server, url = start_server(a.turns, tmp)
        try:
            rows = [asyncio.run(measure(url, c, max(4, c * a.samples_per_worker), tmp)) for c in (1, 16, 64)]
        finally:
            server.kill()
    print(f"{'concurrency':>11} {'samples':>7} {'turns':>6} {'wall s':>7} {'turns/s':>8} {'CPU ms/turn':>11} "
          f"{'+ sandbox':>9}")
    for r in rows:
        print(f"{r['concurrency']:>11} {r['samples']:>7} {r['turns']:>6} {r['wall_s']:>7} {r['turns_per_s']:>8} "
              f"{r['cpu_ms_per_turn']:>11} {r['sandbox_cpu_ms_per_turn']:>9}")
    print(json.dumps(rows))


if __name__ == "__main__":
    main()

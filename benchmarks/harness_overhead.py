"""Figure 1: harness overhead per model turn.

The agent loop against a zero-latency scripted server on loopback (its own process, so its CPU is
not counted): each sample makes TURNS read_file calls and then submits. Printed: turns/s and the
harness's CPU milliseconds per turn at concurrency 1, 16 and 64, for each of the client's transports
(`direct`, the default, and the openai SDK): the harness process (HTTP client and JSON included) and,
apart, the samples' sandbox sessions that serve the file tool (bubblewrap and its server, counted once
each has exited).

    .venv/bin/python benchmarks/harness_overhead.py [--turns 20] [--samples-per-worker 3] [--profile]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from harness.agents.builtin import run_agent  # noqa: E402
from harness.run.plan import RunContext  # noqa: E402
from harness.run.sample import ledger  # noqa: E402
from harness.sandboxes.bwrap import BwrapSandbox  # noqa: E402
from providers.base import Sampling  # noqa: E402
from providers.client import HTTPModel  # noqa: E402
from providers.http import TRANSPORTS  # noqa: E402
from results.records import ModelInfo  # noqa: E402
from results.store import RunStore  # noqa: E402
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


async def agents(url: str, concurrency: int, samples: int, tmp: Path, instruction: str,
                 client: str = "direct") -> tuple[list, float]:
    """`samples` agent loops, `concurrency` at a time, each in its own sandbox over tmp/src, closed after
    its loop as the runner does (so that its session's CPU is counted as a finished child's)."""
    model = HTTPModel(ModelInfo(spec="bench", kind="openai-compatible", model_name="bench", base_url=url),
                        api_key="x", max_connections=concurrency, client=client)
    boxes = []
    for i in range(samples):
        sb = BwrapSandbox(tmp / f"c{concurrency}-{i}", hidden=[])
        sb.prepare(tmp / "src")
        boxes.append(sb)
    sem = asyncio.Semaphore(concurrency)
    store = RunStore(tmp / f"store-c{concurrency}")  # each call goes to the call ledger, as in a run
    store.create()
    ctx = RunContext(store, tmp, [], "bench")

    async def one(sb):
        async with sem:
            try:
                return await run_agent(model, instruction, sb, limits=Limits(max_turns=1000), sampling=Sampling(),
                                       on_call=ledger(store, f"bench|{sb.root.name}|1", ctx))
            finally:
                await sb.close()

    t0 = time.perf_counter()
    results = await asyncio.gather(*(one(sb) for sb in boxes))
    wall = time.perf_counter() - t0
    await model.aclose()
    assert all(r.submitted for r in results), "every sample must finish"
    return results, wall


async def measure(url: str, concurrency: int, samples: int, tmp: Path, client: str = "direct") -> dict:
    tmp = tmp / f"{client}-c{concurrency}"
    src = tmp / "src"
    src.mkdir(parents=True)
    (src / "notes.txt").write_text("some notes\n" * 20)
    cpu0, kids0 = time.process_time(), children_cpu()
    results, wall = await agents(url, concurrency, samples, tmp, "Read notes.txt, then submit.", client)
    cpu, kids = time.process_time() - cpu0, children_cpu() - kids0
    turns = sum(r.turns for r in results)
    return {"client": client, "concurrency": concurrency, "samples": samples, "turns": turns, "wall_s": round(wall, 3),
            "turns_per_s": round(turns / wall, 1), "cpu_ms_per_turn": round(1000 * cpu / turns, 3),
            "sandbox_cpu_ms_per_turn": round(1000 * kids / turns, 3)}


def profile(url: str, tmp: Path) -> None:
    """Where the harness's time goes at concurrency 16 (default client), as shares of the agent loops'
    time (cProfile slows every function alike, roughly): the model call (HTTP client, JSON, retries),
    the file tool's round trip to the sandbox session (starting it included), and the rest (pertask's
    loop and bookkeeping)."""
    prof = cProfile.Profile()
    prof.enable()
    asyncio.run(measure(url, 16, 48, tmp))
    prof.disable()
    total = {"loop": 0.0, "call": 0.0, "sandbox": 0.0}
    for (file, _, func), (_, _, _, cum, _) in pstats.Stats(prof).stats.items():
        if func == "run_agent" and file.endswith("harness/agents/builtin.py"):
            total["loop"] += cum
        elif func == "generate" and file.endswith("providers/client.py"):
            total["call"] += cum
        elif func == "execute" and file.endswith("harness/agents/tools.py"):
            total["sandbox"] += cum
    loop = total["loop"]
    print(f"profile, concurrency 16: model call (HTTP client, JSON) {100 * total['call'] / loop:.0f}%, file tool via "
          f"the sandbox session {100 * total['sandbox'] / loop:.0f}%, pertask's own loop and bookkeeping "
          f"{100 * (loop - total['call'] - total['sandbox']) / loop:.0f}%")


def children_cpu() -> float:
    """CPU of finished child processes: the samples' sandbox sessions (bubblewrap and its server)."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--turns", type=int, default=20)
    ap.add_argument("--samples-per-worker", type=int, default=3)
    ap.add_argument("--profile", action="store_true", help="also say where the time goes (a profiled run)")
    ap.add_argument("--clients", nargs="+", choices=TRANSPORTS, default=list(TRANSPORTS),
                    help="the client's transports to measure, each in the same run (default: all)")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        server, url = start_server(a.turns, tmp)
        try:
            rows = []
            for client in a.clients:
                asyncio.run(measure(url, 1, 1, tmp / "warm-up", client))  # imports and first connections: once a run
                rows += [asyncio.run(measure(url, c, max(4, c * a.samples_per_worker), tmp, client)) for c in (1, 16, 64)]
            if a.profile:
                profile(url, tmp / "profiled")
        finally:
            server.kill()
    print(f"{'client':>7} {'concurrency':>11} {'samples':>7} {'turns':>6} {'wall s':>7} {'turns/s':>8} {'CPU ms/turn':>11} "
          f"{'+ sandbox':>9}")
    for r in rows:
        print(f"{r['client']:>7} {r['concurrency']:>11} {r['samples']:>7} {r['turns']:>6} {r['wall_s']:>7} {r['turns_per_s']:>8} "
              f"{r['cpu_ms_per_turn']:>11} {r['sandbox_cpu_ms_per_turn']:>9}")
    print(json.dumps(rows))


if __name__ == "__main__":
    main()

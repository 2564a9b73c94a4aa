"""Figure 19: an agent that lasts. One sample of 500 turns through the built-in agent against a scripted model on
loopback (its own process) whose window is 16,000 tokens (`#context=` and the fake's own limit): each turn runs a
command that prints ~1,200 characters, so the conversation outgrows the window every few dozen turns and is compacted
(the older turns summarised by the same model). Printed: the compactions, the prompt the model was sent at the first
and the last turns, and the harness's own CPU per turn (its process: HTTP client, JSON, the loop, compaction) over
turns 1-50 and 451-500, and their ratio (goal: within 2x).

    .venv/bin/python benchmarks/long_run.py [--turns 500] [--context 16000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from harness.agents.builtin import run_agent  # noqa: E402
from harness.sandboxes.bwrap import BwrapSandbox  # noqa: E402
from providers.base import Sampling  # noqa: E402
from providers.client import HTTPModel  # noqa: E402
from results.records import ModelInfo  # noqa: E402
from tasks.model import Limits  # noqa: E402


def server(tmp: Path, turns: int, context: int) -> tuple[subprocess.Popen, str]:
    bash = [{"tool_calls": [{"name": "bash", "arguments": {"command": f"python3 -c \"print('{i}' + 'x' * 1200)\""}}]}
            for i in range(turns)]
    script = {"model": "long", "context": context, "conversations": [
        {"match": "to be replaced by your notes", "turns": [{"content": "NOTES: printed a block of x each turn."}]}],
        "default": [*bash, {"tool_calls": [{"name": "submit", "arguments": {}}]}]}
    path = tmp / "long.json"
    path.write_text(json.dumps(script))
    proc = subprocess.Popen([sys.executable, "-m", "providers.scripted", str(path)], stdout=subprocess.PIPE, text=True,
                            cwd=ROOT)
    return proc, proc.stdout.readline().strip()


async def one(url: str, tmp: Path, turns: int, context: int) -> tuple[list[float], list[dict], object]:
    model = HTTPModel(ModelInfo(spec="long", kind="openai-compatible", model_name="long", base_url=url, context=context),
                      api_key="x")
    sb = BwrapSandbox(tmp / "box", hidden=[])
    (tmp / "src").mkdir()
    sb.prepare(tmp / "src")
    stamps: list[float] = []
    calls: list[dict] = []

    def on_call(call: dict) -> None:  # the harness's CPU when each answer is in
        stamps.append(time.process_time())
        calls.append(call)

    try:
        stamps.append(time.process_time())
        res = await run_agent(model, "Print blocks of x until told to stop, then submit.", sb,
                              limits=Limits(max_turns=turns + 10, max_tokens=10**9, timeout_s=7200), sampling=Sampling(),
                              on_call=on_call)
    finally:
        await sb.close()
        await model.aclose()
    return stamps, calls, res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--turns", type=int, default=500)
    ap.add_argument("--context", type=int, default=16_000)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        proc, url = server(tmp, a.turns, a.context)
        try:
            t0 = time.perf_counter()
            stamps, calls, res = asyncio.run(one(url, tmp, a.turns, a.context))
            wall = time.perf_counter() - t0
        finally:
            proc.terminate()
    cpu = [1000 * (b - s) for s, b in zip(stamps, stamps[1:], strict=False)]  # per call: its turn's tools, then the call itself
    turn_cpu = [c for c, call in zip(cpu, calls, strict=True) if not call.get("compaction")]
    prompts = [c["usage"]["input_uncached"] + c["usage"]["input_cached"] + c["usage"]["cache_write"]
               for c in calls if not c.get("compaction")]
    head, tail = statistics.median(turn_cpu[:50]), statistics.median(turn_cpu[-50:])
    print(f"{res.turns} turns ({res.error.value if res.error.value != 'none' else 'submitted'}) in {wall:.0f} s; "
          f"{len(res.compactions)} compactions ({sum(1 for c in calls if c.get('compaction'))} summary calls), the "
          f"first after turn {res.compactions[0].turn if res.compactions else '-'}")
    print(f"prompt sent: {prompts[0]:,} tokens at turn 1, {max(prompts):,} at most, {prompts[-1]:,} at the last turn "
          f"(window {a.context:,})")
    print(f"harness CPU per turn (median): turns 1-50 {head:.2f} ms, last 50 {tail:.2f} ms: {tail / head:.2f}x")


if __name__ == "__main__":
    main()

"""How long a model's server waits between one sample's agent stopping and the next one starting.

Against a scripted server that answers each call after DELAY seconds (a stand-in for a model's
latency), the real CLI runs 32 samples of 6 turns at concurrency 8 (text protocol, the shape of
benchmarks/vllm_serving.py). The runner's steps are timed from inside the process. Printed:
calls in flight over the run (8 is the most), and per sample the gaps that leave a slot empty —
before its first call, between its calls, after its last call, and from its slot coming free to
the next sample starting. Optional CPU hogs stand in for a server that keeps every core busy.

    .venv/bin/python benchmarks/slot_handoff.py [--delay 0.15] [--hogs 2]
"""

from __future__ import annotations

import argparse
import contextvars
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import harness.run.executors as executors  # noqa: E402
import providers.client as client  # noqa: E402
from harness.cli import main as pertask  # noqa: E402
from harness.run.budget import Slot  # noqa: E402
from tasks.authoring.synthetic import write_suite  # noqa: E402

SAMPLES, TURNS, CONCURRENCY = 32, 6, 8
current: contextvars.ContextVar[dict | None] = contextvars.ContextVar("sample", default=None)
timeline: dict[str, dict] = {}


def instrument() -> None:
    """Wrap the runner's steps with timers; what they do is unchanged."""
    run_sample, generate, give_back = executors.run_sample, client.HTTPModel.generate, Slot.give_back

    async def timed_sample(model, task, *a, **k):
        t = timeline.setdefault(task.id, {"calls": []})
        current.set(t)
        t["start"] = time.perf_counter()
        return await run_sample(model, task, *a, **k)

    async def timed_generate(self, request):
        t0 = time.perf_counter()
        try:
            return await generate(self, request)
        finally:
            current.get()["calls"].append((t0, time.perf_counter()))

    def timed_give_back(self, *a):
        t = current.get()
        if t is not None and "free" not in t:
            t["free"] = time.perf_counter()
        return give_back(self, *a)

    executors.run_sample, client.HTTPModel.generate, Slot.give_back = timed_sample, timed_generate, timed_give_back


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--delay", type=float, default=0.15, help="seconds the server takes per call")
    ap.add_argument("--hogs", type=int, default=0, help="busy processes beside the run (a server on every core)")
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    suite = write_suite(tmp / "suite", SAMPLES, instruction="Do the thing.", check="assert (ws / 'x').is_file()")
    script = tmp / "script.json"
    script.write_text(json.dumps({"model": "m", "protocol": "text",
                                  "default": [{"content": "words, no command", "delay_s": a.delay}] * TURNS}))
    server = subprocess.Popen([sys.executable, "-m", "providers.scripted", str(script)], stdout=subprocess.PIPE,
                              text=True, cwd=ROOT)
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(a.hogs)]
    instrument()
    try:
        url = server.stdout.readline().strip()
        pertask(["run", "--suite", str(suite), "--model", f"openai-compatible:m@{url}", "--protocol", "text",
                 "--concurrency", str(CONCURRENCY), "--max-turns", str(TURNS), "--out", str(tmp / "run")])
    finally:
        for p in (*hogs, server):
            p.kill()
    ts = list(timeline.values())
    window = max(t["free"] for t in ts) - min(t["start"] for t in ts)
    busy = sum(end - start for t in ts for start, end in t["calls"])
    starts = sorted(t["start"] for t in ts)
    handoff = [min(s for s in starts if s >= t["free"]) - t["free"] for t in ts if any(s >= t["free"] for s in starts)]
    ms = lambda xs: f"{1000 * statistics.mean(xs):.2f} ms"  # noqa: E731
    print(f"{SAMPLES} samples x {TURNS} calls of {a.delay} s at concurrency {CONCURRENCY}, {a.hogs} CPU hogs")
    print(f"calls in flight: {busy / window:.2f} of {CONCURRENCY}")
    print(f"per sample: before its first call {ms([t['calls'][0][0] - t['start'] for t in ts])}, between calls "
          f"{ms([c[0] - b[1] for t in ts for b, c in zip(t['calls'], t['calls'][1:], strict=False)])}, after its last call to the "
          f"slot coming free {ms([t['free'] - t['calls'][-1][1] for t in ts])}, slot free -> next sample "
          f"{ms(handoff)}")


if __name__ == "__main__":
    main()

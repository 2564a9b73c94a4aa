"""Figure 2: the same agent shape through Inspect AI and through pertask, against the same kind of
zero-latency scripted server: a system prompt, a bash tool, N bash calls (`true`) and a submit.
Printed: turns/s of each and the ratio. Inspect stays out of pertask's dependencies: it runs in
its own virtualenv, given with --inspect-python:

    python3 -m venv /tmp/inspect-venv && /tmp/inspect-venv/bin/pip install inspect-ai openai
    .venv/bin/python benchmarks/vs_inspect.py --inspect-python /tmp/inspect-venv/bin/python

Inspect runs its bash tool in its "local" sandbox (a plain subprocess); pertask runs each command
in bubblewrap, its real configuration. Inspect's wall time includes its eval set-up and log writing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness_overhead import ROOT, agents, start_server  # noqa: E402

sys.path.insert(0, str(ROOT))

INSPECT = '''
import sys, time
from inspect_ai import Task, eval
from inspect_ai.dataset import Sample
from inspect_ai.scorer import includes
from inspect_ai.solver import basic_agent, system_message
from inspect_ai.tool import bash
url, n, c, logs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
task = Task(dataset=[Sample(input="Run the commands, then submit.", target="done") for _ in range(n)],
            solver=basic_agent(init=system_message("You are an agent."), tools=[bash(timeout=30)], max_attempts=1,
                               message_limit=1000), scorer=includes(), sandbox="local")
t0 = time.perf_counter()
log = eval(task, model="openai-api/scripted/bench", model_base_url=url, max_connections=c, max_samples=c,
           log_dir=logs, display="none")[0]
wall = time.perf_counter() - t0
assert log.status == "success", log.error
turns = sum(sum(1 for m in s.messages if m.role == "assistant") for s in log.samples)
print(f"RESULT {wall} {turns}")
'''


async def pertask(url: str, samples: int, concurrency: int, tmp: Path) -> tuple[float, int]:
    (tmp / "src").mkdir(exist_ok=True)
    results, wall = await agents(url, concurrency, samples, tmp, "Run the commands, then submit.")
    return wall, sum(r.turns for r in results)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--inspect-python", required=True)
    ap.add_argument("--samples", type=int, default=64)
    ap.add_argument("--turns", type=int, default=20)
    ap.add_argument("--concurrency", type=int, default=16)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        ours, our_url = start_server(a.turns, tmp, {"name": "bash", "arguments": {"command": "true"}}, name="p.json")
        theirs, their_url = start_server(a.turns, tmp, {"name": "bash", "arguments": {"cmd": "true"}},
                                         {"name": "submit", "arguments": {"answer": "done"}}, name="i.json")
        try:
            p_wall, p_turns = asyncio.run(pertask(our_url, a.samples, a.concurrency, tmp))
            env = dict(os.environ, SCRIPTED_API_KEY="x", SCRIPTED_BASE_URL=their_url)
            r = subprocess.run([a.inspect_python, "-c", INSPECT, their_url, str(a.samples), str(a.concurrency),
                                str(tmp / "logs")], capture_output=True, text=True, env=env, timeout=1800)
            line = next((x for x in r.stdout.splitlines() if x.startswith("RESULT")), None)
            if line is None:
                raise SystemExit(f"Inspect failed:\n{r.stdout[-2000:]}\n{r.stderr[-3000:]}")
            i_wall, i_turns = float(line.split()[1]), int(line.split()[2])
        finally:
            ours.kill()
            theirs.kill()
    print(f"{a.samples} samples x {a.turns + 1} turns at concurrency {a.concurrency}")
    print(f"pertask:    {p_turns} turns in {p_wall:.2f} s = {p_turns / p_wall:.1f} turns/s")
    print(f"Inspect AI: {i_turns} turns in {i_wall:.2f} s = {i_turns / i_wall:.1f} turns/s")
    print(f"ratio pertask / Inspect: {(p_turns / p_wall) / (i_turns / i_wall):.2f}x")


if __name__ == "__main__":
    main()

"""The same smoke tasks, the same work, the same scripted model: pertask's own agent against mini-swe-agent
(PyPI, run as an external agent through the metering proxy). Issue 17's figure.

The model's moves are examples/scripted-smoke.json (the demo's script, in the built-in agent's tools). For
mini-swe-agent they are the same moves in its one tool, bash: write_file becomes a heredoc, edit_file a
Python replace, submit its completion echo. Its conversations are told apart by mini-swe-agent's own task
template, so one script serves both. Tokens are what the scripted server counts (no usage in the script):
the difference is each agent's framing of the same work (system prompt, templates, observations). Dollars
at the demo's price (examples/scripted-prices.toml: GLM-5.2's list price).

    .venv/bin/python benchmarks/agents_side_by_side.py
"""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MINI_PREFIX = "Please solve this issue: "  # mini-swe-agent 2.4.6's instance template (config/mini.yaml)
SUBMIT_ECHO = "echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT"


def as_bash(call: dict) -> str:
    args = call.get("arguments") or {}
    if call["name"] == "bash":
        return args["command"]
    if call["name"] == "write_file":
        return f"mkdir -p \"$(dirname {shlex.quote(args['path'])})\" && cat > {shlex.quote(args['path'])} <<'PT_EOF'\n" \
               f"{args['content']}\nPT_EOF"
    if call["name"] == "edit_file":
        code = (f"import pathlib; p = pathlib.Path({args['path']!r}); t = p.read_text(); "
                f"assert {args['old']!r} in t; p.write_text(t.replace({args['old']!r}, {args['new']!r}, 1))")
        return f"python3 -c {shlex.quote(code)}"
    if call["name"] == "submit":
        return SUBMIT_ECHO
    raise ValueError(f"no bash form for {call['name']}")


def combined_script() -> dict:
    script = json.loads((ROOT / "examples" / "scripted-smoke.json").read_text())
    instructions = [p.read_text() for p in sorted((ROOT / "tasks" / "suites" / "smoke").glob("*/instruction.md"))]
    mini = []
    for conv in script["conversations"]:
        first = next(t for t in instructions if conv["match"] in t)
        turns = [{"content": t.get("content") or "", "tool_calls": [{"name": "bash", "arguments": {"command": as_bash(c)}}
                                                                    for c in t.get("tool_calls", [])]}
                 for t in conv["turns"]]
        mini.append({"match": MINI_PREFIX + first[:40], "turns": turns})
    return {**script, "conversations": mini + script["conversations"]}  # the first match wins


def run(script: Path, out: Path, agent: list[str]) -> list[dict]:
    cmd = [sys.executable, "-m", "harness.cli", "run", "--suite", "smoke", "--model", f"scripted:{script}",
           "--prices", str(ROOT / "examples" / "scripted-prices.toml"), "--out", str(out), "--concurrency", "2", *agent]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(agent) or 'builtin'}: {proc.stderr[-2000:]}")
    return [json.loads(line) for line in (out / "samples.jsonl").read_text().splitlines()]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "script.json"
        script.write_text(json.dumps(combined_script()))
        rows = {"builtin": run(script, Path(tmp) / "builtin", []),
                "mini-swe-agent": run(script, Path(tmp) / "mini", ["--agent", "mini-swe-agent"])}
    print(f"{'task':18} {'agent':15} {'score':>5} {'calls':>5} {'input':>7} {'cached':>7} {'output':>6} {'$':>10}")
    totals = {}
    for task in sorted({s["task_id"] for s in rows["builtin"]}):
        for agent, samples in rows.items():
            s = next(x for x in samples if x["task_id"] == task)
            u = s["usage"]
            print(f"{task:18} {agent:15} {s['score']:5.2f} {u['calls']:5d} {u['input_uncached'] + u['input_cached']:7d} "
                  f"{u['input_cached']:7d} {u['output']:6d} {s['usd']:10.6f}")
            t = totals.setdefault(agent, [0, 0, 0, 0, 0.0, 0.0])
            for i, v in enumerate((u["calls"], u["input_uncached"] + u["input_cached"], u["input_cached"], u["output"],
                                   s["usd"], s["score"])):
                t[i] += v
    n = len(rows["builtin"])
    for agent, t in totals.items():
        print(f"{'all ' + str(n):18} {agent:15} {t[5] / n:5.2f} {t[0]:5d} {t[1]:7d} {t[2]:7d} {t[3]:6d} {t[4]:10.6f}")
    b, m = totals["builtin"], totals["mini-swe-agent"]
    print(f"mini-swe-agent / builtin: input tokens {m[1] / b[1]:.2f}x, dollars {m[4] / b[4]:.2f}x, calls {m[0] / b[0]:.2f}x")


if __name__ == "__main__":
    main()

"""The same scripted 30-turn coding task priced through each way of driving a model (docs/benchmarks.md §8).

A 20K-token instruction that grows by about 1K tokens a turn (each command prints 4,000 characters),
against the loopback fakes of providers/fakes/, which count tokens and cache hits by each provider's
documented rules; dollars from the catalog, as in any run:

- Claude Opus 4.8 through Anthropic's OpenAI-compatibility endpoint (`anthropic-compat:`: no prompt
  caching) and through the native Messages adapter (`anthropic:`: cache breakpoints);
- DeepSeek V4 Pro in thinking mode through its profile (`deepseek:`: reasoning_content of tool-call
  turns sent back) and as a plain OpenAI-compatible endpoint (reasoning dropped: DeepSeek's 400).

    .venv/bin/python benchmarks/wire_pricing.py [--turns 30] [--instruction-tokens 20000]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harness.cli import main  # noqa: E402
from providers.script_file import Script  # noqa: E402
from providers.scripted import ScriptedServer  # noqa: E402
from tasks.loader import SUITES_ROOT  # noqa: E402

KEY = "bench-key"


def suite(root: Path, turns: int, instruction_tokens: int) -> Path:
    dest = root / "suite" / "fix-median"
    shutil.copytree(SUITES_ROOT / "smoke" / "fix-median", dest)
    cfg = dest / "task.toml"
    cfg.write_text(cfg.read_text().replace("[limits]\n", f"[limits]\nmax_turns = {turns + 2}\nmax_tokens = 100000000\n", 1)
                   .replace("max_turns = 20\n", "", 1))
    pad = "Background notes for the task (kept verbatim).\n" + "context " * (instruction_tokens * 4 // 8)
    (dest / "instruction.md").write_text((dest / "instruction.md").read_text() + "\n" + pad)
    return root / "suite"


def prices_file(root: Path) -> Path:
    """DeepSeek's catalog entry in force today, also under openai-compatible: the same bill either way."""
    from results.prices import Catalog

    e = Catalog.load().lookup("deepseek", "deepseek-v4-pro")
    root.mkdir(parents=True, exist_ok=True)
    path = root / "prices.toml"
    path.write_text(f'[[price]]\nprovider = "openai-compatible"\nmodel = "deepseek-v4-pro"\ninput = {e.input}\n'
                    f'cached_input = {e.cached_input}\noutput = {e.output}\n')
    return path


def run(spec: str, emulate: str, model: str, root: Path, suite_dir: Path, turns: int, env: str) -> dict:
    steps = [{"tool_calls": [{"name": "bash", "arguments": {"command": f"python3 -c \"print('{i}' + 'x' * 4000)\""}}]}
             for i in range(turns - 1)] + [{"tool_calls": [{"name": "submit", "arguments": {}}]}]
    server = ScriptedServer(Script.model_validate({"model": model, "models": [model], "emulate": emulate,
                                                   "api_key": KEY, "default": steps}))
    url = server.start()
    os.environ[env] = KEY
    out = root / spec.split(":")[0]
    err = io.StringIO()
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            code = main(["run", "--suite", str(suite_dir), "--model", spec.replace("URL", url), "--out", str(out),
                         "--no-preflight", "--prices", str(prices_file(root))])
    finally:
        server.stop()
    calls = [json.loads(x) for x in (out / "calls.jsonl").read_text().splitlines()] if (out / "calls.jsonl").exists() else []
    samples = [json.loads(x) for x in (out / "samples.jsonl").read_text().splitlines()] if (out / "samples.jsonl").exists() else []
    tok = {k: sum(c["usage"][k] for c in calls) for k in ("input_uncached", "input_cached", "cache_write", "output")}
    prompt = tok["input_uncached"] + tok["input_cached"] + tok["cache_write"]
    stopped = next((ln for ln in err.getvalue().splitlines() if ln.startswith("pertask: error")), "")
    return {"spec": spec.split("@")[0], "exit": code, "calls": len(calls), "scored": len(samples),
            "usd": None if any(c["usd"] is None for c in calls) else sum(c["usd"] for c in calls), "cached_share": tok["input_cached"] / prompt if prompt else 0,
            "prompt": prompt, "stopped": stopped[:160]}


def main_() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--turns", type=int, default=30)
    ap.add_argument("--instruction-tokens", type=int, default=20_000)
    a = ap.parse_args()
    root = Path(tempfile.mkdtemp(prefix="wire-pricing-"))
    s = suite(root, a.turns, a.instruction_tokens)
    rows = [run("anthropic-compat:claude-opus-4-8@URL", "anthropic", "claude-opus-4-8", root, s, a.turns, "ANTHROPIC_API_KEY"),
            run("anthropic:claude-opus-4-8@URL", "anthropic", "claude-opus-4-8", root / "n", s, a.turns, "ANTHROPIC_API_KEY"),
            run("openai-compatible:deepseek-v4-pro@URL", "deepseek", "deepseek-v4-pro", root / "d0", s, a.turns,
                "OPENAI_COMPATIBLE_API_KEY"),
            run("deepseek:deepseek-v4-pro@URL", "deepseek", "deepseek-v4-pro", root / "d1", s, a.turns, "DEEPSEEK_API_KEY")]
    print(f"{a.turns}-turn task, ~{a.instruction_tokens:,}-token instruction growing ~1K tokens a turn")
    print(f"{'spec':<40} {'exit':>4} {'calls':>5} {'scored':>6} {'prompt tok':>11} {'cached':>7} {'$ spent':>9}")
    for r in rows:
        print(f"{r['spec']:<40} {r['exit']:>4} {r['calls']:>5} {r['scored']:>6} {r['prompt']:>11,} "
              f"{r['cached_share']:>7.0%} {'null' if r['usd'] is None else format(r['usd'], '.4f'):>9}" + (f"   {r['stopped']}" if r["stopped"] else ""))
    print(f"Opus 4.8, compatibility endpoint / native: {rows[0]['usd'] / rows[1]['usd']:.2f}x")
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main_()

"""Figure 21: what a run of the briefcase suite costs at list prices, from tokens a run measures, not guesses.

A scripted careful reader runs all 24 tasks through `pertask run` as any model would: one search, then it opens
exactly the files the task's rubric names (the planted facts), writes the reference deliverable, submits. It is a
floor — no model reads this little and gets everything right (it scores 1.0 by construction; the report's reading
table shows how little it opened) — measured in the scripted server's own counts (characters / 4, the previous
prompt cached as a prefix-caching server reports it). Its tokens, call by call, are priced here at each model's
list prices (cache writes, which the scripted server does not report, are not in it).

Then a ceiling: one task (the last week of a scenario, 629 files) worked for its full 500 turns by a scripted agent
that reads a source file a turn, in a 128,000-token window: the built-in agent compacts whenever the conversation
nears it (each summary a call of its own, billed), so the prompt it sends stays near the window all run long.

    .venv/bin/python benchmarks/briefcase_cost.py
"""

from __future__ import annotations

import json
import shlex
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from harness.cli import main as pertask  # noqa: E402
from results.prices import Catalog, cost_usd  # noqa: E402
from results.records import Usage  # noqa: E402
from tasks.loader import load_suite  # noqa: E402
from tasks.rubric import load_checks  # noqa: E402

MODELS = [("zai", "glm-5.2"), ("deepseek", "deepseek-v4-pro"), ("openai", "gpt-5.5"),
          ("anthropic", "claude-opus-4-8"), ("anthropic", "claude-fable-5")]
SHOW = {".xlsx": "from openpyxl import load_workbook\nfor ws in load_workbook({p!r}).worksheets:\n"
                 "    for r in ws.iter_rows(values_only=True): print(ws.title, r)",
        ".docx": "import docx\nd = docx.Document({p!r})\nprint('\\n'.join(x.text for x in d.paragraphs))\n"
                 "for t in d.tables:\n    for r in t.rows: print([c.text for c in r.cells])",
        ".pdf": "from pypdf import PdfReader\nprint('\\n'.join(p.extract_text() for p in PdfReader({p!r}).pages))"}


def bash(command: str) -> dict:
    return {"tool_calls": [{"name": "bash", "arguments": {"command": command}}]}


def reader_turns(task) -> list[dict]:
    needed = sorted({f for c in load_checks(task.grader_dir / "checks.jsonl") for f in c.files_needed})
    turns = [bash("grep -rli 'correction\\|replaces\\|v2\\|final' --include=*.eml . | head -40")]
    for f in needed:
        code = SHOW.get(Path(f).suffix)
        turns.append(bash(f"python3 - <<'PY'\n{code.format(p=f)}\nPY" if code else f"cat {shlex.quote(f)}"))
    turns.append(bash((task.dir / "solution" / "solve.sh").read_text()))
    return turns + [{"tool_calls": [{"name": "submit", "arguments": {}}]}]


CEILING_TASK, WINDOW = "halcyon-w8-quarter", 128_000
NOTES = "NOTES: read sources one by one; the figures that matter are in the summaries and the corrections."


def ceiling_script(task) -> dict:
    files = [rel for rel, _ in task.workspace_files()][:499]
    turns = [bash(f"cat {shlex.quote(rel)}") for rel in files] + [bash(f"echo {i}") for i in range(499 - len(files))]
    return {"model": "reader-500", "context": WINDOW, "conversations": [
        {"match": "to be replaced by your notes", "turns": [{"content": NOTES}]},  # the summariser's request
        {"match": task.instruction.splitlines()[0], "turns": turns + [{"tool_calls": [{"name": "submit",
                                                                                        "arguments": {}}]}]}]}


def totals(calls: list[dict]) -> dict[str, int]:
    u = [Usage(**c["usage"]) for c in calls]
    return {"prompt": sum(x.input_total for x in u), "cached": sum(x.input_cached for x in u),
            "output": sum(x.output for x in u)}


def price(calls: list[dict], catalog: Catalog) -> dict[str, float]:
    out = {}
    for provider, model in MODELS:
        entry = catalog.lookup(provider, model)
        out[f"{provider}:{model}"] = sum(cost_usd(Usage(**c["usage"]), entry) for c in calls)
    return out


def main() -> None:
    suite = load_suite("briefcase")
    script = {"model": "careful-reader", "conversations": [
        {"match": t.instruction.splitlines()[0], "turns": reader_turns(t)} for t in suite.tasks]}
    catalog = Catalog.load()
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "reader.json"
        path.write_text(json.dumps(script))
        t0 = time.perf_counter()
        code = pertask(["run", "--suite", "briefcase", "--model", f"scripted:{path}", "--out", f"{d}/run",
                        "--concurrency", "4", "--no-preflight"])
        wall = time.perf_counter() - t0
        assert code == 0
        samples = [json.loads(x) for x in (Path(d) / "run" / "samples.jsonl").read_text().splitlines()]
        calls = [c for s in samples for c in json.loads((Path(d) / "run" / s["transcript"]).read_text())["calls"]]
        tok = totals(calls)
        opened = [s["reading"] for s in samples if s.get("reading")]
        print(f"careful reader, 24 tasks: mean score {sum(s['score'] for s in samples) / len(samples):.2f}, "
              f"{sum(s['turns'] for s in samples) / len(samples):.1f} turns a task, {wall:.0f} s for the suite here")
        if opened:
            print(f"  opened a median {sorted(r['opened'] for r in opened)[len(opened) // 2]} source files a task "
                  f"(of {min(r['sources'] for r in opened)}-{max(r['sources'] for r in opened)}), "
                  f"{sum(r['tokens_opened'] for r in opened) / sum(r['tokens'] for r in opened):.2%} of the source "
                  "tokens")
        print(f"  tokens a task: {tok['prompt'] / 24:,.0f} prompt ({tok['cached'] / 24:,.0f} of them "
              f"cached), {tok['output'] / 24:,.0f} output")
        for model, usd in price(calls, catalog).items():
            print(f"  {model:28} ${usd / 24:.4f} a task, ${usd:.2f} the suite (the floor)")
        task = next(t for t in suite.tasks if t.id == CEILING_TASK)
        path.write_text(json.dumps(ceiling_script(task)))
        t0 = time.perf_counter()
        code = pertask(["run", "--suite", "briefcase", "--task", CEILING_TASK, "--model",
                        f"scripted:{path}#context={WINDOW}", "--out", f"{d}/ceiling", "--no-preflight"])
        wall = time.perf_counter() - t0
        assert code == 0
        (s,) = [json.loads(x) for x in (Path(d) / "ceiling" / "samples.jsonl").read_text().splitlines()]
        calls = json.loads((Path(d) / "ceiling" / s["transcript"]).read_text())["calls"]
        tok = totals(calls)
        print(f"ceiling, {CEILING_TASK}: {s['turns']} turns, {s['compactions']} compactions, {len(calls)} calls, "
              f"{wall:.0f} s here; opened {s['reading']['opened'] if s.get('reading') else '?'} files")
        print(f"  tokens: {tok['prompt']:,} prompt ({tok['cached']:,} cached), {tok['output']:,} output")
        for model, usd in price(calls, catalog).items():
            print(f"  {model:28} ${usd:.2f} for the task (500 turns in a {WINDOW:,}-token window)")


if __name__ == "__main__":
    main()

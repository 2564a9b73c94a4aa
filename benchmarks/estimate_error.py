"""Figure 22: how far `run --estimate` is from what the run then costs.

The careful reader of figure 21 (benchmarks/briefcase_cost.py: a scripted agent that opens the files each task's
rubric names, then writes the deliverable) runs a pilot of the briefcase suite — 3, 6 or 12 of its 24 tasks drawn at
random (--sample), or one shard (--shard 1/8, 1/4: every 8th or 4th task, which in this suite's order of scenarios and
weeks is the same week of each scenario) — then `pertask run --estimate PILOT` prices the whole suite for GLM-5.2 (a
model that has not run: the pilot's tokens at its list price), and the whole suite runs. Its calls, priced at the same list price, are what the run
costs; the estimate's error is against that.

    .venv/bin/python benchmarks/estimate_error.py
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.briefcase_cost import reader_turns  # noqa: E402
from harness.cli import main as pertask  # noqa: E402
from results.prices import Catalog, cost_usd  # noqa: E402
from results.records import Usage  # noqa: E402
from tasks.loader import load_suite  # noqa: E402

TARGET = "zai:glm-5.2"


def run(*args: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = pertask(["run", "--suite", "briefcase", "--no-preflight", "--concurrency", "4", *args])
    assert code == 0, out.getvalue()
    return out.getvalue()


def main() -> None:
    suite = load_suite("briefcase")
    script = {"model": "careful-reader", "conversations": [
        {"match": t.instruction.splitlines()[0], "turns": reader_turns(t)} for t in suite.tasks]}
    price = Catalog.load().lookup("zai", "glm-5.2")
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "reader.json"
        path.write_text(json.dumps(script))
        spec = f"scripted:{path}"
        run("--model", spec, "--out", f"{d}/full", "--json")
        calls = [json.loads(x) for x in (Path(d) / "full" / "calls.jsonl").read_text().splitlines()]
        actual = sum(cost_usd(Usage(**c["usage"]), price) for c in calls)
        print(f"the whole suite (24 tasks) for {TARGET}: ${actual:.3f} at its list price (the careful reader's calls)")
        for pick in (["--sample", "3"], ["--sample", "6"], ["--sample", "12"], ["--shard", "1/8"], ["--shard", "1/4"]):
            pilot = f"{d}/pilot-{pick[0][2:]}-{pick[1].replace('/', 'of')}"
            run("--model", spec, *pick, "--out", pilot, "--json")
            text = run("--model", TARGET, "--estimate", pilot)
            line = next(ln for ln in text.splitlines() if ln.startswith("  dollars: "))
            est, low, high = (float(x.replace(",", "")) for x in re.findall(r"\$([\d,.]+)", line))
            print(f"  pilot {' '.join(pick):<12} estimate ${est:.3f} (95%: ${low:.3f} to ${high:.3f}), "
                  f"error {est / actual - 1:+.1%}; the run {'inside' if low <= actual <= high else 'OUTSIDE'} the range")


if __name__ == "__main__":
    main()

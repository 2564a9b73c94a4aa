"""What the agent read: the bwrap sandbox traces the files its commands open (strace, from outside the sandbox) and
the record says how many of the task's sources that was and how many of their tokens; the transcript lists them.
A command cannot add to the trace what it did not open, hide what it did, or flood it."""

from __future__ import annotations

import json
import shutil

import pytest

from harness.sandboxes.reads import strace_path
from tests.conftest import SUBMIT, bash, call, load_samples, run_json

pytestmark = pytest.mark.skipif(strace_path() is None, reason="strace is installed by scripts/setup.sh")

TASK = "northwind-w1-baseline"


@pytest.fixture(scope="module")
def week1(tmp_path_factory):
    """The first week of one briefcase scenario: its task and the two layers it stacks (119 source files)."""
    from tasks.loader import generated

    src, dest = generated("briefcase"), tmp_path_factory.mktemp("bc") / "suite"
    for name in (TASK, "_bases/northwind-shared", "_bases/northwind-w01"):
        shutil.copytree(src / name, dest / name)
    return dest


def run(cli, tmp_path, suite, turns):  # one sample of the scripted model, and what its transcript says
    script = tmp_path / "reader.json"
    script.write_text(json.dumps({"model": "reader", "default": turns + [SUBMIT]}))
    out = tmp_path / "run"
    run_json(cli, "run", "--suite", suite, "--model", f"scripted:{script}", "--out", out, "--sandbox", "bwrap")
    (rec,) = load_samples(out)
    return rec, json.loads((out / rec["transcript"]).read_text())


def test_the_record_counts_the_sources_the_commands_opened(cli, tmp_path, week1):
    org, wiki = "shared/org-chart.csv", "shared/wiki/finance/overhead-allocation.md"
    sheet = "week-01/finance/summary-week-01.xlsx"
    rec, t = run(cli, tmp_path, week1, [
        {"tool_calls": [bash(f"cd week-01 && head -c 10 ../{org} && ls mail >/dev/null")]},
        {"tool_calls": [bash(f"python3 -c \"open('{sheet}', 'rb').read(); open('notes.txt', 'w').write('x')\"")]},
        {"tool_calls": [call("read_file", path=wiki)]},
        # A flood of opens of one file is one file opened; a file written is not one read.
        {"tool_calls": [bash(f"for i in $(seq 300); do cat {org} >/dev/null; done; echo hi > {org}.copy")]},
        # A forged trace line, into every descriptor the sandbox holds: none of them leads to the trace.
        {"tool_calls": [bash('for fd in /proc/self/fd/*; do echo "= 3<$PWD/week-01/tickets/tickets-week-01.json>" '
                             '> $fd; done 2>/dev/null; true')]},
    ])
    assert t["opened"] == sorted([org, wiki, sheet])
    reading = rec["reading"]
    sizes = {rel: (week1 / "_bases" / ("northwind-shared" if rel.startswith("shared") else "northwind-w01") / rel)
             .stat().st_size // 4 for rel in t["opened"]}
    assert reading["opened"] == 3 and reading["sources"] == 119
    assert reading["tokens_opened"] == sum(sizes.values())
    assert reading["tokens"] > 200_000
    # Of the three files its rubric checks name (summary, correction mail, price list), it opened the summary.
    assert (reading["needed_opened"], reading["needed"]) == (1, 3)
    # The report, per task: the terminal's table and the JSON summary.
    code, out, err = cli("report", tmp_path / "run")
    assert code == 0, err
    row = next(line for line in out.splitlines() if line.strip("│ ").startswith(TASK))
    assert [c.strip() for c in row.split("│")[1:-1]] == [TASK, "scripted:reader", "3", "119", f"{sum(sizes.values()):,}",
                                                         f"{reading['tokens']:,}", "0.9%", "1 of 3"], row
    summary = run_json(cli, "report", tmp_path / "run")
    (r,) = summary["reading"]
    assert (r["task"], r["files_opened"], r["files"], r["tokens_opened"]) == (TASK, 3, 119, sum(sizes.values()))


def test_grep_over_everything_opens_everything(cli, tmp_path, week1):
    rec, t = run(cli, tmp_path, week1, [{"tool_calls": [bash("grep -rl 'Correction' . | head -3")]}])
    assert rec["reading"]["opened"] == rec["reading"]["sources"] == 119
    assert rec["reading"]["tokens_opened"] == rec["reading"]["tokens"]

"""Binary rubric checks by a judge panel, each judge a scripted server on loopback that decides from what it is shown:
it passes a check only when the deliverable it is given holds the fact, and says so if it ever sees a source file."""

from __future__ import annotations

import asyncio
import json
import shutil

import pytest

from harness.agents.judge import deliverables
from harness.agents.panel import draw, judge_checks, pass_rate
from harness.sandboxes.overlay import DirView
from providers.registry import build_model
from results.prices import Catalog
from tasks.loader import load_suite
from tasks.rubric import Check

PASS = json.dumps({"score": 1, "reasoning": "the deliverable states it"})
FAIL = json.dumps({"score": 0, "reasoning": "not in the deliverable"})
SOURCE = "Subject: Support accrual"  # a line of a source file of the task: no judge may be shown it
CHECKS = [Check(check_id=f"w1_t1_a{i}", task_id="w1_t1", check_type="A", scoring_type="binary",
                taskdoer_output_file="report.md", check_description="the reconciled total",
                score_1_criteria="states a total of 41,200", score_0_criteria="any other total") for i in range(6)]
MEMO_ONLY = Check(check_id="w1_t1_c1", task_id="w1_t1", check_type="C", scoring_type="binary",
                  taskdoer_output_file="memo.md", check_description="flags the duplicate", score_1_criteria="41,200")
PAIRWISE = Check(check_id="w1_t1_p1", task_id="w1_t1", check_type="P", scoring_type="pairwise")


def judge_script(tmp_path, name: str, passes: bool = True, fault: str | None = None):
    seen_source = {"match": SOURCE, "turns": [{"content": json.dumps({"score": 1, "reasoning": "SAW A SOURCE FILE"})}]}
    holds = {"match": "Total reconciled: 41,200", "turns": [{"content": PASS if passes else FAIL}]}
    default = [{"content": FAIL, **({"fault": fault, "fault_times": 99} if fault else {})}]
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps({"model": name, "conversations": [seen_source, holds], "default": default,
                                "bill": {"input": 1.0, "output": 2.0}}))
    return path


def graded_copy(tmp_path):
    """What grading reads: the task's own files (unchanged) and the deliverables the agent wrote."""
    task = next(t for t in load_suite("smoke").tasks if t.id == "budget-reconcile")
    ws = tmp_path / "ws"
    shutil.copytree(task.workspace, ws)
    (ws / "report.md").write_text("# Q3\nTotal reconciled: 41,200\n")
    (ws / "memo.md").write_text("# Memo\nNothing to flag.\n")
    return task, DirView(ws)


def run(coro):
    return asyncio.run(coro)


def test_each_check_is_judged_by_the_judge_drawn_for_it_on_the_deliverables_it_names(tmp_path):
    task, files = graded_copy(tmp_path)
    prices = tmp_path / "p.toml"
    prices.write_text("".join(f'[[price]]\nprovider = "scripted"\nmodel = "{n}"\ninput = 1.0\noutput = 2.0\n\n'
                              for n in ("j1", "j2", "j3")))
    panel = [build_model(f"scripted:{judge_script(tmp_path, n)}", Catalog.load(prices)) for n in ("j1", "j2", "j3")]

    async def go():
        try:
            shown = await deliverables(task, files)
            return shown, await judge_checks(panel, task.instruction, [*CHECKS, MEMO_ONLY, PAIRWISE], shown)
        finally:
            for m in panel:
                await m.aclose()

    shown, verdicts = run(go())
    assert set(shown) == {"report.md", "memo.md"}  # the task's own files are not deliverables
    assert [v.check_id for v in verdicts] == [c.check_id for c in [*CHECKS, MEMO_ONLY]]  # pairwise: not here
    assert [v.judge for v in verdicts[:6]] == [draw(c, panel).info.spec for c in CHECKS]
    assert len({v.judge for v in verdicts}) > 1, "the draw spreads the checks over the panel"
    assert all(v.passed and "states it" in v.reasons for v in verdicts[:6]), verdicts
    # The memo check is shown the memo alone, which lacks the fact: failed, though the report holds it.
    assert verdicts[6].passed is False and verdicts[6].reasons == "not in the deliverable"
    assert not any("SOURCE" in v.reasons for v in verdicts)
    assert all(v.usd and v.usd > 0 and v.usage.calls == 1 for v in verdicts)  # each verdict priced on its own
    assert pass_rate(verdicts) == round(6 / 7, 6)


def test_a_panel_that_disagrees_decides_by_majority_and_a_failing_judge_gives_no_score(tmp_path):
    _, files = graded_copy(tmp_path)
    shown = {"report.md": "Total reconciled: 41,200"}
    agree = [build_model(f"scripted:{judge_script(tmp_path, 'yes1')}", Catalog.load()),
             build_model(f"scripted:{judge_script(tmp_path, 'yes2')}", Catalog.load()),
             build_model(f"scripted:{judge_script(tmp_path, 'no', passes=False)}", Catalog.load())]
    broken = build_model(f"scripted:{judge_script(tmp_path, 'broken', fault='http_400')}", Catalog.load())

    async def go():
        try:
            majority = await judge_checks(agree, "task", CHECKS[:1], shown, mode="majority")
            split = await judge_checks([agree[0], agree[2], broken], "task", CHECKS[:1], {}, mode="majority")
            alone = await judge_checks([broken], "task", CHECKS[:1], {})
            return majority, split, alone
        finally:
            for m in [*agree, broken]:
                await m.aclose()

    majority, split, alone = run(go())
    assert majority[0].passed is True and majority[0].judge == "majority of 3" and majority[0].usage.calls == 3
    assert "scripted:no: not in the deliverable" in majority[0].reasons  # the dissent is kept, with its judge
    # Nothing to read: both verdicts fail; the broken judge's error is no vote.
    assert split[0].passed is False
    assert alone[0].passed is None and alone[0].error and pass_rate(alone) is None  # an error is never a 0


def test_a_run_with_a_panel_judges_each_rubric_check_and_bills_each_judge_apart(cli, tmp_path):
    from tests.conftest import copy_suite, load_samples, run_json

    suite = copy_suite(tmp_path / "suite", ("budget-reconcile",))
    rows = [{"check_id": "a1", "task_id": "budget-reconcile", "check_type": "A", "scoring_type": "binary",
             "taskdoer_output_file": "summary.md", "check_description": "the total variance",
             "score_1_criteria": "states the total variance as minus 14,850"},
            {"check_id": "a2", "task_id": "budget-reconcile", "check_type": "A", "scoring_type": "binary",
             "taskdoer_output_file": "summary.md", "check_description": "marketing's actual, the duplicate removed"},
            {"check_id": "c1", "task_id": "budget-reconcile", "check_type": "C", "scoring_type": "binary",
             "taskdoer_output_file": "notes.md", "check_description": "a note on the duplicate invoice"},
            {"check_id": "p1", "task_id": "budget-reconcile", "check_type": "P", "scoring_type": "pairwise"}]
    (suite / "budget-reconcile" / "grader" / "checks.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    names = ("j1", "j2", "j3")
    scripts = []
    for n in names:  # each passes a check only when shown the oracle's figure
        path = tmp_path / f"{n}.json"
        path.write_text(json.dumps({"model": n, "conversations": [
            {"match": SOURCE, "turns": [{"content": json.dumps({"score": 1, "reasoning": "SAW A SOURCE FILE"})}]},
            {"match": "Total variance: -14850", "turns": [{"content": PASS}]}], "default": [{"content": FAIL}]}))
        scripts.append(path)
    prices = tmp_path / "prices.toml"
    prices.write_text("".join(f'[[price]]\nprovider = "scripted"\nmodel = "{n}"\ninput = 1.0\noutput = 2.0\n\n'
                              for n in names))
    out = tmp_path / "run"
    report = run_json(cli, "run", "--suite", suite, "--model", "oracle", "--model", "null", "--out", out,
                      "--prices", prices, *(a for s in scripts for a in ("--judge", f"scripted:{s}")))
    got = {s["model"]: s["judge"] for s in load_samples(out)}
    assert [(c["check_id"], c["passed"]) for c in got["oracle"]["checks"]] == [("a1", True), ("a2", True), ("c1", False)]
    assert got["oracle"]["score"] == round(2 / 3, 6) and got["null"]["score"] == 0.0, got["null"]
    assert all("SOURCE" not in c["reasons"] for j in got.values() for c in j["checks"])
    manifest = json.loads((out / "manifest.json").read_text())
    assert [j["spec"] for j in manifest["judges"]] == [f"scripted:{n}" for n in names] and manifest["panel"] == "draw"
    judged = [json.loads(line) for line in (out / "calls.jsonl").read_text().splitlines() if '"judge"' in line]
    assert sorted(c["check"] for c in judged) == ["a1", "a1", "a2", "a2", "c1", "c1"]  # one call per check and sample
    assert all(c["usd"] > 0 and c["judge"].startswith("scripted:") for c in judged)
    models = {m["model"]: m for m in report["models"]}
    assert models["oracle"]["judge"]["mean_score"] == pytest.approx(2 / 3, abs=1e-3)
    assert models["oracle"]["usd_per_task"] == 0  # the judges' dollars are never the model's

"""`pertask pairwise`: judged runs' deliverables compared two by two, in both orders, into Elo with intervals; a second
call reads every verdict from the cache and pays nothing."""

from __future__ import annotations

import json

from tests.conftest import copy_suite, run_json


def script(tmp_path, name: str, body: dict):
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps({"model": name, **body}))
    return f"scripted:{path}"


def test_judged_runs_are_ranked_by_pairwise_elo_and_a_second_ranking_is_free(cli, tmp_path):
    suite = copy_suite(tmp_path / "suite", ("budget-reconcile",))
    rows = [{"check_id": "a1", "task_id": "budget-reconcile", "check_type": "A", "scoring_type": "binary"},
            {"check_id": "p1", "task_id": "budget-reconcile", "check_type": "P", "scoring_type": "pairwise",
             "check_description": "the presentation of the variance table"}]
    (suite / "budget-reconcile" / "grader" / "checks.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    binary = script(tmp_path, "binary", {"default": [{"content": json.dumps({"score": 0, "reasoning": "no"})}]})
    pick = {n: {"content": json.dumps({"preferred": n, "reasoning": "r"})} for n in (0, 1, 2)}
    shown = "#### summary.md\n```\n# Q3 budget vs actuals"  # the oracle's deliverable, in the first or second place
    fair = script(tmp_path, "fair", {"conversations": [
        {"match": f"## Deliverable 1\n{shown}", "turns": [pick[1]]},
        {"match": f"## Deliverable 2\n{shown}", "turns": [pick[2]]}], "default": [pick[0]]})
    out = tmp_path / "run"
    run_json(cli, "run", "--suite", suite, "--model", "oracle", "--model", "null", "--epochs", "2", "--out", out,
             "--judge", binary)
    code, printed, err = cli("pairwise", out, "--judge", fair, "--anchor", "null=1000", "--json")
    assert code == 0, err
    ranked = json.loads(printed)
    # One task, one pair, both orders: by the judge, and as the rubric's synthetic match (AA's rubric Elo).
    assert ranked["elo"]["null"] == {"elo": 1000.0, "ci": None, "n": 4}
    assert set(ranked["by_type"]) == {"P", "rubric"} and ranked["by_type"]["P"]["oracle"]["elo"] > 1200
    assert 1000 < ranked["elo"]["oracle"]["elo"] < ranked["by_type"]["P"]["oracle"]["elo"]  # the rubric's tie counts
    assert ranked["by_type"]["rubric"]["oracle"]["elo"] == 1000.0  # the binary judge failed both: a tie
    assert ranked["order_agreement"] == 1.0 and ranked["judge_calls"] == 2 and ranked["n_judgements"] == 2
    code, printed, err = cli("pairwise", out, "--judge", fair, "--anchor", "null=1000", "--json")
    again = json.loads(printed)
    assert again["judge_calls"] == 0 and again["elo"] == ranked["elo"]  # read from the cache: nothing paid
    code, printed, err = cli("pairwise", out, "--judge", fair)
    assert code == 0 and printed.splitlines()[1].startswith("oracle") and "2 judgements by 1 judge(s)" in err
    code, _, err = cli("pairwise", out, "--judge", fair, "--anchor", "human=1000")
    assert code == 2 and "anchor human is in no judgement" in err

"""`pertask grade`: deliverables pertask did not make (a folder per model, a folder per task), graded by a judge panel
as a judged run is: rubric checks, then pairwise Elo; no model but the judges is called."""

from __future__ import annotations

import json
import os

from tests.conftest import copy_suite

STRONG = "# Q3 budget vs actuals\n\n| Department | Actual |\n|---|---|\n| Marketing | 130200 |\n\nTotal variance: -14850\n"


def test_a_folder_of_submissions_is_graded_by_rubric_and_ranked_pairwise(cli, tmp_path):
    suite = copy_suite(tmp_path / "suite", ("budget-reconcile",))
    rows = [{"check_id": "a1", "task_id": "budget-reconcile", "check_type": "A", "scoring_type": "binary",
             "taskdoer_output_file": "summary.md", "check_description": "the total variance",
             "score_1_criteria": "states the total variance as minus 14,850"},
            {"check_id": "p1", "task_id": "budget-reconcile", "check_type": "P", "scoring_type": "pairwise",
             "check_description": "the presentation of the variance table"}]
    (suite / "budget-reconcile" / "grader" / "checks.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    folder = tmp_path / "submissions"
    for model, text in (("expert", STRONG), ("weak", "# Notes\nThe numbers differ somewhere.\n")):
        (folder / model / "budget-reconcile").mkdir(parents=True)
        (folder / model / "budget-reconcile" / "summary.md").write_text(text)
    (folder / "expert" / "unknown-task").mkdir()  # not a task of the suite: passed over
    # Someone else's submissions are untrusted: a link to a host file, a linked folder and a FIFO are never shown
    # to a judge (whose provider would then hold the host's file).
    secret = tmp_path / "host-secret.txt"
    secret.write_text("HOST-SECRET-TOKEN")
    (tmp_path / "host-dir").mkdir()
    (tmp_path / "host-dir" / "keys.md").write_text("HOST-SECRET-TOKEN")
    weak = folder / "weak" / "budget-reconcile"
    (weak / "notes.md").symlink_to(secret)
    (weak / "linked").symlink_to(tmp_path / "host-dir")
    os.mkfifo(weak / "pipe.md")
    head = "#### summary.md\n```\n# Q3 budget"

    def reply(**kw) -> dict:
        return {"content": json.dumps({"reasoning": "r", **kw})}

    judge = tmp_path / "judge.json"
    judge.write_text(json.dumps({"model": "judge", "conversations": [
        {"match": "HOST-SECRET-TOKEN", "turns": [{"content": json.dumps({"score": 0, "preferred": 0,
                                                                         "reasoning": "SAW-HOST-SECRET"})}]},
        {"match": f"## Deliverable 1\n{head}", "turns": [reply(preferred=1)]},
        {"match": f"## Deliverable 2\n{head}", "turns": [reply(preferred=2)]},
        {"match": "Total variance: -14850", "turns": [reply(score=1)]}],
        "default": [reply(score=0, preferred=0)]}))
    code, printed, err = cli("grade", suite, folder, "--judge", f"scripted:{judge}", "--anchor", "weak=1000", "--json")
    assert code == 0, err
    out = json.loads(printed)
    assert out["models"] == ["expert", "weak"]
    assert "SAW-HOST-SECRET" not in printed  # the judge answers so whenever it is shown the host's file
    assert {m: (r["pass_rate"], r["n_checks"]) for m, r in out["rubric"].items()} == {"expert": (1.0, 1), "weak": (0.0, 1)}
    assert out["pairwise"]["elo"]["expert"]["elo"] > out["pairwise"]["elo"]["weak"]["elo"] == 1000.0
    assert out["pairwise"]["order_agreement"] == 1.0 and set(out["pairwise"]["by_type"]) == {"P", "rubric"}
    rubric_elo = out["pairwise"]["by_type"]["rubric"]  # AA's rubric Elo: the pass rates as synthetic matches
    assert rubric_elo["expert"]["elo"] > rubric_elo["weak"]["elo"] == 1000.0
    code, printed, err = cli("grade", suite, folder, "--judge", f"scripted:{judge}")
    assert code == 0 and "expert" in printed and "100%" in printed, printed
    code, _, err = cli("grade", suite, tmp_path / "nothing-here", "--judge", f"scripted:{judge}")
    assert code == 2 and "no MODEL/TASK_ID folder matches a task of suite" in err

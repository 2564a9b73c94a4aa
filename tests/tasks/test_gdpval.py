"""GDPval's published layout (tests/tasks/gdpval_scenario.py): loaded from a checkout or through huggingface_hub's cache,
each task's reference files as its workspace, graded pairwise against the expert's deliverable (anchored at 1000),
win-or-tie rate with its interval; the expert's deliverable never within the agent's reach."""

from __future__ import annotations

import json

import pytest

from tasks.loader import load_suite
from tests.conftest import load_samples, run_json
from tests.tasks.aa_scenario import COMMIT, hub_cache
from tests.tasks.gdpval_scenario import EXPERT_LINE, TASK, write_gdpval


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PERTASK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


def test_the_gold_set_loads_by_name_with_its_reference_files_as_the_workspace(cli, tmp_path):
    hub_cache(tmp_path / "cache" / "hub", "openai-test/gdpval-mini", write_gdpval)
    code, printed, err = cli("tasks", "list", "--suite", "hf:openai-test/gdpval-mini")
    assert code == 0 and printed.startswith("gdpval-mini (version") and TASK in printed, err
    task = load_suite(f"hf:openai-test/gdpval-mini@{COMMIT}").tasks[0]
    assert [rel for rel, _ in task.workspace_files()] == ["reference_files/ward_brief.docx"]
    assert task.instruction.startswith("GDPVAL-TASK") and "deliverables/" in task.instruction
    assert sorted(p.name for p in (task.grader_dir / "expert").iterdir()) == ["response.md", "staffing_plan.xlsx"]


@pytest.mark.parametrize(("change", "said"), [
    ({"reference_files": ["reference_files/a1/missing.pdf"]}, "row 1: field 'reference_files'"),
    ({"deliverable_files": ["../outside.xlsx"]}, "row 1: field 'deliverable_files'"),
    ({"prompt": ""}, "row 1: field 'prompt'"),
])
def test_a_malformed_row_names_its_file_row_and_field(cli, tmp_path, change, said):
    row = {"task_id": TASK, "sector": "s", "occupation": "o", "prompt": "p",
           "reference_files": ["reference_files/a1/ward_brief.docx"], "deliverable_text": "",
           "deliverable_files": ["deliverable_files/a1/staffing_plan.xlsx"], **change}
    root = write_gdpval(tmp_path / "gd", rows=[row])
    code, printed, err = cli("tasks", "list", "--suite", root)
    assert "train-00000-of-00001.parquet:" + said in err, (code, printed, err)


def test_models_are_ranked_against_the_expert_who_stays_out_of_their_reach(cli, tmp_path):
    root = write_gdpval(tmp_path / "gd")
    expert_file = load_suite(str(root)).tasks[0].grader_dir / "expert" / "response.md"
    agent = tmp_path / "agent.json"
    agent.write_text(json.dumps({"model": "nurse", "conversations": [{"match": "GDPVAL-TASK", "turns": [
        {"tool_calls": [{"name": "bash", "arguments": {"command": f"ls reference_files; cat {expert_file}"}}]},
        {"tool_calls": [{"name": "write_file", "arguments": {"path": "deliverables/plan.md",
                                                              "content": EXPERT_LINE + ".\n"}}]},
        {"tool_calls": [{"name": "submit", "arguments": {}}]}]}], "default": [{"content": "lost"}]}))
    judge = tmp_path / "judge.json"  # prefers whichever side produced something; a tie when both did

    def says(preferred: int) -> list[dict]:
        return [{"content": json.dumps({"preferred": preferred, "reasoning": "r"})}]
    judge.write_text(json.dumps({"model": "judge", "conversations": [
        {"match": "## Deliverable 1\n(nothing was produced)", "turns": says(2)},
        {"match": "## Deliverable 2\n(nothing was produced)", "turns": says(1)}], "default": says(0)}))
    out = tmp_path / "run"
    run_json(cli, "run", "--suite", root, "--model", f"scripted:{agent}", "--model", "null", "--out", out,
             "--judge", f"scripted:{judge}")
    rec = next(r for r in load_samples(out) if r["model"].startswith("scripted"))
    looked = json.loads((out / rec["transcript"]).read_text())["messages"][3]["content"]
    assert "ward_brief.docx" in looked and EXPERT_LINE not in looked, looked  # the expert's file is not in reach
    code, printed, err = cli("pairwise", out, "--judge", f"scripted:{judge}", "--json")
    assert code == 0, err
    ranked = json.loads(printed)
    assert ranked["elo"]["expert"]["elo"] == 1000.0  # GDPval-AA's anchor, without --anchor
    assert ranked["vs_expert"]["null"]["rate"] == 0.0
    agent_spec = "scripted:agent"  # a model given by path is named by its file
    assert ranked["vs_expert"][agent_spec]["rate"] == 1.0  # a tie counts: the expert's deliverable was shown, not empty
    assert ranked["elo"]["null"]["elo"] < ranked["elo"][agent_spec]["elo"]
    code, printed, err = cli("pairwise", out, "--judge", f"scripted:{judge}")
    assert "wins or ties against the expert in 100%" in printed

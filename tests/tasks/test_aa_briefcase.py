"""AA-Briefcase-Lite's published layout, on a scenario written for the tests (tests/tasks/aa_scenario.py): loaded from a
checkout or through huggingface_hub's cache offline, run as AA runs it (its mounts, prompts, finish and abandon tools,
500 turns), judged with its own judge prompts on the deliverables alone, and its submissions graded beside."""

from __future__ import annotations

import json

import pytest

from harness.agents.panel import check_prompt, task_checks
from harness.run.setup import missing_stack
from tasks.loader import load_suite
from tests.conftest import load_samples, run_json
from tests.tasks.aa_scenario import (
    AGENT_SYSTEM,
    COMMIT,
    FACT,
    JUDGE_SYSTEM,
    SOURCE_LINE,
    hub_cache,
    write_lite,
)


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PERTASK_CACHE", str(tmp_path / "cache"))  # the workspaces built per suite version go here
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # no hub is reachable: only what the cache holds


def test_a_checkout_loads_with_the_files_prompts_and_limits_each_task_lists(cli, tmp_path):
    root = write_lite(tmp_path / "lite")
    suite = load_suite(str(root))
    assert [t.id for t in suite.tasks] == ["w1_t1", "w1_t2"] and not suite.errors
    t1, t2 = suite.tasks
    assert [rel for rel, _ in t1.workspace_files()] == [
        "shared/email/2026-05-04_cfo.eml", "shared/slack/deal/2026-05-05.json", "week/meeting_notes.md"]
    assert [rel for rel, _ in t2.workspace_files()] == ["week/meeting_notes.md"]  # only what its row mounts
    # The suite's own task prompt, filled: its id, the brief, the deliverables; the overview follows.
    assert t1.instruction.startswith("TASK w1_t1\n\nWrite the market note")
    assert "Deliver: market_note.md in /home/user." in t1.instruction and "bakery chain" in t1.instruction
    assert t1.prompts == {"agent_system": AGENT_SYSTEM, "judge_system": JUDGE_SYSTEM,
                          "judge_user": (root / "prompts" / "judge_user_prompt.md").read_text()}
    assert (t1.workdir, t1.finish_tools, t1.config.limits.max_turns) == ("/home/user", True, 500)
    assert not t1.dir.is_relative_to(root), "the workspace is built in pertask's cache, never in the checkout"
    code, printed, err = cli("tasks", "list", "--suite", root)
    assert code == 0 and "w1_t2" in printed and "deliverables" in printed, err
    # The judge: the task's own items of the suite's checks.jsonl, asked in the suite's own words, shown the
    # deliverable each item names and nothing else.
    checks = task_checks(t1)
    assert [c.check_id for c in checks] == ["W1-T1-A-01", "W1-T1-C-01", "W1-T1-P-01"]
    system, user = check_prompt(t1.instruction, checks[0], {"market_note.md": FACT, "scratch.md": "draft"}, t1.prompts)
    assert system["content"] == JUDGE_SYSTEM and user["content"].startswith("Item W1-T1-A-01: The wholesale share")
    assert FACT in user["content"] and "scratch.md" not in user["content"]
    # No reference deliverables are published: `tasks check` proves what it can (doing nothing fails) and says so.
    code, printed, err = cli("tasks", "check", "--suite", root)
    assert code == 0 and "2 ok" in printed and "no reference solution (w1_t1, w1_t2)" in err, (printed, err)


@pytest.mark.parametrize("files", [
    {"input_files": ["source_files/shared/email/2026-05-04_cfo.eml", "week/meeting_notes.md"]},
    {"mounted_files": {"shared": ["email/2026-05-04_cfo.eml"], "week": ["meeting_notes.md"]}},
])
def test_the_mounted_files_may_be_given_together(tmp_path, files):
    row = {"task_id": "w1_t1", "brief": "tasks/w1_t1.md", "deliverables": "market_note.md", **files}
    (task,) = load_suite(str(write_lite(tmp_path / "lite", rows=[row]))).tasks
    assert [rel for rel, _ in task.workspace_files()] == ["shared/email/2026-05-04_cfo.eml", "week/meeting_notes.md"]


def test_a_prompt_that_links_out_of_the_dataset_stops_the_load(cli, tmp_path):
    root = write_lite(tmp_path / "lite")
    (root / "prompts" / "agent_system_prompt.md").unlink()
    (root / "prompts" / "agent_system_prompt.md").symlink_to("/etc/passwd")
    code, printed, err = cli("tasks", "list", "--suite", root)
    assert code == 2 and "a link out of the dataset" in err and "root:" not in printed + err, err


def test_the_promised_stack_is_checked_as_the_sandbox_sees_it(tmp_path):
    task = load_suite(str(write_lite(tmp_path / "lite"))).tasks[0]
    assert "python:pptx" in task.stack and "command:soffice" in task.stack  # what AA's prompt promises
    task.stack = ["python:json", "python:no_such_module_here", "command:sh", "command:no-such-command-here"]
    assert missing_stack([task]) == ["no_such_module_here", "no-such-command-here"]


@pytest.mark.parametrize(("row", "field"), [
    ({"task_id": "w1_t3", "deliverables": []}, "deliverables"),
    ({"task_id": "w1_t3", "brief": "tasks/w1_t2.md", "deliverables": ["x.md"], "shared_files": ["../../../etc/passwd"]},
     "shared_files"),
    ({"task_id": "w1_t3", "brief": "tasks/w1_t2.md", "deliverables": ["x.md"], "week_files": ["week/missing.md"]},
     "week_files"),
    ({"task_id": "w1_t3", "deliverables": ["x.md"]}, "brief"),  # no brief given, and none at tasks/w1_t3.md
    ({"task_id": "w1_t1", "deliverables": ["x.md"]}, "task_id"),  # the id of the first row again
    # A checkout's link to a host file would copy it into the workspace: refused, named.
    ({"task_id": "w1_t3", "brief": "tasks/w1_t2.md", "deliverables": ["x.md"], "shared_files": ["shared/passwd"]},
     "shared_files"),
    # Nor may a row's brief or overview path read a host file into the agent's prompt.
    ({"task_id": "w1_t3", "brief": "../../../../../../etc/passwd", "deliverables": ["x.md"]}, "brief"),
    ({"task_id": "w1_t3", "brief": "tasks/w1_t2.md", "deliverables": ["x.md"], "overviews": ["/etc/passwd"]},
     "overviews"),
    ({"task_id": "w1 t3", "deliverables": ["x.md"]}, "task_id"),
])
def test_a_malformed_row_names_its_file_line_and_field(cli, tmp_path, row, field):
    root = write_lite(tmp_path / "lite")
    (root / "source_files" / "shared" / "passwd").symlink_to("/etc/passwd")
    with (root / "tasks.jsonl").open("a") as f:
        f.write(json.dumps(row) + "\n")
    code, printed, err = cli("tasks", "list", "--suite", root)
    problem = err if code else printed + err  # a row that loads no further is said, the others listed
    assert f"tasks.jsonl:3: field '{field}'" in problem, (code, printed, err)


def test_a_dataset_by_name_comes_through_huggingface_hub_from_the_cache(cli, tmp_path):
    hub_cache(tmp_path / "cache" / "hub")
    code, printed, err = cli("tasks", "list", "--suite", "hf:acme/briefcase-lite")
    assert code == 0 and printed.startswith("briefcase-lite (version") and "w1_t1" in printed, err
    code, printed, _ = cli("tasks", "list", "--suite", f"hf:acme/briefcase-lite@{COMMIT}")
    assert code == 0 and "w1_t2" in printed
    code, _, err = cli("tasks", "list", "--suite", "hf:acme/not-fetched")
    assert code == 2 and "not in pertask's cache" in err and len(err.strip().splitlines()) == 1
    # The run records the exact revision it graded.
    run_json(cli, "run", "--suite", "hf:acme/briefcase-lite", "--model", "null", "--out", tmp_path / "run")
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text())
    assert manifest["suite_path"] == f"hf:acme/briefcase-lite@{COMMIT}" and manifest["suite"] == "briefcase-lite"


def agent_script(tmp_path):
    note = f"# Market note\n{FACT}. The CFO's 31% is superseded.\n"
    path = tmp_path / "agent.json"
    path.write_text(json.dumps({"model": "analyst", "conversations": [
        {"match": "TASK w1_t1", "turns": [
            {"tool_calls": [{"name": "bash", "arguments": {"command": "pwd; find . -type f | sort"}}]},
            {"tool_calls": [{"name": "write_file", "arguments": {"path": "/home/user/market_note.md", "content": note}}]},
            {"tool_calls": [{"name": "finish", "arguments": {"deliverables": ["/home/user/market_note.md"]}}]}]},
        {"match": "TASK w1_t2", "turns": [
            {"tool_calls": [{"name": "abandon", "arguments": {"reason": "no way to draw slides here"}}]}]}],
        "default": [{"content": "lost"}]}))
    return path


def judge_script(tmp_path, name: str):
    """Passes an item only when shown the fact in market_note.md under the suite's own template ("Submission:" is its
    word, not pertask's); says so if ever shown a source file's line. j-no fails everything."""
    shown = "Submission:\n### market_note.md\n```\n# Market note\n" + FACT
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps({"model": name, "conversations": [
        {"match": SOURCE_LINE, "turns": [{"content": json.dumps({"score": 1, "reasoning": "SAW A SOURCE FILE"})}]},
        {"match": shown, "turns": [{"content": json.dumps(
            {"score": int(name != "j-no"), "reasoning": f"{name}: the submission states 38%"})}]}],
        "default": [{"content": json.dumps({"score": 0, "reasoning": "not in the submission"})}]}))
    return path


def test_a_run_works_and_is_judged_as_aa_runs_it(cli, tmp_path):
    root = write_lite(tmp_path / "lite")
    judges = [a for n in ("j1", "j2") for a in ("--judge", f"scripted:{judge_script(tmp_path, n)}")]
    out = tmp_path / "run"
    code, _, err = cli("run", "--suite", root, "--model", f"scripted:{agent_script(tmp_path)}", "--model", "null",
                       "--out", out, *judges, "--json")
    assert code == 0, err
    # The tools AA's prompt promises are looked for before the run; what this machine lacks is said, once.
    lacking = missing_stack(load_suite(str(root)).tasks)
    assert ("promise tools this machine's sandbox lacks" in err) == bool(lacking)
    assert all(name in err for name in lacking)
    got = {(s["model"].split(":")[0], s["task_id"]): s for s in load_samples(out)}
    done, gave_up = got[("scripted", "w1_t1")], got[("scripted", "w1_t2")]
    t = json.loads((out / done["transcript"]).read_text())
    assert t["messages"][0]["content"] == AGENT_SYSTEM  # AA's system prompt, as written
    listing = t["messages"][3]["content"]
    assert listing.splitlines()[1:3] == ["/home/user", "./shared/email/2026-05-04_cfo.eml"], listing
    assert "unrelated.csv" not in listing and "submissions" not in listing and "checks" not in listing
    assert done["score"] == 1.0 and done["passed"]  # the deliverable is there
    verdicts = [(c["check_id"], c["passed"]) for c in done["judge"]["checks"]]
    assert verdicts == [("W1-T1-A-01", True), ("W1-T1-C-01", True)]  # the binary items only; the pairwise is not
    assert done["judge"]["score"] == 1.0 and "SAW" not in json.dumps(done["judge"])
    # Abandoned: the model's doing, scored 0 with its reason; nothing graded, no judge paid.
    assert gave_up["score"] == 0.0 and gave_up["error"] == "none" and gave_up["judge"] is None
    assert gave_up["error_detail"] == "abandoned by the model: no way to draw slides here"
    nothing = got[("null", "w1_t1")]
    assert nothing["score"] == 0.0 and nothing["judge"]["score"] == 0.0  # no deliverable: every item fails
    # The report gives the rubric pass rate with its interval over tasks, where two or more tasks were judged.
    report = {m["model"].split(":")[0]: m["judge"] for m in run_json(cli, "report", out)["models"]}
    assert report["null"]["mean_score"] == 0.0 and report["null"]["score_ci"] == [0.0, 0.0]
    assert report["scripted"]["mean_score"] == 1.0 and report["scripted"]["score_ci"] is None  # one task judged


def test_the_published_submissions_are_graded_with_the_suites_judge_prompts(cli, tmp_path):
    root = write_lite(tmp_path / "lite")
    judges = [a for n in ("j1", "j2", "j-no") for a in ("--judge", f"scripted:{judge_script(tmp_path, n)}")]
    code, printed, err = cli("grade", root, *judges, "--panel", "majority", "--json")  # its own submissions/
    assert code == 0, err
    out = json.loads(printed)
    assert out["models"] == ["GLM-5.2", "claude-opus-4-8"]
    rubric = {m: r["pass_rate"] for m, r in out["rubric"].items()}
    assert rubric["claude-opus-4-8"] > rubric["GLM-5.2"] == 0.0, rubric
    assert "SAW A SOURCE" not in printed
    # AA's own Elo for those models is put beside, as theirs (the claims file), never mixed with what was measured.
    (claim,) = out["pairwise"]["published"]
    assert claim["id"] == "aa-briefcase-elo" and claim["figures"] == {"GLM-5.2": 1266, "claude-opus-4-8": 1356}
    code, printed, err = cli("grade", root, *judges)
    assert "published, not measured here: GLM-5.2 1266, claude-opus-4-8 1356 (Artificial Analysis" in printed


def test_a_pdf_deliverables_pages_reach_a_judge_that_takes_images(cli, tmp_path):
    root = write_lite(tmp_path / "lite")
    with (root / "checks.jsonl").open("a") as f:
        f.write(json.dumps({"check_id": "W1-T1-P-09", "task_id": "w1_t1", "check_type": "A", "scoring_type": "binary",
                            "taskdoer_output_file": "market_overview.pdf",
                            "check_description": "The overview is a single page."}) + "\n")
    draw = ("python3 -c \"from fpdf import FPDF; d = FPDF(); d.add_page(); d.set_font('Helvetica', size=12); "
            "d.cell(text='Wholesale 38%'); d.output('market_overview.pdf')\"")
    agent = tmp_path / "agent.json"
    agent.write_text(json.dumps({"model": "analyst", "conversations": [{"match": "TASK w1_t1", "turns": [
        {"tool_calls": [{"name": "bash", "arguments": {"command": draw}}]},
        {"tool_calls": [{"name": "finish", "arguments": {"deliverables": ["market_overview.pdf"]}}]}]}],
        "default": [{"tool_calls": [{"name": "abandon", "arguments": {"reason": "not this one"}}]}]}))
    judge = tmp_path / "seer.json"  # passes only what it is shown as page images
    judge.write_text(json.dumps({"model": "seer", "images": True, "conversations": [
        {"match": "The first pages of market_overview.pdf follow as images.",
         "turns": [{"content": json.dumps({"score": 1, "reasoning": "one page"})}]}],
        "default": [{"content": json.dumps({"score": 0, "reasoning": "nothing drawn"})}]}))
    out = tmp_path / "run"
    run_json(cli, "run", "--suite", root, "--model", f"scripted:{agent}", "--out", out, "--task", "w1_t1",
             "--judge", f"scripted:{judge}#wire=anthropic")  # the Messages fake checks each image block
    (rec,) = load_samples(out)
    verdicts = {c["check_id"]: c["passed"] for c in rec["judge"]["checks"]}
    assert verdicts == {"W1-T1-A-01": False, "W1-T1-C-01": False, "W1-T1-P-09": True}, rec["judge"]
    assert json.loads((out / rec["transcript"]).read_text())["page_images"] == {"market_overview.pdf": 1}


def test_the_sources_are_read_only_to_the_agent(cli, tmp_path):
    root = write_lite(tmp_path / "lite")
    agent = tmp_path / "agent.json"
    tamper = "echo forged >> shared/email/2026-05-04_cfo.eml; echo shared=$?; echo mine > note.md; echo home=$?"
    agent.write_text(json.dumps({"model": "analyst", "conversations": [{"match": "TASK w1_t1", "turns": [
        {"tool_calls": [{"name": "bash", "arguments": {"command": tamper}}]},
        {"tool_calls": [{"name": "write_file", "arguments": {"path": "week/meeting_notes.md", "content": "gone"}}]},
        {"tool_calls": [{"name": "finish", "arguments": {"deliverables": []}}]}]}],
        "default": [{"tool_calls": [{"name": "abandon", "arguments": {"reason": "not this one"}}]}]}))
    out = tmp_path / "run"
    run_json(cli, "run", "--suite", root, "--model", f"scripted:{agent}", "--out", out, "--task", "w1_t1")
    (rec,) = load_samples(out)
    messages = json.loads((out / rec["transcript"]).read_text())["messages"]
    said, wrote = messages[3]["content"], messages[5]["content"]
    assert "Read-only file system" in said and "shared=1" in said and "home=0" in said, said  # its own files: fine
    assert wrote.startswith("error:"), wrote  # the file tool too

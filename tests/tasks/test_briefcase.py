"""The generated briefcase suite (tasks/authoring/briefcase): the scale it promises, the same bytes on every build,
checks that read what they claim (the reference with one planted correction undone fails that very check), and
rubric checks in AA-Briefcase's form. Oracle 1.0 and null 0 on every task: tests/tasks/test_loader.py, with the
other built-in suites."""

from __future__ import annotations

import json
import re
import shutil

from tasks.authoring.briefcase import build
from tasks.loader import generated, load_suite
from tasks.model import digest_dir
from tasks.rubric import load_checks

TEXT = {".json", ".eml", ".md", ".csv"}  # what counts as source tokens here: office files and PDFs excluded


def test_each_scenario_has_the_scale_of_a_briefcase_scenario():
    suite = load_suite("briefcase")
    assert not suite.errors and suite.name == "briefcase"
    scenarios = sorted({t.id.split("-")[0] for t in suite.tasks})
    assert len(scenarios) >= 3 and len(suite.tasks) >= 24
    for sc in scenarios:
        tasks = [t for t in suite.tasks if t.id.startswith(sc + "-")]
        assert len(tasks) >= 8
        weeks = sorted(int(t.config.tags[2].removeprefix("week-")) for t in tasks)
        assert weeks == list(range(1, 9))
        assert {t.config.tags[-1] for t in tasks} == {"xlsx", "docx", "pptx", "pdf"}
        files = max((t.workspace_files() for t in tasks), key=len)  # the last week sees every week's sources
        assert len(files) >= 400
        kinds = {p.suffix for _, p in files}
        assert kinds >= {".json", ".eml", ".pdf", ".docx", ".xlsx", ".csv", ".md"}
        text_bytes = sum(p.stat().st_size for _, p in files if p.suffix in TEXT)
        assert text_bytes / 4 >= 1_000_000, f"{sc}: {text_bytes / 4:.0f} tokens of text sources"
        # Weeks build on each other: week k's task sees weeks 1..k and nothing later.
        first = next(t for t in tasks if "week-1" in t.config.tags)
        assert {rel.split("/")[0] for rel, _ in first.workspace_files()} == {"shared", "week-01"}


def test_the_suite_is_the_same_bytes_on_every_build(tmp_path):
    build(tmp_path / "again")
    (tmp_path / "again" / ".built").touch()
    assert digest_dir(tmp_path / "again") == digest_dir(generated("briefcase"))


def _flip(text: str, right, raw) -> tuple[str, int]:
    """Every spelling of the right figure in a reference solution replaced by the careless one."""
    if isinstance(right, str):
        return text.replace(right, raw), text.count(right)
    n_total = 0
    for fmt in (json.dumps, "{:.2f}".format, "{:.1f}".format):
        pattern = r"(?<![\d.])" + re.escape(fmt(right)) + r"(?![\d])"
        text, n = re.subn(pattern, fmt(raw), text)
        n_total += n
    return text, n_total


def test_a_reference_with_a_correction_undone_fails_the_check_for_it(tmp_path, cli):
    """Each task's first trap (a superseded figure, estimate, price, rule or date) put back into its reference
    deliverable: `tasks check` says the oracle no longer passes, and names that trap's check among the failing."""
    suite = tmp_path / "flipped"
    shutil.copytree(generated("briefcase"), suite)
    expect = {}
    for task in sorted(p for p in suite.iterdir() if p.is_dir() and not p.name.startswith("_")):
        trap = json.loads((task / "grader" / "traps.json").read_text())[0]
        solve = task / "solution" / "solve.sh"
        text, n = _flip(solve.read_text(), trap["right"], trap["raw"])
        assert n >= 1, f"{task.name}: {trap['right']!r} is not in its reference"
        solve.write_text(text)
        expect[task.name] = re.sub(r"[^a-z0-9]", "_", trap["check"].lower())
    code, out, err = cli("tasks", "check", "--suite", suite)
    assert code == 1
    assert "24 grader problem(s)" in out
    for tid, check in expect.items():
        line = next(ln for ln in err.splitlines() if f"/{tid}: the reference solution scores" in ln)
        failing = line.split("failing: ", 1)[1]
        assert re.search(rf"check_\d\d_{check}\b", failing), f"{tid}: {check} not among {failing}"
        score = float(line.split("scores ", 1)[1].split()[0])
        assert 0 < score < 1  # partial credit: the other facts still hold


def test_every_task_ships_rubric_checks_in_aa_briefcases_form():
    suite = load_suite("briefcase")
    for task in suite.tasks:
        checks = load_checks(task.grader_dir / "checks.jsonl")
        assert {c.task_id for c in checks} == {task.id}
        binary = [c for c in checks if c.binary]
        assert len(binary) >= 3 and {c.check_type.value for c in binary} >= {"A", "C"}
        assert {c.check_type.value for c in checks if not c.binary} == {"AQ", "P"}
        deliverable = json.loads((task.grader_dir / "checks.py").read_text().split("EXPECTED = json.loads(r'''")[1]
                                 .split("''')")[0])[0]["file"]
        assert {c.taskdoer_output_file for c in checks} == {deliverable.rsplit("/", 1)[-1]}


def test_a_judge_panel_grades_a_briefcase_task_by_its_rubric_on_the_deliverable_alone(tmp_path, cli):
    """The same suite under a judge, as published benchmarks run: each binary check of the task's checks.jsonl is
    judged on the deliverable it names (the .docx, rendered), never a source file, and billed as the judge's."""
    task = "northwind-w2-incident"
    src, suite = generated("briefcase"), tmp_path / "suite"
    for name in (task, "_bases/northwind-shared", "_bases/northwind-w01", "_bases/northwind-w02"):
        shutil.copytree(src / name, suite / name)
    owner = json.loads((suite / task / "grader" / "checks.py").read_text().split("EXPECTED = json.loads(r'''")[1]
                       .split("''')")[0])[-2]["value"]  # the action's owner, as the memo must name them
    verdict = {"score": 1, "reasoning": "the memo states it"}
    script = tmp_path / "judge.json"
    script.write_text(json.dumps({"model": "j", "bill": {"input": 1.0, "output": 2.0}, "conversations": [
        {"match": "Early count of", "turns": [{"content": json.dumps({"score": 1, "reasoning": "SAW A SOURCE"})}]},
        {"match": owner, "turns": [{"content": json.dumps(verdict)}]}],
        "default": [{"content": json.dumps({"score": 0, "reasoning": "not shown"})}]}))
    prices = tmp_path / "prices.toml"
    prices.write_text('[[price]]\nprovider = "scripted"\nmodel = "j"\ninput = 1.0\noutput = 2.0\n')
    code, out, err = cli("run", "--suite", suite, "--model", "oracle", "--judge", f"scripted:{script}",
                         "--out", tmp_path / "run", "--prices", prices, "--json")
    assert code == 0, err
    (rec,) = [json.loads(x) for x in (tmp_path / "run" / "samples.jsonl").read_text().splitlines()]
    assert rec["passed"] is True and rec["score"] == 1.0  # the deterministic checks decide pass and score
    checks = rec["judge"]["checks"]
    binary = [c for c in load_checks(suite / task / "grader" / "checks.jsonl") if c.binary]
    assert [c["check_id"] for c in checks] == [c.check_id for c in binary]
    assert all(c["passed"] and c["reasons"] == "the memo states it" for c in checks), checks
    assert rec["judge"]["score"] == 1.0 and rec["judge"]["usd"] > 0 and rec["usd"] == 0  # the judge's, not the model's

"""Malformed task files: one error naming the file and the field; the other tasks still load."""

from __future__ import annotations

import shutil

import pytest

from tasks import load_suite
from tasks.loader import SUITES_ROOT
from tests.conftest import load_samples


@pytest.fixture
def suite(tmp_path):
    root = tmp_path / "mysuite"
    shutil.copytree(SUITES_ROOT / "smoke", root)
    return root


@pytest.mark.parametrize("break_it,file,field", [
    (lambda d: (d / "instruction.md").unlink(), "instruction.md", "instruction.md"),
    (lambda d: (d / "task.toml").write_text("id = [broken"), "task.toml", "(syntax)"),
    (lambda d: shutil.rmtree(d / "grader"), "grader", "grader/"),
    (lambda d: (d / "task.toml").write_text((d / "task.toml").read_text().replace('"coding"', '"poetry"')),
     "task.toml", "kind"),
    (lambda d: (d / "task.toml").write_text((d / "task.toml").read_text().replace('"pytest"', '"vibes"')),
     "task.toml", "grader.type"),
    (lambda d: (d / "task.toml").write_text("colour = 1\n" + (d / "task.toml").read_text()), "task.toml", "colour"),
])
def test_each_malformed_field_is_named(suite, break_it, file, field):
    break_it(suite / "fix-median")
    s = load_suite(str(suite))
    assert len(s.errors) == 1 and len(s.tasks) == 4
    msg = str(s.errors[0])
    assert f"fix-median/{file}" in msg and f"field '{field}'" in msg


def test_tasks_check_lists_broken_tasks_and_run_skips_them(suite, cli, tmp_path):
    (suite / "fix-median" / "instruction.md").write_text("")
    code, out, err = cli("tasks", "check", "--suite", suite)
    assert code == 1 and "4 ok, 1 broken" in out and "instruction.md" in err
    code, _, _ = cli("tasks", "check", "--suite", suite, "--skip-broken")
    assert code == 0, "the user accepts the broken one: the rest pass"
    # A run stops at a broken task, with its file and field, before anything is paid for; --skip-broken runs the rest.
    code, out, err = cli("run", "--suite", suite, "--model", "oracle", "--out", tmp_path / "r0")
    assert code == 2 and "1 broken task(s)" in err and "instruction.md" in err and "--skip-broken" in err, err
    assert not (tmp_path / "r0").exists()
    code, out, err = cli("run", "--suite", suite, "--model", "oracle", "--out", tmp_path / "r", "--json",
                         "--skip-broken")
    assert code == 0 and "skipping broken task" in err
    assert '"n_tasks": 4' in out
    # The report says what was left out, and why, beside the figures (terminal, Markdown, HTML).
    md, page = tmp_path / "r.md", tmp_path / "r.html"
    code, out, _ = cli("report", tmp_path / "r", "--markdown", md, "--html", page)
    assert code == 0 and "skipped as broken (1" in out and "fix-median/instruction.md" in out, out
    assert "Skipped as broken (1" in md.read_text() and "fix-median/instruction.md" in md.read_text()
    assert "<h2>Skipped as broken</h2>" in page.read_text() and "fix-median/instruction.md" in page.read_text()


def test_suite_version_is_a_content_hash(suite):
    v1 = load_suite(str(suite)).version
    (suite / "fix-median" / "workspace" / "README.md").write_text("changed")
    assert load_suite(str(suite)).version != v1


def test_tasks_check_runs_the_oracle_and_null(suite, cli):
    # A reference solution that does not solve its task, and a grader that passes on no work.
    (suite / "fix-median" / "solution" / "files" / "stats" / "core.py").write_text(
        (SUITES_ROOT / "smoke" / "fix-median" / "workspace" / "stats" / "core.py").read_text())
    (suite / "add-slugify" / "grader" / "test_slugify.py").write_text("def test_nothing():\n    pass\n")
    code, out, err = cli("tasks", "check", "--suite", suite)
    assert code == 1
    assert "fix-median: the reference solution scores" in err and "test_even_length" in err
    assert "add-slugify: doing nothing passes the grader" in err
    assert "3 ok, 0 broken, 2 grader problem(s)" in out


def test_builtin_suites_pass_their_own_check(cli):
    code, out, err = cli("tasks", "check")
    assert code == 0, err
    assert "smoke: 5 ok, 0 broken, 0 grader problem(s)" in out
    assert "coding: 24 ok, 0 broken, 0 grader problem(s)" in out
    assert "documents: 16 ok, 0 broken, 0 grader problem(s)" in out
    assert "briefcase: 24 ok, 0 broken, 0 grader problem(s)" in out


@pytest.fixture
def coding(tmp_path):
    """Two tasks of the coding suite and the shared code base they are built on."""
    root = tmp_path / "coding"
    for name in ("_bases/tabula", "tabula-mean-empty", "tabula-join"):
        shutil.copytree(SUITES_ROOT / "coding" / name, root / name)
    return root


def test_workspace_is_the_base_with_the_task_laid_over_it(coding):
    task = next(t for t in load_suite(str(coding)).tasks if t.id == "tabula-mean-empty")
    files = dict(task.workspace_files())
    assert "tabula/pipeline.py" in files and files["tabula/pipeline.py"].is_relative_to(coding / "_bases")
    overlay = files["tabula/transforms/aggregate.py"]
    assert overlay == coding / "tabula-mean-empty" / "workspace" / "tabula" / "transforms" / "aggregate.py"


def test_a_missing_base_names_the_field(coding):
    toml = coding / "tabula-join" / "task.toml"
    toml.write_text(toml.read_text().replace('base = "tabula"', 'base = "nosuch"'))
    s = load_suite(str(coding))
    assert len(s.tasks) == 1 and "tabula-join/task.toml: field 'base'" in str(s.errors[0])


def test_editing_the_base_changes_the_task_digest(coding):
    before = {t.id: t.digest for t in load_suite(str(coding)).tasks}
    (coding / "_bases" / "tabula" / "README.md").write_text("changed")
    after = {t.id: t.digest for t in load_suite(str(coding)).tasks}
    assert all(before[k] != after[k] for k in before)


def test_coding_tasks_run_on_their_base_end_to_end(coding, cli, tmp_path):
    code, out, err = cli("run", "--suite", coding, "--model", "oracle", "--model", "null",
                         "--out", tmp_path / "r", "--json")
    assert code == 0, err
    by = {(r["model"], r["task_id"]): r for r in load_samples(tmp_path / "r")}
    assert by["oracle", "tabula-join"]["passed"] and by["oracle", "tabula-mean-empty"]["score"] == 1.0
    assert not by["null", "tabula-join"]["passed"] and not by["null", "tabula-mean-empty"]["passed"]


def test_committed_suites_match_their_generators():
    from tasks.authoring import coding, documents

    assert coding.main(["--check"]) == 0
    assert documents.main(["--check"]) == 0


def test_document_piles_are_messy_enough():
    """20-300 files a task, with mail, spreadsheets, Word and PDF files among them."""
    suite = load_suite("documents")
    assert len(suite.tasks) >= 16
    kinds = set()
    for task in suite.tasks:
        files = [p for _, p in task.workspace_files()]
        assert 20 <= len(files) <= 300, (task.id, len(files))
        kinds |= {p.suffix for p in files}
    assert {".eml", ".csv", ".xlsx", ".docx", ".pdf", ".txt", ".md"} <= kinds


def test_tasks_list_shows_files_and_tokens(cli):
    code, out, err = cli("tasks", "list", "--suite", "coding")
    assert code == 0 and "coding (version" in out and "24 tasks" in out
    row = next(line for line in out.splitlines() if "tabula-join" in line).split()
    assert row[1:3] == ["coding", "hard"] and int(row[3]) >= 20 and int(row[4]) > 1000


def test_task_formats_are_looked_up_by_name(suite, cli, tmp_path):
    code, _, err = cli("tasks", "list", "--suite", suite, "--task-format", "tb2")
    assert code == 2 and "unknown task format 'tb2' (valid: aa-briefcase, gdpval, swebench, tb1, harbor, native)" in err
    # Forced, each folder is read as that format, and says what that format misses.
    code, out, err = cli("tasks", "check", "--suite", suite, "--task-format", "tb1")
    assert code == 1 and "0 ok, 5 broken" in out and "task.yaml" in err, (out, err)
    code, _, err = cli("tasks", "list", "--suite", suite, "--task-format", "swebench")
    assert code == 2 and "is not a swebench suite" in err
    code, out, _ = cli("tasks", "list", "--suite", suite, "--task-format", "native")
    assert code == 0 and "5 tasks" in out


def test_shards_share_a_suite_and_a_sample_is_the_same_draw_every_time(cli):
    """--shard I/N: N machines running 1/N .. N/N run every task once between them; --sample N: a seeded draw."""
    suite = load_suite("briefcase")
    ids = [t.id for t in suite.tasks]
    shards = [[t.id for t in suite.select(shard=f"{i}/5")] for i in range(1, 6)]
    assert sorted(sum(shards, [])) == sorted(ids) and all(shards)
    drawn = [t.id for t in suite.select(sample=6)]
    assert drawn == [t.id for t in suite.select(sample=6)] and len(drawn) == 6
    assert drawn == [i for i in ids if i in drawn], "in the suite's order"
    assert len({i.split("-w")[1] for i in drawn}) > 2, "not one week of each scenario, as a shard of 8 would be"
    code, out, _ = cli("tasks", "list", "--suite", "smoke", "--shard", "2/3")  # tasks check takes the same
    assert code == 0 and "smoke (version" in out and ", 2 tasks)" in out, out
    for bad in ("0/4", "5/4", "a/b", "1"):
        code, _, err = cli("run", "--suite", "smoke", "--model", "oracle", "--shard", bad)
        assert code == 2 and f"--shard {bad}: expected I/N" in err, err

"""Malformed task files: one error naming the file and the field; the other tasks still load."""

from __future__ import annotations

import shutil

import pytest

from tasks import load_suite
from tasks.loader import SUITES_ROOT


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
    code, out, err = cli("run", "--suite", suite, "--model", "oracle", "--out", tmp_path / "r", "--json")
    assert code == 0 and "skipping broken task" in err
    assert '"n_tasks": 4' in out


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

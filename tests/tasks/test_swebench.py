"""SWE-bench-style instances against a real local git repository made here."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tasks import load_suite
from tests.conftest import bash, call, load_samples, run_json


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", *args],
                          check=True, capture_output=True, text=True).stdout


@pytest.fixture
def instance_file(tmp_path) -> Path:
    repo = tmp_path / "calc"
    (repo / "calc").mkdir(parents=True)
    (repo / "tests").mkdir()
    (repo / "calc" / "__init__.py").write_text("")
    (repo / "calc" / "ops.py").write_text("def add(a, b):\n    return a + b\n\n\ndef clamp(x, lo, hi):\n"
                                          "    return max(lo, x)\n")
    # 600 more tests: pytest's report of them runs far past the model's 16,000-character view of a command's
    # output, and the grader must still read every status (it reads the whole log from a file).
    (repo / "tests" / "test_ops.py").write_text("import pytest\nfrom calc.ops import add\n\n\ndef test_add():\n"
                                                "    assert add(2, 3) == 5\n\n\n@pytest.mark.parametrize('i', range(600))\n"
                                                "def test_many(i):\n    assert add(i, 0) == i\n")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    base = git(repo, "rev-parse", "HEAD").strip()
    (repo / "calc" / "ops.py").write_text((repo / "calc" / "ops.py").read_text().replace(
        "return max(lo, x)", "return min(hi, max(lo, x))"))
    patch = git(repo, "diff")
    git(repo, "commit", "-qam", "the fix, later in history")
    git(repo, "checkout", "-q", base, "--", ".")
    (repo / "tests" / "test_ops.py").write_text((repo / "tests" / "test_ops.py").read_text().replace(
        "from calc.ops import add\n", "from calc.ops import add, clamp\n")
        + "\n\ndef test_clamp_high():\n    assert clamp(9, 0, 5) == 5\n")
    test_patch = git(repo, "diff")
    git(repo, "checkout", "-q", "HEAD", "--", ".")
    inst = {"instance_id": "calc__calc-1", "repo": str(repo), "base_commit": base, "patch": patch,
            "test_patch": test_patch, "problem_statement": "clamp(x, lo, hi) never caps at hi.",
            "FAIL_TO_PASS": json.dumps(["tests/test_ops.py::test_clamp_high"]),
            "PASS_TO_PASS": ["tests/test_ops.py::test_add", *(f"tests/test_ops.py::test_many[{i}]" for i in range(600))]}
    path = tmp_path / "instances.jsonl"
    bad = {**inst, "instance_id": "calc__calc-2", "repo": "nobody/nothing"}
    path.write_text(json.dumps(inst) + "\n" + json.dumps(bad) + "\n{oops\n")
    return path


def test_instances_load_with_errors_named(instance_file, monkeypatch, tmp_path):
    monkeypatch.setenv("PERTASK_CACHE", str(tmp_path / "cache"))
    suite = load_suite(str(instance_file))
    assert [t.id for t in suite.tasks] == ["calc__calc-1"] and suite.tasks[0].config.grader.type == "swebench"
    errors = [str(e) for e in suite.errors]
    assert any("line 2: repo" in e and "no local clone of nobody/nothing" in e for e in errors)
    assert any("line 3" in e and "not JSON" in e for e in errors)
    assert instance_file in suite.hidden, "the instance file holds the fix: hidden from the agent"


def test_oracle_resolves_and_null_does_not(instance_file, cli, monkeypatch, tmp_path):
    monkeypatch.setenv("PERTASK_CACHE", str(tmp_path / "cache"))
    out = tmp_path / "run"
    run_json(cli, "run", "--suite", instance_file, "--model", "oracle", "--model", "null", "--out", out,
             "--skip-broken")
    got = {s["model"]: s for s in load_samples(out)}
    assert got["oracle"]["passed"] is True and got["oracle"]["score"] == 1.0
    # Not resolved scores 0, as in SWE-bench; PASS_TO_PASS still passes, FAIL_TO_PASS fails
    assert got["null"]["passed"] is False and got["null"]["score"] == 0.0
    messages = [c["message"] for c in got["null"]["grader"]["checks"]]
    assert messages == ["FAIL_TO_PASS: FAILED"] + ["PASS_TO_PASS: PASSED"] * 601


def test_agent_sees_the_base_commit_only_and_cannot_game_the_tests(instance_file, cli, monkeypatch, tmp_path,
                                                                   write_script):
    monkeypatch.setenv("PERTASK_CACHE", str(tmp_path / "cache"))
    repo = json.loads(instance_file.read_text().splitlines()[0])["repo"]
    script = {"model": "m", "default": [
        {"tool_calls": [bash(f"git log --oneline | wc -l; ls {repo} 2>/dev/null | wc -l; cat {instance_file} 2>/dev/null | wc -c")]},
        # overwrite the tests so they pass trivially: grading must restore them first
        {"tool_calls": [call("write_file", path="tests/test_ops.py", content="def test_clamp_high():\n    pass\n")]},
        {"tool_calls": [call("submit")]}]}
    out = tmp_path / "run"
    run_json(cli, "run", "--suite", instance_file, "--model", f"scripted:{write_script(script)}", "--out", out,
             "--skip-broken")
    (s,) = load_samples(out)
    first = json.loads((out / s["transcript"]).read_text())["messages"][3]["content"].split()
    assert first[3:6] == ["1", "0", "0"], "one commit of history; the repo and the instance file are hidden"
    assert s["passed"] is False


def test_a_workspace_that_breaks_grading_is_the_models_failure_not_infra(instance_file, cli, monkeypatch, tmp_path,
                                                                        write_script):
    """With its history and tests deleted, the instance's test_patch cannot apply: grading gives no verdict. The
    control (grading the task's pristine workspace) does apply it, so the failure is the model's: scored 0, never
    an unscored infra sample that a resume would run again."""
    monkeypatch.setenv("PERTASK_CACHE", str(tmp_path / "cache"))
    script = {"model": "m", "default": [{"tool_calls": [bash("rm -rf .git tests")]}, {"tool_calls": [call("submit")]}]}
    out = tmp_path / "run"
    run_json(cli, "run", "--suite", instance_file, "--model", f"scripted:{write_script(script)}", "--out", out,
             "--skip-broken")
    (s,) = load_samples(out)
    assert (s["error"], s["score"], s["passed"]) == ("none", 0.0, False), s["error_detail"]
    assert "test_patch does not apply" in s["error_detail"] and "pristine workspace" in s["error_detail"]
    controls = json.loads((out / "controls.json").read_text())
    assert list(controls.values()) == [{"failure": ""}]  # graded once, kept for a resume


def test_an_instance_whose_tests_never_apply_is_infra_proven_by_the_control(instance_file, cli, monkeypatch, tmp_path):
    monkeypatch.setenv("PERTASK_CACHE", str(tmp_path / "cache"))
    inst = json.loads(instance_file.read_text().splitlines()[0])
    inst["test_patch"] = inst["test_patch"].replace("from calc.ops import add\n", "from calc.ops import nothing\n")
    broken = tmp_path / "broken.jsonl"
    broken.write_text(json.dumps(inst) + "\n")
    out = tmp_path / "run"
    code, _, err = cli("run", "--suite", broken, "--model", "null", "--out", out)
    assert code != 0 and "infra" in err  # not a result: the run says it is incomplete
    (s,) = load_samples(out)
    assert s["error"] == "infra" and s["score"] is None, s["error_detail"]
    assert "the task's pristine workspace fails too" in s["error_detail"]

"""SWE-bench instances in their own images, on real podman, through the CLI: a task repo in the
swebench package's own layout (sweb.yaml, tasks/ID/ with its Dockerfile and eval.sh) is built once and
graded as swebench grades it — the agent's patch applied to a fresh container of the image, the
instance's eval script run there, its log read by swebench's parser. No registry is reachable here,
so FROM python:3.11-slim is substituted with the locally built Debian base; the same instance as a
dataset row naming a published image is run by substituting that name with the built image."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from harness.sandboxes.images import BASE_IMAGE
from tasks import load_suite
from tests.conftest import bash, call, load_samples, run_json

SUB = ["--substitute-image", f"python:3.11-slim={BASE_IMAGE}"]
IID = "demo__calc-1"
# Fixed names and dates: the image's commit is the same commit as the one made here, so its hash is known.
GIT_ENV = {"GIT_AUTHOR_NAME": "swe", "GIT_AUTHOR_EMAIL": "swe@bench", "GIT_AUTHOR_DATE": "1700000000 +0000",
           "GIT_COMMITTER_NAME": "swe", "GIT_COMMITTER_EMAIL": "swe@bench", "GIT_COMMITTER_DATE": "1700000000 +0000"}
DOCKERFILE = f"""FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends git patch && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir 'pytest>=8,<9'
COPY repo /testbed
WORKDIR /testbed
ENV PYTHONPATH=/testbed
RUN git init -q && git add -A && {' '.join(f'{k}="{v}"' for k, v in GIT_ENV.items())} git commit -qm base
# As an image cloned from upstream has it: the fix later in the history, on a branch and a tag.
RUN git checkout -q -b upstream && sed -i 's/return max(lo, x)/return min(hi, max(lo, x))/' calc/ops.py \
    && git -c user.name=u -c user.email=u@u commit -qam fix && git tag v2 && git checkout -q -
"""
OPS = "def add(a, b):\n    return a + b\n\n\ndef clamp(x, lo, hi):\n    return max(lo, x)\n"
FIXED = OPS.replace("return max(lo, x)", "return min(hi, max(lo, x))")
TESTS = "from calc.ops import add\n\n\ndef test_add():\n    assert add(2, 3) == 5\n"
NEW_TESTS = TESTS.replace("import add", "import add, clamp") + "\n\ndef test_clamp_high():\n    assert clamp(9, 0, 5) == 5\n"


def _git(repo: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env).stdout


def _repo(root: Path) -> tuple[str, str, str]:
    """The repository as the image holds it: (base commit, gold patch, test patch)."""
    (root / "calc").mkdir(parents=True)
    (root / "tests").mkdir()
    (root / "calc" / "__init__.py").write_text("")
    (root / "calc" / "ops.py").write_text(OPS)
    (root / "tests" / "test_ops.py").write_text(TESTS)
    probe = root.parent / "probe"
    subprocess.run(["cp", "-r", str(root), str(probe)], check=True)
    _git(probe, "init", "-q")
    _git(probe, "add", "-A")
    _git(probe, "commit", "-qm", "base")
    base = _git(probe, "rev-parse", "HEAD").strip()
    (probe / "calc" / "ops.py").write_text(FIXED)
    gold = _git(probe, "diff")
    _git(probe, "checkout", "-q", "--", ".")
    (probe / "tests" / "test_ops.py").write_text(NEW_TESTS)
    test_patch = _git(probe, "diff")
    return base, gold, test_patch


def _eval_sh(base: str, test_patch: str) -> str:
    # The shape of the scripts swebench ships: reset the test files, apply the test patch, markers around
    # the test command, reset again.
    return (f"#!/bin/bash\nset -uxo pipefail\ncd /testbed\ngit checkout {base} tests/test_ops.py\n"
            f"git apply -v - <<'EOF_114329324912'\n{test_patch}EOF_114329324912\n"
            ": '>>>>> Start Test Output'\npytest -rA tests/test_ops.py\n: '>>>>> End Test Output'\n"
            f"git checkout {base} tests/test_ops.py\n")


@pytest.fixture(scope="module")
def task_repo(tmp_path_factory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("swebrepo")
    d = root / "tasks" / IID
    base, gold, test_patch = _repo(d / "repo")
    (root / "sweb.yaml").write_text("datasets: [demo]\nsplits: [test]\n")
    meta = {"instance_id": IID, "repo": "demo/calc", "base_commit": base, "version": "0.1", "split": "test",
            "datasets": ["demo"], "log_parser": "parse_log_pytest", "eval_type": "pass_and_fail"}
    (d / "task.yaml").write_text(json.dumps(meta))  # JSON is YAML
    (d / "tests.json").write_text(json.dumps({"FAIL_TO_PASS": ["tests/test_ops.py::test_clamp_high"],
                                              "PASS_TO_PASS": ["tests/test_ops.py::test_add"]}))
    (d / "problem_statement.md").write_text("clamp(x, lo, hi) never caps at hi.\n")
    (d / "gold.patch").write_text(gold)
    (d / "test.patch").write_text(test_patch)
    (d / "eval.sh").write_text(_eval_sh(base, test_patch))
    (d / "Dockerfile").write_text(DOCKERFILE)
    inst = {**meta, "patch": gold, "test_patch": test_patch, "problem_statement": "clamp never caps at hi.",
            "FAIL_TO_PASS": json.dumps(["tests/test_ops.py::test_clamp_high"]),
            "PASS_TO_PASS": json.dumps(["tests/test_ops.py::test_add"]), "eval_script": _eval_sh(base, test_patch)}
    return root, inst


# The fix is later in the image's history: the agent looks for it in every ref and every object.
LOOK_AHEAD = ("git log --all --oneline | wc -l; git tag | wc -l; "
              "git cat-file --batch-all-objects --batch 2>/dev/null | grep -c 'min(hi'")
# The agent is root in its container: it replaces pytest with a script that reports every test passed, and
# changes nothing that fixes the bug. A fresh container of the image grades the patch, so the fake pytest is not there.
FAKE_PYTEST = ("printf '#!/bin/sh\\necho PASSED tests/test_ops.py::test_clamp_high\\n"
               "echo PASSED tests/test_ops.py::test_add\\n' > /usr/local/bin/pytest; chmod +x /usr/local/bin/pytest; "
               "pytest -rA | head -1; echo '# looked into it' >> calc/ops.py")


def test_instance_image_is_built_and_graded_as_swebench_grades_it(task_repo, cli, tmp_path, write_script,
                                                                  monkeypatch):
    monkeypatch.setenv("PERTASK_CACHE", str(tmp_path / "cache"))
    root, _ = task_repo
    cheat = write_script({"model": "m", "default": [{"tool_calls": [bash(LOOK_AHEAD)]}, {"tool_calls": [bash(FAKE_PYTEST)]},
                                                   {"tool_calls": [call("submit")]}]})
    out = tmp_path / "run"
    run_json(cli, "run", "--suite", root, "--model", "oracle", "--model", "null", "--model", f"scripted:{cheat}",
             "--out", out, *SUB)
    got = {s["model"].split(":")[0]: s for s in load_samples(out)}
    oracle, null, cheater = got["oracle"], got["null"], got["scripted"]
    assert oracle["score"] == 1.0 and oracle["passed"] is True, oracle["grader"]
    assert [c["message"] for c in oracle["grader"]["checks"]] == ["FAIL_TO_PASS: PASSED", "PASS_TO_PASS: PASSED"]
    assert null["score"] == 0.0 and "empty patch" in null["grader"]["detail"]
    kept = json.loads((out / oracle["transcript"]).read_text())
    log = (out / kept["grading_files"] / "test_output.txt").read_text()
    assert "PASSED tests/test_ops.py::test_clamp_high" in log and log == kept["grader_output"]
    assert "min(hi, max(lo, x))" in (out / kept["grading_files"] / "patch.diff").read_text()
    transcript = json.loads((out / cheater["transcript"]).read_text())
    looked = next(m["content"] for m in transcript["messages"] if m["role"] == "tool")
    assert looked.split()[-3:] == ["1", "0", "0"], f"one commit, no tag, no object holding the fix: {looked}"
    assert "PASSED tests/test_ops.py::test_clamp_high" in json.dumps(transcript["messages"]), "the fake ran"
    assert cheater["score"] == 0.0, cheater["grader"]
    assert [c["message"] for c in cheater["grader"]["checks"]] == ["FAIL_TO_PASS: FAILED", "PASS_TO_PASS: PASSED"]
    assert cheater["grader"]["detail"].startswith("not resolved: FAIL_TO_PASS failing: tests/test_ops.py::test_clamp_high")
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["images"][IID]["substituted"] == {"python:3.11-slim": BASE_IMAGE}


def test_a_dataset_row_naming_a_published_image_runs_in_it(task_repo, cli, tmp_path, monkeypatch):
    monkeypatch.setenv("PERTASK_CACHE", str(tmp_path / "cache"))
    root, inst = task_repo
    first = tmp_path / "built"
    run_json(cli, "run", "--suite", root, "--model", "null", "--out", first, *SUB)
    built = json.loads((first / "manifest.json").read_text())["images"][IID]["name"]
    published = "docker.io/swebench/sweb.eval.x86_64.demo_1776_calc-1:latest"
    rows = tmp_path / "verified.jsonl"
    rows.write_text(json.dumps({**inst, "image": published}) + "\n")
    out = tmp_path / "run"
    run_json(cli, "run", "--suite", rows, "--model", "oracle", "--out", out, "--substitute-image", f"{published}={built}")
    (s,) = load_samples(out)
    assert s["score"] == 1.0, s["grader"]
    assert json.loads((out / "manifest.json").read_text())["images"][IID]["substituted"] == {published: built}


def test_duplicate_ids_and_broken_instances_are_named(task_repo, tmp_path, monkeypatch):
    monkeypatch.setenv("PERTASK_CACHE", str(tmp_path / "cache"))
    _, inst = task_repo
    rows = tmp_path / "rows.jsonl"
    no_parser = {**inst, "instance_id": "demo__calc-2", "image": "x", "log_parser": "parse_log_nothing"}
    rows.write_text("\n".join(json.dumps(r) for r in ({**inst, "image": "x"}, {**inst, "image": "y"}, no_parser)) + "\n")
    suite = load_suite(str(rows))
    assert [t.id for t in suite.tasks] == [IID]
    errors = [str(e) for e in suite.errors]
    assert any("line 2: instance_id" in e and "also on line 1" in e for e in errors), errors
    assert any("line 3: log_parser" in e and "parse_log_nothing" in e for e in errors), errors


def test_swe_bench_verified_by_name_runs_each_row_in_its_image_under_the_published_name(task_repo, cli, tmp_path,
                                                                                      monkeypatch):
    """`--suite swe-bench-verified`: the dataset's rows (as the hub publishes them, a parquet file) from a hub cache
    filled beforehand, offline; each row names its image as swebench names it, found under that name in the engine's
    store, where this test built it (on a machine with a registry, the engine pulls it)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from harness.sandboxes import engines
    from tests.tasks.aa_scenario import COMMIT, hub_cache

    monkeypatch.setenv("PERTASK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    root, inst = task_repo
    first = tmp_path / "built"
    run_json(cli, "run", "--suite", root, "--model", "null", "--out", first, *SUB)
    built = json.loads((first / "manifest.json").read_text())["images"][IID]["name"]
    published = "swebench/sweb.eval.x86_64.demo_1776_calc-1:latest"
    subprocess.run([*engines.cli(), "tag", built, f"docker.io/{published}"], check=True)

    def rows(folder: Path) -> Path:
        (folder / "data").mkdir(parents=True)
        pq.write_table(pa.Table.from_pylist([{**inst, "image": published}]), folder / "data" / "test-00000-of-00001.parquet")
        return folder

    hub_cache(tmp_path / "cache" / "hub", "SWE-bench/SWE-bench_Verified", rows)
    out = tmp_path / "run"
    run_json(cli, "run", "--suite", "swe-bench-verified", "--model", "oracle", "--model", "null", "--out", out)
    scores = {s["model"]: s["score"] for s in load_samples(out)}
    assert scores == {"oracle": 1.0, "null": 0.0}, load_samples(out)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["suite"] == "swe-bench-verified"
    assert manifest["suite_path"] == f"hf:SWE-bench/SWE-bench_Verified@{COMMIT}"

"""Terminal-Bench 2 verifiers as published, where the offline rewrite of test.sh used to fail on tasks nobody here
wrote: a bare `pytest` or `python3 -m pytest` that expects the pytest the script installed, a pytest plugin named
with `uvx --with` (pytest-json-ctrf's --ctrf), a verifier whose own installs write files past the sandbox's file-size
cap, and a pip line that installs a URL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.sandboxes.images import BASE_IMAGE
from tasks.graders.harbor_grader import reachable
from tasks.graders.offline_verifier import plan_offline
from tests.conftest import bash, call, load_samples, run_json
from tests.tasks.test_harbor import DOCKER, TOML, write

REWARD = 'if [ $? -eq 0 ]; then echo 1 > /logs/verifier/reward.txt; else echo 0 > /logs/verifier/reward.txt; fi\n'
# The shape of many published test.sh files: uv fetched with curl when no pytest is there, a bare pytest when one
# is, else uvx with the plugin that gives --ctrf.
CTRF = ("apt-get update && apt-get install -y curl\n"
        "if ! command -v uv &> /dev/null && ! command -v pytest &> /dev/null; then\n"
        "  curl -LsSf https://astral.sh/uv/0.9.7/install.sh | sh\n  source $HOME/.local/bin/env\nfi\n"
        "if command -v pytest &> /dev/null; then\n  pytest --ctrf /logs/verifier/ctrf.json /tests/test_outputs.py -rA\n"
        "else\n  uvx --with pytest==8.4.1 --with pytest-json-ctrf==0.3.5 pytest --ctrf /logs/verifier/ctrf.json "
        "/tests/test_outputs.py -rA\nfi\n" + REWARD)
FORMS = {
    "bare-pytest": "pip install pytest==8.4.1\npytest /tests/test_outputs.py -rA\n" + REWARD,
    "module-pytest": "pip3 install --break-system-packages pytest==8.4.1\npython3 -m pytest /tests/test_outputs.py -rA\n"
                     + REWARD,
    "ctrf": CTRF,
    # A sparse file past the 2 GiB cap stands in for a wheel of gigabytes: the verifier's own work, so no cap.
    "big-install": "pip install pytest==8.4.1\ntruncate -s 3G /tmp/pertask-wheel && pytest /tests/test_outputs.py -rA\n"
                   + REWARD,
}
TESTS = ("import subprocess\n\n\ndef test_answer():\n    out = subprocess.run(['python3', '/app/answer.py'], "
         "capture_output=True, text=True).stdout\n    assert out.strip() == '42'\n")


def task(test_sh: str) -> dict[str, str]:
    return {"task.toml": TOML, "instruction.md": "Make /app/answer.py print 42.\n", "environment/Dockerfile": DOCKER,
            "tests/test.sh": test_sh, "tests/test_outputs.py": TESTS,
            "solution/solve.sh": "echo 'print(42)' > /app/answer.py\n"}


def check_shapes(sandbox: str, tmp_path: Path, cli, write_script) -> None:
    """Every shape in FORMS proves its grader both ways in `sandbox`; the agent's commands keep the file-size cap."""
    for name, test_sh in FORMS.items():
        write(tmp_path / "tb2" / name, task(test_sh))
    big = write_script({"model": "m", "default": [{"tool_calls": [bash("truncate -s 3G /tmp/big; echo rc=$?")]},
                                                  {"tool_calls": [call("submit")]}]})
    out = tmp_path / "run"
    run_json(cli, "run", "--suite", tmp_path / "tb2", "--model", "oracle", "--model", "null", "--model",
             f"scripted:{big}", "--concurrency", "2", "--out", out, "--sandbox", sandbox,
             *(["--substitute-image", f"python:3.11-slim={BASE_IMAGE}"] if sandbox == "container" else []))
    got = {(s["task_id"], s["model"].split(":")[0]): s for s in load_samples(out)}
    for name in FORMS:
        oracle, null = got[(name, "oracle")], got[(name, "null")]
        kept = json.loads((out / oracle["transcript"]).read_text())
        assert oracle["score"] == 1.0, (name, oracle["grader"], kept["grader_output"][-1500:])
        assert null["score"] == 0.0, (name, null["grader"])
        # A container's verifier reaches the package indexes: test.sh runs as written where what it fetches answers
        # from here (uv's installer at astral.sh does not on a machine that reaches only the indexes). Bubblewrap's
        # never does: rewritten.
        online = sandbox == "container" and (name != "ctrf" or reachable("astral.sh"))
        assert oracle["grader"]["checks"][0]["verifier"] == ("as-written" if online else "offline-rewrite"), name
    ctrf = json.loads((out / got[("ctrf", "oracle")]["transcript"]).read_text())
    report = out / ctrf["grading_files"] / "verifier" / "ctrf.json"
    assert json.loads(report.read_text())["results"]["summary"]["passed"] == 1, "pytest-json-ctrf wrote its report"
    said = json.loads((out / got[("big-install", "scripted")]["transcript"]).read_text())["messages"]
    tool = next(m["content"] for m in said if m["role"] == "tool")
    assert ("File size limit exceeded" in tool or "File too large" in tool) and "rc=0" not in tool, tool


def test_published_verifier_shapes_prove_their_grader_in_bubblewrap(tmp_path, cli, write_script, monkeypatch):
    """The host's tools are in reach here; tests/tasks/test_harbor_verifier_images.py runs the same in a container of
    the Debian base, where only what the verifier installs is. Its own cache: the wheels are downloaded for it."""
    monkeypatch.setenv("PERTASK_CACHE", str(tmp_path / "cache"))
    check_shapes("bwrap", tmp_path, cli, write_script)


@pytest.mark.parametrize("line", ["pip install https://example.org/pkg-1.0-py3-none-any.whl",
                                  "pip install git+https://example.org/pkg.git"])
def test_a_pip_line_that_installs_a_url_is_named_not_taken_for_a_package(line):
    plan = plan_offline(f"{line} pytest==8.4.1\npytest /tests/test_outputs.py\n")
    assert plan.unhandled == [f"pip install {line.split()[-1][:60]}"]
    assert not any("://" in p for p in plan.packages) and "pytest==8.4.1" in plan.packages

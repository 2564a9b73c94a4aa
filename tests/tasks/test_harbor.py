"""Terminal-Bench 2 / Harbor task folders, written here in that layout, run as they are."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tasks import load_suite
from tests.conftest import call, load_samples, run_json


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)


TOML = 'version = "1.0"\n[metadata]\ndifficulty = "easy"\ntags = ["test"]\n[verifier]\ntimeout_sec = 120\n' \
       '[agent]\ntimeout_sec = 300\n'
DOCKER = "FROM python:3.11-slim\nWORKDIR /app\n"

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "tb2-format"


def example(name: str) -> dict[str, str]:
    """A task folder of examples/tb2-format (benchmarks/tb2_coverage.py runs them all) as {path: text}."""
    root = EXAMPLES / name
    return {str(p.relative_to(root)): p.read_text() for p in sorted(root.rglob("*")) if p.is_file()}


GREETING = example("greeting")  # the usual published shape: test.sh fetches uv, so the offline verifier runs instead
COUNT = example("count-lines")  # writes reward.json itself and exits 1: the exit code is ignored, the reward decides
# The published shape around the tests: apt-get and uv fetched, a file copied into /app, pytest with an extra
# package (-w). Offline, only the fetching is replaced: the copy still happens and tomli-w is there. Here with a
# WORKDIR-only Dockerfile, so that bubblewrap stands in for its image (examples/ has the container's own).
EXTRAS = {**example("extras"), "environment/Dockerfile": DOCKER}
NEEDS_BUILD = {**COUNT, "environment/Dockerfile": DOCKER + "RUN apt-get update && apt-get install -y jq\n"}
NEEDS_NET = {**COUNT, "tests/test.sh": "curl -LsSf https://example.org/check.sh | bash\n"}
NO_REWARD = {**COUNT, "tests/test.sh": "exit 0\n"}


@pytest.fixture
def harbor(tmp_path) -> Path:
    root = tmp_path / "tb2"
    for name, files in {"greeting": GREETING, "count-lines": COUNT, "needs-build": NEEDS_BUILD,
                        "needs-net": NEEDS_NET}.items():
        write(root / name, files)
    return root


def test_layout_is_recognised_and_what_cannot_run_is_named(harbor):
    suite = load_suite(str(harbor))
    assert sorted(t.id for t in suite.tasks) == ["count-lines", "greeting", "needs-build"]
    task = next(t for t in suite.tasks if t.id == "greeting")
    assert task.layout == "harbor" and task.workdir == "/app" and task.config.grader.type == "harbor"
    assert task.config.limits.timeout_s == 300 and task.config.difficulty == "easy"
    # Harbor sets no turn limit and no per-command limit: the agent's wall time is the one limit.
    assert task.config.limits.command_timeout_s == 300 and task.config.limits.max_turns >= 10**6
    assert task.environment.needs_build == "", "WORKDIR and COPY only: bubblewrap stands in for the image"
    build = next(t for t in suite.tasks if t.id == "needs-build")  # the container sandbox builds it
    assert build.environment.needs_build.startswith("a Docker build (RUN apt-get update")
    errors = {Path(e.file).parent.parent.name: str(e) for e in suite.errors}
    assert "needs the network (curl -LsSf https://example.org/check.sh" in errors["needs-net"] and "tests/test.sh" in errors["needs-net"]


def test_tasks_check_runs_their_oracles(harbor, cli):
    # needs-build's FROM python:3.11-slim cannot be pulled on this offline machine: that task's line says
    # why, and the check goes on with the others.
    code, out, err = cli("tasks", "check", "--suite", harbor, "--concurrency", "2")
    assert "2 ok, 1 broken, 1 grader problem(s)" in out, (out, err)
    assert "needs-build: " in err and "python:3.11-slim" in err, err
    assert code == 1, "broken tasks fail the check"


def test_reward_file_decides_and_offline_verifier_is_named(harbor, cli, tmp_path):
    out = tmp_path / "run"
    run_json(cli, "run", "--suite", harbor, "--task", "count-lines", "--task", "greeting", "--model", "oracle",
             "--model", "null", "--out", out)
    got = {(s["model"], s["task_id"]): s for s in load_samples(out)}
    assert got[("oracle", "count-lines")]["score"] == 1.0, "test.sh exited 1, but its reward is 1"
    assert got[("null", "count-lines")]["passed"] is False
    greeting = got[("oracle", "greeting")]
    assert greeting["passed"] is True and "test.sh offline" in greeting["grader"]["checks"][0]["message"]


def test_missing_reward_fails_the_sample_and_tasks_check_names_it(tmp_path, cli):
    # A verifier that ran and wrote no reward is a failed sample, never an unscored one: otherwise the code
    # under test (which the verifier runs) could turn its own failure into an infra error by killing it.
    # A task whose verifier never writes one is the author's bug, and `tasks check` says so.
    write(tmp_path / "tb" / "no-reward", NO_REWARD)
    out = tmp_path / "run"
    (m,) = run_json(cli, "run", "--suite", tmp_path / "tb", "--model", "oracle", "--out", out)["models"]
    (s,) = load_samples(out)
    assert s["error"] == "none" and s["score"] == 0.0 and s["passed"] is False
    assert "wrote no /logs/verifier/reward" in s["grader"]["detail"] and "no verdict" in s["grader"]["detail"]
    code, _, err = cli("tasks", "check", "--suite", tmp_path / "tb")
    assert code == 1 and "no-reward: the reference solution scores 0.0" in err


def test_agent_paths_under_app_reach_the_private_copy(harbor, cli, tmp_path, write_script):
    script = {"model": "m", "default": [
        {"tool_calls": [call("read_file", path="/app/greet.py")]},
        {"tool_calls": [call("write_file", path="/app/greet.py", content='print("Hello, World!")\n')]},
        {"tool_calls": [call("bash", command="pwd && python3 greet.py")]},
        {"tool_calls": [call("bash", command='echo "$GREETING|${PATH%%:*}|$NOTE"')]},
        {"tool_calls": [call("submit")]}]}
    out = tmp_path / "run"
    run_json(cli, "run", "--suite", harbor, "--task", "greeting", "--model", f"scripted:{write_script(script)}",
             "--out", out)
    (s,) = load_samples(out)
    assert s["passed"] is True
    tools = [m["content"] for m in json.loads((out / s["transcript"]).read_text())["messages"] if m["role"] == "tool"]
    assert 'print("hello")' in tools[0] and "/app\nHello, World!" in tools[2]
    assert "hi|/opt/tools/bin|hi there" in tools[3], "the Dockerfile's ENV, expanded in order as a build does"


def test_dockerfile_oddities_are_named_not_crashes(tmp_path):
    from tasks.harbor import parse_dockerfile

    df = tmp_path / "Dockerfile"
    (tmp_path / "src").mkdir()
    df.write_text("FROM python:3.11\nWORKDIR /application\n# a comment\nCOPY src/ ./\nCOPY *.py /application/\n"
                  "COPY src /opt/src\nRUN echo \"it's\" \\\n  && true\n")
    workdir, copies, needs = parse_dockerfile(df)
    assert workdir == "/application" and copies == [(tmp_path / "src", "./")]
    assert any("COPY source *.py" in n for n in needs)
    assert any("into /opt/src, outside the working directory /application" in n for n in needs)
    assert any(n.startswith("a Docker build (RUN echo") for n in needs)


# The agent plants the offline verifier's environment in advance: a python that writes reward 1.
PLANT = ("mkdir -p /tmp/pertask-verifier/bin && printf '#!/bin/sh\\necho 1 > /logs/verifier/reward.txt\\n' "
         "> /tmp/pertask-verifier/bin/python && chmod +x /tmp/pertask-verifier/bin/python && ls /tmp/pertask-verifier/bin")


def test_offline_verifier_keeps_what_test_sh_does_besides_fetching(tmp_path, cli, write_script):
    write(tmp_path / "tb2" / "extras", EXTRAS)
    out = tmp_path / "run"
    plant = write_script({"model": "m", "default": [{"tool_calls": [call("bash", command=PLANT)]},
                                                   {"tool_calls": [call("submit")]}]})
    run_json(cli, "run", "--suite", tmp_path / "tb2", "--model", "oracle", "--model", "null",
             "--model", f"scripted:{plant}", "--out", out)
    got = {s["model"].split(":")[0]: s for s in load_samples(out)}
    planted = json.loads((out / got["scripted"]["transcript"]).read_text())["messages"]
    assert any(m["role"] == "tool" and "python" in m["content"] for m in planted), "the plant was made"
    assert got["scripted"]["score"] == 0.0, "the verifier makes its environment afresh"
    assert got["oracle"]["score"] == 1.0, got["oracle"]["grader"]
    assert got["null"]["score"] == 0.0
    message = got["oracle"]["grader"]["checks"][0]["message"]
    assert "pytest==8.4.1, tomli-w==1.0.0" in message and "not installed: apt curl" in message
    null = json.loads((out / got["null"]["transcript"]).read_text())["grader_output"]
    assert "FileNotFoundError" in null and "/app/answer.txt" in null, "the copy ran; the answer is missing"


# The verifier runs the agent's code: here that code rewrites the verifier itself while it runs, appending a
# reward of 1 to the script bash is still reading (test.sh as written, or the offline rewrite of it).
TAMPER = ("import glob\nfor f in glob.glob('/tests/*.sh') + glob.glob('/pertask-verifier/*.sh'):\n"
          "    try:\n        open(f, 'a').write('\\necho 1 > /logs/verifier/reward.txt\\n')\n"
          "    except OSError as e:\n        print('refused', f, type(e).__name__)\nprint(41)\n")
ANSWER = {
    "task.toml": TOML,
    "instruction.md": "Make /app/answer.py print 42.\n",
    "environment/Dockerfile": DOCKER,
    "tests/test.sh": 'if [ "$(python3 /app/answer.py)" = "42" ]; then echo 1 > /logs/verifier/reward.txt; '
                     'else echo 0 > /logs/verifier/reward.txt; fi\n',
    "solution/solve.sh": "echo 'print(42)' > /app/answer.py\n",
}


@pytest.mark.parametrize("test_sh", ["as-written", "offline"])
def test_code_under_test_cannot_rewrite_the_verifier_while_it_runs(test_sh, tmp_path, cli, write_script):
    files = dict(ANSWER)
    if test_sh == "offline":  # fetches uv: the rewritten script runs from /pertask-verifier
        files["tests/test.sh"] = "curl -LsSf https://astral.sh/uv/0.9.5/install.sh | sh\n" + files["tests/test.sh"]
    write(tmp_path / "tb" / "answer", files)
    script = {"model": "m", "default": [{"tool_calls": [call("write_file", path="/app/answer.py", content=TAMPER)]},
                                        {"tool_calls": [call("submit")]}]}
    out = tmp_path / "run"
    run_json(cli, "run", "--suite", tmp_path / "tb", "--model", f"scripted:{write_script(script)}", "--out", out)
    (s,) = load_samples(out)
    assert s["score"] == 0.0, s["grader"]

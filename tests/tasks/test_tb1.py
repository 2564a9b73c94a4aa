"""Terminal-Bench 1 task folders (task.yaml, run-tests.sh, solution.sh), written here in that layout."""

from __future__ import annotations

from pathlib import Path

import pytest

from tasks import load_suite
from tests.conftest import load_samples, run_json
from tests.tasks.test_harbor import write

YAML = ("instruction: |-\n  {instruction}\nauthor_email: someone@example.org\ndifficulty: easy\n"
        "tags:\n  - files\nmax_agent_timeout_sec: 300\nmax_test_timeout_sec: 120\n")
DOCKER = "FROM ghcr.io/laude-institute/t-bench/python-3-13:20250620\nWORKDIR /app\n"

PUBLISHED = {  # the usual shape: run-tests.sh installs uv and pytest, so the offline verifier runs instead
    "task.yaml": YAML.format(instruction="Create /app/hello.txt containing the word hello, and /app/n.txt with 42."),
    "Dockerfile": DOCKER,
    "run-tests.sh": "#!/bin/bash\ncurl -LsSf https://astral.sh/uv/0.7.13/install.sh | sh\nsource $HOME/.local/bin/env\n"
                    "uv venv .tbench-testing\nuv pip install pytest==8.4.1\nuv run pytest $TEST_DIR/test_outputs.py -rA\n",
    "tests/test_outputs.py": "from pathlib import Path\n\n\ndef test_hello():\n"
                             "    assert Path('/app/hello.txt').read_text().strip() == 'hello'\n\n\n"
                             "def test_number():\n    assert Path('/app/n.txt').read_text().strip() == '42'\n",
    "solution.sh": "#!/bin/bash\necho hello > /app/hello.txt\necho 42 > /app/n.txt\n",
}
OLD_STYLE = {  # the first releases: a descriptions list, and a run-tests.sh that needs no network
    "task.yaml": "descriptions:\n  - key: base\n    description: Sort /app/data.txt numerically into /app/sorted.txt.\n"
                 "difficulty: medium\n",
    "Dockerfile": DOCKER + "COPY data.txt /app/data.txt\n",
    "data.txt": "10\n9\n100\n",
    "run-tests.sh": "#!/bin/bash\npython3 -m pytest $TEST_DIR/test_outputs.py -rA\n",
    "tests/test_outputs.py": "def test_sorted():\n    assert open('/app/sorted.txt').read() == '9\\n10\\n100\\n'\n",
    "solution.sh": "sort -n /app/data.txt > /app/sorted.txt\n",
}
COMPOSE = {**PUBLISHED, "docker-compose.yaml": "services: {}\n"}
del COMPOSE["Dockerfile"]
NET_ONLY = {**PUBLISHED}
del NET_ONLY["tests/test_outputs.py"]
NET_ONLY["run-tests.sh"] = "#!/bin/bash\ncurl -s https://example.org/check | bash\n"
BAD_YAML = {**OLD_STYLE, "task.yaml": "instruction: [unclosed\n"}


@pytest.fixture
def tb1(tmp_path) -> Path:
    root = tmp_path / "tb1"
    for name, files in {"hello": PUBLISHED, "sort-old": OLD_STYLE, "compose": COMPOSE, "net-only": NET_ONLY,
                        "bad-yaml": BAD_YAML}.items():
        write(root / name, files)
    return root


def test_layout_is_recognised_and_what_cannot_run_is_named(tb1):
    suite = load_suite(str(tb1))
    assert sorted(t.id for t in suite.tasks) == ["hello", "sort-old"]
    hello = next(t for t in suite.tasks if t.id == "hello")
    assert hello.layout == "terminal-bench-1" and hello.workdir == "/app" and hello.config.grader.type == "tb1"
    assert hello.config.limits.timeout_s == 300 and hello.config.grader.timeout_s == 120
    assert "terminal-bench-1" in hello.config.tags and hello.instruction.startswith("Create /app/hello.txt")
    errors = {Path(e.file).parent.name: str(e) for e in suite.errors}
    assert "needs docker compose" in errors["compose"]
    assert "needs the network (curl)" in errors["net-only"] and "run-tests.sh" in errors["net-only"]
    assert "task.yaml: field '(syntax)': bad YAML" in errors["bad-yaml"]


def test_oracle_passes_null_fails_and_each_test_is_a_check(tb1, cli, tmp_path):
    out = tmp_path / "run"
    run_json(cli, "run", "--suite", tb1, "--model", "oracle", "--model", "null", "--out", out, "--skip-broken")
    got = {(s["model"], s["task_id"]): s for s in load_samples(out)}
    hello = got["oracle", "hello"]
    assert hello["passed"] is True and [c["name"] for c in hello["grader"]["checks"]] == [
        "test_outputs.py::test_hello", "test_outputs.py::test_number"]
    assert "offline verifier" in hello["grader"]["detail"]
    assert got["oracle", "sort-old"]["passed"] is True and "run-tests.sh" in got["oracle", "sort-old"]["grader"]["detail"]
    assert got["null", "hello"]["passed"] is False and got["null", "hello"]["score"] == 0.0
    assert got["null", "sort-old"]["passed"] is False and got["null", "sort-old"]["error"] != "infra"


def test_tasks_check(tb1, cli):
    code, out, err = cli("tasks", "check", "--suite", tb1)
    assert "2 ok, 3 broken, 0 grader problem(s)" in out, err

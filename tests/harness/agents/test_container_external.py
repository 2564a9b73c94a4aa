"""External agents in the container sandbox (real podman, and a real dockerd of the tests' own), through the CLI:
the agent runs in the task's own container with its installation bound read-only, and its one route out is
the proxy's relay, which pertask runs on the host joined to the container's network namespace only. The
container gets no key but the sample's, reaches neither the model's real endpoint nor the internet, and
cannot write into the agent's installation."""

from __future__ import annotations

import json
import os
import shlex
from pathlib import Path

import pytest

from harness.sandboxes.images import BASE_IMAGE
from tests.conftest import FAKE_KEY, load_samples, run_json
from tests.harness.agents.test_external import AGENT, no_upstream_key
from tests.harness.agents.test_proxy import OPUS
from tests.harness.sandboxes.test_container_redteam import TASK
from tests.tasks.test_harbor import write

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="the relay joins a container's network namespace: root")
SUB = ["--substitute-image", f"python:3.13-slim={BASE_IMAGE}"]
SOLVE = "wc -l < /app/data.txt | tr -d ' ' > /app/count.txt"

# The agent of the bubblewrap test, run by the image's own python3 (not pertask's): it asks its model once, runs
# the answer, then tries the way out.


@pytest.fixture(scope="module")
def suite(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("ctr-agents")
    write(root / "count", TASK)
    return root


@pytest.mark.parametrize("engine", ["podman", "docker"])
def test_a_cli_agent_in_a_container_reaches_only_the_proxy(engine, suite, fake, cli, tmp_path, monkeypatch, request):
    if engine == "docker":
        request.getfixturevalue("dockerd")
    server = fake({"model": "m", "default": [{"content": SOLVE, "usage": {"prompt_tokens": 400, "completion_tokens": 20}}]})
    monkeypatch.setenv("OPENAI_COMPATIBLE_API_KEY", FAKE_KEY)
    source = AGENT.replace("UPSTREAM", repr(server.url + "/models"))
    out = tmp_path / "run"
    run_json(cli, "run", "--suite", suite, "--model", f"openai-compatible:m@{server.url}", "--agent",
             f"cmd:python3 -c {shlex.quote(source)} {{instruction_file}}", "--container-engine", engine,
             "--no-preflight", "--out", out, *SUB)
    (s,) = load_samples(out)
    assert s["error"] == "none" and s["score"] == 1.0, (s["error_detail"], s["grader"])
    assert (s["usage"]["input_uncached"], s["usage"]["output"], s["usage"]["calls"]) == (400, 20, 1)
    log = json.loads((out / s["transcript"]).read_text())["messages"][-1]["content"]
    assert f"unreachable {server.url}/models" in log and "unreachable http://1.1.1.1/" in log, log
    assert "OPENAI_API_KEY=pt-" in log and FAKE_KEY not in log
    assert json.loads((out / "manifest.json").read_text())["container_engine"] == engine
    no_upstream_key(out)


@pytest.mark.parametrize("engine", ["podman", "docker"])
def test_claude_code_in_a_container_solves_the_task_and_cannot_write_its_installation(engine, suite, fake, cli, tmp_path,
                                                                                      monkeypatch, request):
    """Claude Code's native build, bound read-only into the task's container, on the Anthropic fake: graded by
    the task's verifier, billed by the fake's usage; the model's attempt to plant a file in the agent's
    installation (shared by every sample) fails."""
    from harness.agents.adapters import ADAPTERS
    from results.store import cache_root, slug

    if engine == "docker":
        request.getfixturevalue("dockerd")
    plant = "touch /opt/pertask-agent/planted; echo touch-rc=$?"
    turns = [{"content": "Counting.", "tool_calls": [{"name": "Bash", "arguments": {"command": f"{SOLVE}; {plant}",
                                                                                    "description": "count"}}]},
             {"content": "Done: counted."}]
    server = fake({"model": "claude-opus-4-8", "models": ["claude-opus-4-8"], "emulate": "anthropic",
                   "cache_min_tokens": 256, "default": turns})
    monkeypatch.setenv("ANTHROPIC_API_KEY", FAKE_KEY)
    out = tmp_path / "run"
    run_json(cli, "run", "--suite", suite, "--model", f"anthropic:claude-opus-4-8@{server.url}", "--agent",
             "claude-code", "--container-engine", engine, "--no-preflight", "--out", out, *SUB)
    (s,) = load_samples(out)
    assert s["error"] == "none" and s["score"] == 1.0, (s["error_detail"], s["grader"])
    u, sent = s["usage"], [r["usage"] for r in server.requests]
    assert u["calls"] == len(sent) == 2 and u["input_cached"] == sum(x["cache_read_input_tokens"] for x in sent) > 0
    by_hand = sum(x["input_tokens"] * OPUS["input"] + x["cache_read_input_tokens"] * OPUS["cached_input"]
                  + x["cache_creation_input_tokens"] * OPUS["cache_write"] + x["output_tokens"] * OPUS["output"]
                  for x in sent) / 1e6
    assert s["usd"] == pytest.approx(by_hand, abs=1e-9)
    agent = json.loads((out / s["transcript"]).read_text())["messages"][-1]
    assert "touch-rc=1" in agent["log"] and "Read-only file system" in agent["log"], agent["log"][-2000:]
    assert not (cache_root() / "agents" / slug(ADAPTERS["claude-code"].package) / "planted").exists()
    no_upstream_key(out)


def test_an_agent_installed_for_the_hosts_python_is_refused_a_container_before_the_run(suite, cli, tmp_path):
    """mini-swe-agent's environment is the host's interpreter's: it could not start in the task's image."""
    code, _, err = cli("run", "--suite", suite, "--model", "openai-compatible:m@http://127.0.0.1:9/v1", "--agent",
                       "mini-swe-agent", "--no-preflight", "--out", tmp_path / "r", *SUB)
    assert code == 2 and "runs in the bubblewrap sandbox" in err and "--sandbox bwrap" in err, err
    assert not (tmp_path / "r" / "samples.jsonl").exists()
    code, _, err = cli("run", "--suite", suite, "--model", "openai-compatible:m@http://127.0.0.1:9/v1", "--agent",
                       "mini-swe-agent:/bin/true", "--no-preflight", "--out", tmp_path / "r2", *SUB)
    assert code == 2 and "runs in the bubblewrap sandbox" in err, "the user's own copy is the host's Python too"

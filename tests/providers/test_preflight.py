"""Before the first sample, one check request per model: a wrong key, an unknown model, a server
without tool support or nothing listening each stop the run in seconds with one line naming the model
and the cause, exit status 2, and no sample recorded."""

from __future__ import annotations

import json
import socket

import pytest

from tests.conftest import FAKE_KEY as KEY
from tests.conftest import SUBMIT, pertask_proc, subprocess_env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def attempt(tmp_path, spec: str, key: str = KEY):
    out = tmp_path / "run"
    proc = pertask_proc("run", "--suite", "smoke", "--task", "fix-median", "--model", spec, "--out", out,
                        env=subprocess_env(ZAI_API_KEY=key, ANTHROPIC_API_KEY=key), timeout=120)
    samples = out / "samples.jsonl"
    return proc, (samples.read_text() if samples.exists() else "")


SCRIPT = {"model": "glm-5.2", "models": ["glm-5.2"], "emulate": "zai",
          "conversations": [{"match": "wrong medians", "turns": [SUBMIT]}]}


@pytest.mark.parametrize(("case", "needle"), [
    ("wrong key", "HTTP 401"), ("unknown model", "HTTP 404"), ("no tools", "enable-auto-tool-choice"),
    ("nothing listening", "no usable answer"), ("anthropic key", "invalid x-api-key")])
def test_a_bad_setup_stops_the_run_before_any_sample(tmp_path, fake, case, needle):
    server = fake({**SCRIPT, "tools_supported": case != "no tools"})
    spec = f"zai:{'glm-9' if case == 'unknown model' else 'glm-5.2'}@{server.url}"
    if case == "nothing listening":
        spec = f"zai:glm-5.2@http://127.0.0.1:{free_port()}/v1"
    if case == "anthropic key":
        server = fake({**SCRIPT, "model": "claude-opus-4-8", "models": ["claude-opus-4-8"], "emulate": "anthropic"})
        spec = f"anthropic:claude-opus-4-8@{server.url}"
    proc, samples = attempt(tmp_path, spec, key="sk-wrong" if case in ("wrong key", "anthropic key") else KEY)
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip() and not ln.startswith("warning:")]
    assert proc.returncode == 2 and len(lines) == 1, proc.stderr
    model = "anthropic:claude-opus-4-8" if case == "anthropic key" else "zai:glm-"
    assert lines[0].startswith(f"pertask: error: preflight: {model}") and needle in lines[0], lines[0]
    assert samples == ""


def test_a_good_setup_passes_and_its_check_is_on_the_bill(tmp_path, fake):
    server = fake(SCRIPT)
    proc, samples = attempt(tmp_path, f"zai:glm-5.2@{server.url}")
    assert proc.returncode == 0, proc.stderr
    assert len(samples.splitlines()) == 1
    calls = [json.loads(x) for x in (tmp_path / "run" / "calls.jsonl").read_text().splitlines()]
    (check,) = [c for c in calls if c.get("preflight")]
    assert check["sample_id"] == "zai:glm-5.2|_preflight|0" and check["usd"] > 0
    assert server.requests[0]["conversation"] == -1  # the check is no sample's conversation

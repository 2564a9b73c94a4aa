"""A fake key set in the environment reaches no file of the run and no report; a command's attempt to
reach the network fails inside the sandbox and is there to read in the transcript."""

from __future__ import annotations

import json
import uuid

import pytest

from harness.sandboxes.bwrap import bwrap_path
from providers.script_file import Script
from providers.scripted import ScriptedServer
from tests.conftest import SUBMIT, bash, load_samples

NET = ("python3 -c \"import socket\ntry:\n    socket.create_connection(('1.1.1.1', 80), 3)\n    print('CONNECTED')\n"
       "except OSError as e:\n    print('network attempt failed:', e)\"")


@pytest.mark.skipif(not bwrap_path(), reason="the network is blocked by bubblewrap")
def test_fake_keys_reach_no_file_and_network_attempts_are_recorded(cli, tmp_path, monkeypatch):
    secret = f"sk-pertask-fake-{uuid.uuid4().hex}"
    monkeypatch.setenv("OPENAI_COMPATIBLE_API_KEY", secret)
    monkeypatch.setenv("ZAI_API_KEY", secret + "-zai")
    script = Script.model_validate({"model": "leak-test", "default": [
        # /proc/1 is bwrap itself, PID 1 of the sandbox: its environment must be as bare as the command's.
        {"tool_calls": [bash("env; echo; cat /proc/1/environ /proc/*/environ 2>&1 | tr '\\0' '\\n'")]},
        {"tool_calls": [bash(NET)]},
        SUBMIT]})
    server = ScriptedServer(script)
    url = server.start()
    try:
        out = tmp_path / "run"
        code, _, err = cli("run", "--suite", "smoke", "--task", "fix-median", "--model",
                           f"openai-compatible:leak-test@{url}", "--out", out)
        assert code == 0, err
        code, _, err = cli("report", out, "--html", out / "report.html", "--markdown", out / "r.md", "--csv",
                           out / "r.csv", "--parquet", out / "r.parquet")
        assert code == 0, err
    finally:
        server.stop()
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) >= 7  # samples, manifest, transcript, and the four reports
    for p in files:
        data = p.read_bytes()
        assert secret.encode() not in data, f"the key leaked into {p}"
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["models"][0]["key_env"] == "OPENAI_COMPATIBLE_API_KEY"
    (s,) = load_samples(out)
    tools = [m["content"] for m in json.loads((out / s["transcript"]).read_text())["messages"] if m["role"] == "tool"]
    assert "OPENAI_COMPATIBLE_API_KEY" not in tools[0] and "ZAI_API_KEY" not in tools[0]
    assert "network attempt failed" in tools[1] and "CONNECTED" not in tools[1]

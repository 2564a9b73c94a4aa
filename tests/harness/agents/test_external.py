"""An external agent (`--agent 'cmd:…'`) through the CLI: a small CLI agent, run in the sample's bubblewrap
sandbox, finds its model at OPENAI_BASE_URL (the metering proxy, reached through a relay on the sandbox's own
loopback) with the sample's own key; the hidden grader decides the score; the record carries the tokens the
provider fake reported and dollars by hand. It can reach nothing else: not the model's real endpoint, not
the internet, and it never sees the upstream key."""

from __future__ import annotations

import dataclasses
import json
import shlex

import pytest

from harness.sandboxes.bwrap import bwrap_path
from tasks.loader import SUITES_ROOT
from tests.conftest import FAKE_KEY, load_samples, run_json

pytestmark = pytest.mark.skipif(not bwrap_path(), reason="external agents run in the bubblewrap sandbox")

AGENT = r"""
import json, os, subprocess, sys, urllib.request
instruction = open(sys.argv[1]).read()
body = {"model": os.environ["PERTASK_MODEL"], "messages": [{"role": "user", "content": instruction}]}
req = urllib.request.Request(os.environ["OPENAI_BASE_URL"] + "/chat/completions", json.dumps(body).encode(),
                             {"Authorization": "Bearer " + os.environ["OPENAI_API_KEY"], "Content-Type": "application/json"})
reply = json.loads(urllib.request.urlopen(req, timeout=60).read())["choices"][0]["message"]["content"]
subprocess.run(["bash", "-c", reply], check=True)
for url in (UPSTREAM, "http://1.1.1.1/"):
    try:
        urllib.request.urlopen(url, timeout=3)
        print("reached", url)
    except Exception as exc:
        print("unreachable", url, type(exc).__name__)
print("env:", " ".join(f"{k}={v}" for k, v in sorted(os.environ.items())))
"""
PRICES = '[[price]]\nprovider = "openai-compatible"\nmodel = "m"\ninput = 2.0\noutput = 8.0\nsource = "test"\n'


def solve(cli, out, model: str, agent: str, *extra) -> dict:
    """fix-median through the CLI with that agent and model: its one record, which must have passed."""
    run_json(cli, "run", "--suite", "smoke", "--task", "fix-median", "--model", model, "--agent", agent,
             "--no-preflight", "--out", out, *extra)
    (s,) = load_samples(out)
    assert s["error"] == "none" and s["passed"] is True and s["score"] == 1.0, (s["error_detail"], s["grader"])
    return s


def no_upstream_key(out) -> None:
    for p in out.rglob("*"):
        if p.is_file():
            assert FAKE_KEY.encode() not in p.read_bytes(), f"the upstream key reached {p}"


def test_a_cli_agent_solves_a_task_through_the_proxy_metered_and_contained(fake, cli, tmp_path, monkeypatch):
    fixed = (SUITES_ROOT / "smoke" / "fix-median" / "solution" / "files" / "stats" / "core.py").read_text()
    fix = f"cat > stats/core.py <<'PERTASK_EOF'\n{fixed}PERTASK_EOF\n"
    server = fake({"model": "m", "default": [{"content": fix, "usage": {"prompt_tokens": 321, "completion_tokens": 45}}]})
    monkeypatch.setenv("OPENAI_COMPATIBLE_API_KEY", FAKE_KEY)
    (tmp_path / "prices.toml").write_text(PRICES)
    source = AGENT.replace("UPSTREAM", repr(server.url + "/models"))
    out = tmp_path / "run"
    s = solve(cli, out, f"openai-compatible:m@{server.url}", f"cmd:python3 -c {shlex.quote(source)} {{instruction_file}}",
              "--prices", tmp_path / "prices.toml")
    assert (s["usage"]["input_uncached"], s["usage"]["output"], s["usage"]["calls"], s["turns"]) == (321, 45, 1, 1)
    assert s["usd"] == pytest.approx((321 * 2.0 + 45 * 8.0) / 1e6, abs=1e-12)
    log = json.loads((out / s["transcript"]).read_text())["messages"][-1]["content"]
    assert f"unreachable {server.url}/models" in log and "unreachable http://1.1.1.1/" in log, log
    assert "OPENAI_API_KEY=pt-" in log and FAKE_KEY not in log, "the sample's key inside, the upstream key never"
    assert json.loads((out / "manifest.json").read_text())["agent"].startswith("cmd:python3 -c")
    ledger = [json.loads(line) for line in (out / "calls.jsonl").read_text().splitlines()]
    assert [c["usage"]["input_uncached"] for c in ledger if c["sample_id"] == s["sample_id"]] == [321]
    no_upstream_key(out)


def test_an_external_agent_needs_a_model_over_http(cli, tmp_path):
    code, _, err = cli("run", "--suite", "smoke", "--task", "fix-median", "--model", "oracle", "--agent", "cmd:true",
                       "--out", tmp_path / "r")
    assert code == 2 and "oracle cannot be called over HTTP" in err
    code, _, err = cli("run", "--suite", "smoke", "--model", "oracle", "--agent", "aider2", "--out", tmp_path / "r2")
    assert code == 2 and "unknown agent 'aider2' (valid: builtin, cmd" in err and "claude-code (npm " in err


def test_an_agent_is_refused_a_model_of_another_dialect_before_anything_is_installed(cli, tmp_path, monkeypatch):
    """Claude Code speaks Anthropic Messages only: against a Chat Completions endpoint every call would fail."""
    monkeypatch.setenv("PERTASK_CACHE", str(tmp_path / "cache"))
    code, _, err = cli("run", "--suite", "smoke", "--model", "openai-compatible:m@http://127.0.0.1:9/v1", "--agent",
                       "claude-code", "--no-preflight", "--out", tmp_path / "r")
    assert code == 2 and "claude-code speaks Anthropic Messages" in err and "zai-anthropic:" in err, err
    assert not (tmp_path / "cache" / "agents").exists()


ASK_ONCE = r"""
import json, os, sys, urllib.request
body = {"model": os.environ["PERTASK_MODEL"], "messages": [{"role": "user", "content": open(sys.argv[1]).read()}]}
req = urllib.request.Request(os.environ["OPENAI_BASE_URL"] + "/chat/completions", json.dumps(body).encode(),
                             {"Authorization": "Bearer " + os.environ["OPENAI_API_KEY"], "Content-Type": "application/json"})
print(json.loads(urllib.request.urlopen(req, timeout=60).read())["choices"][0]["message"]["content"])
"""


def test_killed_run_with_an_external_agent_resumes_and_the_ledger_has_every_call(tmp_path, write_script):
    """kill -9 while an external agent's call is in flight, then the same command: the finished samples are
    kept and not re-run, every answered call is in the ledger once, the cut-off one is asked again."""
    import os
    import signal
    import subprocess
    import time

    from tests.conftest import PERTASK, ROOT, subprocess_env
    from tests.harness.run.test_resume import TASK_MATCH, start_server

    usage = {"prompt_tokens": 1000, "completion_tokens": 50}
    convs = [{"match": m, "turns": [{"content": "done", "usage": usage, "delay_s": 4.0 if tid == "csv-totals" else 0}]}
             for tid, m in TASK_MATCH.items()]
    server, url = start_server(write_script({"model": "m", "conversations": convs}), tmp_path / "requests.jsonl")
    out = tmp_path / "run"
    cmd = [*PERTASK, "run", "--suite", "smoke", "--model", f"openai-compatible:m@{url}", "--concurrency", "1",
           "--agent", f"cmd:python3 -c {shlex.quote(ASK_ONCE)} {{instruction_file}}", "--no-preflight", "--out", str(out)]
    env = {**subprocess_env(), "OPENAI_COMPATIBLE_API_KEY": "sk-any"}
    try:
        first = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        deadline = time.time() + 90
        while time.time() < deadline and not (out / "samples.jsonl").exists() or \
                len((out / "samples.jsonl").read_text().splitlines()) < 2:
            time.sleep(0.05)
        log = tmp_path / "requests.jsonl"
        while time.time() < deadline and (not log.exists() or len(log.read_text().splitlines()) < 3):
            time.sleep(0.05)  # until the third sample's call is in flight (its answer takes 4 s)
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
        done_before = [s["task_id"] for s in load_samples(out)]
        second = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
        assert second.returncode == 0, second.stderr
    finally:
        server.kill()
    after = load_samples(out)
    assert done_before == ["add-slugify", "budget-reconcile"] and len({s["sample_id"] for s in after}) == len(after) == 5
    asked = [json.loads(x)["conversation"] for x in (tmp_path / "requests.jsonl").open()]
    assert [asked.count(i) for i in range(5)] == [1, 1, 2, 1, 1], "only the cut-off call is asked again"
    ledger = [json.loads(x)["sample_id"] for x in (out / "calls.jsonl").read_text().splitlines()]
    assert sorted(ledger) == sorted(s["sample_id"] for s in after), "every answered call, once, on its sample"
    assert all(s["usage"]["calls"] == 1 and s["usage"]["input_uncached"] == 1000 for s in after)


def test_the_run_budget_stops_an_external_agent_mid_sample(tmp_path, cli, fake, monkeypatch):
    """--budget-usd through the proxy: once the run's spending reaches it, the agent's next call is refused, its
    sample ends with error class limit, and no further sample starts."""
    server = fake({"model": "m", "default": [{"content": "go on", "usage": {"prompt_tokens": 1000, "completion_tokens": 0}}]})
    monkeypatch.setenv("OPENAI_COMPATIBLE_API_KEY", FAKE_KEY)
    (tmp_path / "prices.toml").write_text('[[price]]\nprovider = "openai-compatible"\nmodel = "m"\ninput = 1.0\n'
                                          'output = 1.0\nsource = "test"\n')
    three = ASK_ONCE.replace("print(json.loads(", "for _ in range(3): print(json.loads(")
    out = tmp_path / "run"
    code, _, err = cli("run", "--suite", "smoke", "--task", "fix-median", "--task", "add-slugify", "--concurrency", "1",
                       "--model", f"openai-compatible:m@{server.url}", "--agent",
                       f"cmd:python3 -c {shlex.quote(three)} {{instruction_file}}", "--prices", tmp_path / "prices.toml",
                       "--budget-usd", "0.0015", "--no-preflight", "--out", out)
    assert code == 0, err
    (s,) = load_samples(out)  # the second task never started
    assert s["error"] == "limit" and "run budget of $0.0015" in s["error_detail"], s["error_detail"]
    assert s["usage"]["calls"] == 2 and s["usd"] == pytest.approx(0.002) and len(server.requests) == 2
    session = json.loads((out / "manifest.json").read_text())["sessions"][-1]
    assert session["budget_not_started"] == 1


def test_an_agent_log_pointing_at_a_host_file_is_not_read(fake, monkeypatch, tmp_path):
    """The agent's own log is read by the host after the sandbox ends: a model's command can leave a link there
    to any host path (its target is resolved on the host, not in the sandbox). The link is not followed."""
    import asyncio

    from harness.agents.adapters import Adapter
    from harness.agents.base import Assignment
    from harness.agents.external import CommandAgent
    from harness.sandboxes.bwrap import BwrapSandbox
    from providers.registry import build_model
    from results.prices import Catalog
    from tasks.model import Limits

    secret = tmp_path / "host-only.txt"
    secret.write_text("a host file the agent must not see")
    server = fake({"model": "m", "default": [{"content": "ok"}]})
    monkeypatch.setenv("OPENAI_COMPATIBLE_API_KEY", FAKE_KEY)
    model = build_model(f"openai-compatible:m@{server.url}", Catalog.load())
    adapter = Adapter("pip", "unused", "unused", f"ln -s {shlex.quote(str(secret))} /tmp/agent.log; ls -l /tmp/agent.log",
                      log="agent.log")
    (tmp_path / "src").mkdir()
    sandbox = BwrapSandbox(tmp_path / "box", [])
    sandbox.prepare(tmp_path / "src")

    async def go():
        try:
            return await CommandAgent(adapter.command, "linker", adapter).run(Assignment(model, "s", "go", sandbox, Limits()))
        finally:
            await model.aclose()

    res = asyncio.run(go())
    agent = res.messages[-1]
    assert "agent.log ->" in agent["content"], "the link was made"
    assert "log" not in agent and secret.read_text() not in json.dumps(res.messages)


def test_an_agent_that_needs_a_newer_python_than_any_here_says_so_in_one_line(cli, tmp_path, monkeypatch):
    """An agent package's interpreter is found or the run stops before it starts, naming what to install."""
    from harness.agents import adapters

    monkeypatch.setitem(adapters.ADAPTERS, "stirrup", dataclasses.replace(adapters.ADAPTERS["stirrup"], python=(3, 99)))
    monkeypatch.setenv("PERTASK_CACHE", str(tmp_path / "cache"))  # not installed yet: the interpreter is looked for
    script = tmp_path / "s.json"
    script.write_text(json.dumps({"model": "m", "default": [{"content": "done"}]}))
    code, out, err = cli("run", "--suite", "smoke", "--task", "fix-median", "--model", f"scripted:{script}",
                         "--agent", "stirrup", "--out", tmp_path / "run")
    assert code == 2 and "needs Python 3.99 or newer, and none was found" in err, err
    (line,) = [x for x in err.splitlines() if "error" in x]
    assert "needs Python 3.99" in line and "uv python install 3.99" in line

"""The external agents pertask knows by name, installed from their real packages (PyPI, npm) into the user's cache,
each solving a task in the sample's sandbox through the metering proxy on its own dialect's provider fake: what the
provider reported, what the ledger holds and what the dollars come to by hand agree."""

from __future__ import annotations

import json

import pytest

from harness.sandboxes.bwrap import bwrap_path
from tasks.loader import SUITES_ROOT
from tests.conftest import FAKE_KEY
from tests.harness.agents.test_external import PRICES, no_upstream_key, solve
from tests.harness.agents.test_proxy import OPUS

pytestmark = pytest.mark.skipif(not bwrap_path(), reason="external agents run in the bubblewrap sandbox")


def test_mini_swe_agent_from_pypi_solves_a_task_through_the_proxy(fake, cli, tmp_path, monkeypatch):
    """mini-swe-agent, installed from PyPI by pertask into its own environment under the cache (once), runs in
    the sample's sandbox with its own CLI and loop; the scripted model answers in its bash-tool protocol."""
    fixed = (SUITES_ROOT / "smoke" / "fix-median" / "solution" / "files" / "stats" / "core.py").read_text()
    turns = [{"content": "I will rewrite the median.", "usage": {"prompt_tokens": 1500, "completion_tokens": 60},
              "tool_calls": [{"name": "bash", "arguments": {"command": f"cat > stats/core.py <<'EOF'\n{fixed}EOF"}}]},
             {"content": "Done.", "usage": {"prompt_tokens": 1700, "completion_tokens": 12},
              "tool_calls": [{"name": "bash", "arguments": {"command": "echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT"}}]}]
    server = fake({"model": "m", "default": turns})
    monkeypatch.setenv("OPENAI_COMPATIBLE_API_KEY", FAKE_KEY)
    (tmp_path / "prices.toml").write_text(PRICES)
    out = tmp_path / "run"
    s = solve(cli, out, f"openai-compatible:m@{server.url}", "mini-swe-agent", "--prices", tmp_path / "prices.toml")
    assert (s["usage"]["input_uncached"], s["usage"]["output"], s["turns"]) == (3200, 72, 2)
    assert s["usd"] == pytest.approx((3200 * 2.0 + 72 * 8.0) / 1e6, abs=1e-12)
    assert len(server.requests) == 2, "every call of the agent went through the proxy, once"
    agent = json.loads((out / s["transcript"]).read_text())["messages"][-1]
    assert "COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT" in agent["log"], "mini-swe-agent's own trajectory is kept"


FIXED = (SUITES_ROOT / "smoke" / "fix-median" / "solution" / "files" / "stats" / "core.py").read_text()
REWRITE = f"cat > stats/core.py <<'EOF'\n{FIXED}EOF"


def _billed_by_hand(s: dict, server, price: dict) -> None:
    """The record holds what the fake reported, call by call, and dollars at the catalog's prices."""
    u = s["usage"]
    assert u["calls"] == s["turns"] == len(server.requests), "every call of the agent went through the proxy, once"
    sent = [r["usage"] for r in server.requests]
    if "cache_read_input_tokens" in sent[0]:  # Anthropic's field names
        cached = sum(x["cache_read_input_tokens"] for x in sent)
        written = sum(x["cache_creation_input_tokens"] for x in sent)
        fresh = sum(x["input_tokens"] for x in sent)
    else:  # Responses': input_tokens counts the cached part too
        cached = sum(x["input_tokens_details"]["cached_tokens"] for x in sent)
        written, fresh = 0, sum(x["input_tokens"] for x in sent) - cached
    out = sum(x["output_tokens"] for x in sent)
    assert (u["input_uncached"], u["input_cached"], u["cache_write"], u["output"]) == (fresh, cached, written, out)
    by_hand = (fresh * price["input"] + cached * price["cached_input"] + written * price.get("cache_write", 0)
               + out * price["output"]) / 1e6
    assert s["usd"] == pytest.approx(by_hand, abs=1e-9)


def test_claude_code_from_npm_solves_a_task_through_the_proxy_with_its_own_cache_breakpoints(fake, cli, tmp_path,
                                                                                             monkeypatch):
    """Claude Code's native build (npm), headless in the sample's sandbox, speaks Anthropic Messages to the proxy
    and through it to the Anthropic fake, which enforces the Messages rules (breakpoints, thinking signatures,
    tool results answering tool uses). Its own cache_control marks are kept: the second call reads what the first
    wrote, and the record bills reads and writes at the catalog's Opus prices. The task's grader decides."""
    from harness.agents.adapters import ADAPTERS
    from results.store import cache_root, slug

    home = cache_root() / "agents" / slug(ADAPTERS["claude-code"].package)  # bound read-only, shared by all samples
    plant = f"touch {home}/planted; echo touch-rc=$?"
    turns = [{"content": "I will rewrite the median.",
              "tool_calls": [{"name": "Bash", "arguments": {"command": f"{REWRITE}\n{plant}", "description": "Fix"}}]},
             {"content": "Done: the median is fixed."}]
    # A 256-token cache minimum: Claude Code's --bare prompt is shorter than Opus's 1,024.
    server = fake({"model": "claude-opus-4-8", "models": ["claude-opus-4-8"], "emulate": "anthropic",
                   "cache_min_tokens": 256, "default": turns})
    monkeypatch.setenv("ANTHROPIC_API_KEY", FAKE_KEY)
    out = tmp_path / "run"
    s = solve(cli, out, f"anthropic:claude-opus-4-8@{server.url}", "claude-code")
    _billed_by_hand(s, server, OPUS)
    assert s["usage"]["input_cached"] > 0 and s["usage"]["cache_write"] > 0, "its breakpoints wrote and read the cache"
    agent = json.loads((out / s["transcript"]).read_text())["messages"][-1]
    assert '"type":"result"' in agent["log"] and "Done: the median is fixed." in agent["log"], "its stream-json log"
    assert "touch-rc=1" in agent["log"] and "Read-only file system" in agent["log"] and not (home / "planted").exists()
    no_upstream_key(out)


def test_codex_from_npm_solves_a_task_on_the_responses_fake_keeping_its_reasoning(fake, cli, tmp_path, monkeypatch):
    """Codex CLI's native build (npm), `codex exec` in the sample's sandbox, speaks the Responses API, stateless
    (store: false): the fake refuses a function call sent back without its encrypted reasoning item, as OpenAI
    does, so a pass means Codex's reasoning went back through the proxy untouched."""
    turns = [{"content": "Rewriting the median.", "tool_calls": [{"name": "exec_command", "arguments": {"cmd": REWRITE}}]},
             {"content": "Done: the median is fixed."}]
    server = fake({"model": "gpt-5.5", "models": ["gpt-5.5"], "emulate": "openai", "default": turns})
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    out = tmp_path / "run"
    s = solve(cli, out, f"openai:gpt-5.5@{server.url}", "codex")
    _billed_by_hand(s, server, {"input": 5.0, "cached_input": 0.5, "output": 30.0})
    assert server.requests[1]["reasoning_back"] == ["Turn 0: look at what the last command showed, then decide the next step."]
    agent = json.loads((out / s["transcript"]).read_text())["messages"][-1]
    assert "turn.completed" in agent["log"], "its JSON event stream is kept"


def test_aider_from_pypi_solves_a_task_through_the_proxy(fake, cli, tmp_path, monkeypatch):
    """Aider, installed from PyPI into its own environment, answers the instruction with one SEARCH/REPLACE edit
    in its diff format, which it applies to the workspace; the grader decides. Aider 0.86.2's diff-format prompt
    holds four example assistant turns, so the scripted reply is the fifth turn."""
    fix = ("I will fix the median.\n\nstats/core.py\n```python\n<<<<<<< SEARCH\n    values = _check(values)\n"
           "    mid = len(values) // 2\n    return values[mid]\n=======\n    values = sorted(_check(values))\n"
           "    mid = len(values) // 2\n    if len(values) % 2:\n        return values[mid]\n"
           "    return (values[mid - 1] + values[mid]) / 2\n>>>>>>> REPLACE\n```\n")
    usage = {"prompt_tokens": 2300, "completion_tokens": 93}
    server = fake({"model": "m", "default": [{"content": "(an example turn)"}] * 4 + [{"content": fix, "usage": usage}]})
    monkeypatch.setenv("OPENAI_COMPATIBLE_API_KEY", FAKE_KEY)
    (tmp_path / "prices.toml").write_text(PRICES)
    out = tmp_path / "run"
    s = solve(cli, out, f"openai-compatible:m@{server.url}", "aider", "--prices", tmp_path / "prices.toml")
    assert (s["usage"]["input_uncached"], s["usage"]["output"], s["usage"]["calls"]) == (2300, 93, 1)
    assert s["usd"] == pytest.approx((2300 * 2.0 + 93 * 8.0) / 1e6, abs=1e-12)
    agent = json.loads((out / s["transcript"]).read_text())["messages"][-1]
    assert "Applied edit to stats/core.py" in agent["content"] and "<<<<<<< SEARCH" in agent["log"]


def test_mini_swe_agent_drives_an_anthropic_model_in_its_own_dialect(fake, cli, tmp_path, monkeypatch):
    """The same agent on another provider's wire: mini-swe-agent's LiteLLM is told `anthropic/MODEL`, so it speaks
    Anthropic Messages to the proxy (the Anthropic fake enforces their rules), billed at the catalog's Opus prices."""
    turns = [{"content": "I will rewrite the median.", "tool_calls": [{"name": "bash", "arguments": {"command": REWRITE}}]},
             {"content": "Done.", "tool_calls": [{"name": "bash", "arguments": {"command": "echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT"}}]}]
    server = fake({"model": "claude-opus-4-8", "models": ["claude-opus-4-8"], "emulate": "anthropic", "default": turns})
    monkeypatch.setenv("ANTHROPIC_API_KEY", FAKE_KEY)
    out = tmp_path / "run"
    s = solve(cli, out, f"anthropic:claude-opus-4-8@{server.url}", "mini-swe-agent")
    assert all(r["dialect"] == "anthropic" for r in server.requests)
    _billed_by_hand(s, server, OPUS)


def _python_312() -> bool:
    from harness.agents.adapters import interpreter
    from providers.base import SpecError

    try:
        return bool(interpreter("stirrup", (3, 12)))
    except SpecError:
        return False


@pytest.mark.skipif(not _python_312(), reason="Stirrup needs Python 3.12 or newer, and this machine has none")
def test_stirrup_from_pypi_solves_a_task_through_the_proxy_billed_by_pertask(fake, cli, tmp_path, monkeypatch):
    """Stirrup, Artificial Analysis's harness (a library: pertask's driver runs it with its own client, code tool and
    AA's finish and abandon tools), installed from PyPI into an environment of Python 3.12 or newer: its calls are
    metered by the proxy, tokens as the fake reported them and dollars by hand (Stirrup counts neither)."""
    usage = [{"prompt_tokens": 1800, "completion_tokens": 70, "cached_tokens": 0},
             {"prompt_tokens": 2100, "completion_tokens": 25, "cached_tokens": 1536}]
    turns = [{"content": "Rewriting the median.", "usage": usage[0],
              "tool_calls": [{"name": "code_exec", "arguments": {"cmd": REWRITE}}]},
             {"content": "", "usage": usage[1],
              "tool_calls": [{"name": "finish", "arguments": {"reason": "median fixed", "paths": ["stats/core.py"]}}]}]
    server = fake({"model": "m", "default": turns})
    monkeypatch.setenv("OPENAI_COMPATIBLE_API_KEY", FAKE_KEY)
    (tmp_path / "prices.toml").write_text(PRICES.replace('output = 8.0', 'output = 8.0\ncached_input = 0.5'))
    out = tmp_path / "run"
    s = solve(cli, out, f"openai-compatible:m@{server.url}", "stirrup", "--prices", tmp_path / "prices.toml")
    assert len(server.requests) == s["usage"]["calls"] == 2, "every call of the agent went through the proxy, once"
    assert (s["usage"]["input_uncached"], s["usage"]["input_cached"], s["usage"]["output"]) == (2364, 1536, 95)
    assert s["usd"] == pytest.approx((2364 * 2.0 + 1536 * 0.5 + 95 * 8.0) / 1e6, abs=1e-12)
    log = json.loads(json.loads((out / s["transcript"]).read_text())["messages"][-1]["log"])
    assert log["finish"]["reason"] == "median fixed", "Stirrup's own history is kept"
    no_upstream_key(out)

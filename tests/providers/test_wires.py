"""Each wire dialect, end to end through the CLI, against a loopback fake that enforces its provider's
documented rules: caching by Anthropic's breakpoints, thinking and reasoning that must come back,
usage in each provider's field names, dollars equal to a hand computation."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from tests.conftest import FAKE_KEY as KEY
from tests.conftest import SUBMIT, bash, copy_suite, load_samples, run_json

TURNS = 30
# ~1,000 tokens of output a turn: the context grows the way a coding task's does.
GROW = [{"tool_calls": [bash(f"python3 -c \"print('{i}' + 'x' * 4000)\"")]} for i in range(TURNS - 1)] + [SUBMIT]
OPUS = {"input": 5.0, "cached_input": 0.5, "cache_write": 6.25, "cache_write_1h": 10.0, "output": 25.0}


def run(cli, monkeypatch, tmp_path, spec: str, env: str, *extra: str) -> tuple[dict, dict]:
    monkeypatch.setenv(env, KEY)
    out = tmp_path / "run"
    suite = copy_suite(tmp_path / "suite", ("fix-median",), max_turns=TURNS + 2, max_tokens=10_000_000)
    code, stdout, err = cli("run", "--suite", suite, "--model", spec, "--out", out, *extra, "--json")
    assert code == 0, err
    (m,) = json.loads(stdout)["models"]
    (s,) = load_samples(out)
    s["_stderr"] = err  # what the run said while it went
    return m, s


def turns_of(server) -> list[dict]:
    """The requests of the sample itself (the preflight's conversation is the script's default)."""
    return [r for r in server.requests if r["conversation"] == 0]


def script(emulate: str, model: str, turns: list[dict] = GROW) -> dict:
    return {"model": model, "models": [model], "emulate": emulate,
            "conversations": [{"match": "wrong medians", "turns": turns}]}


def test_anthropic_native_reads_each_prefix_from_cache_and_costs_what_its_rules_give(cli, monkeypatch, tmp_path, fake):
    server = fake(script("anthropic", "claude-opus-4-8"))
    m, s = run(cli, monkeypatch, tmp_path, f"anthropic:claude-opus-4-8@{server.url}", "ANTHROPIC_API_KEY")
    calls = turns_of(server)
    assert s["turns"] == TURNS and len(calls) == TURNS
    usage = [c["usage"] for c in calls]
    prompt = [u["input_tokens"] + u["cache_read_input_tokens"] + u["cache_creation_input_tokens"] for u in usage]
    # Each turn reads back exactly the previous request's whole prompt (the breakpoint it wrote) once that
    # prompt reached Opus's minimum of 1,024 tokens; below it nothing is written or read.
    assert prompt[0] < 1024 and usage[0]["cache_read_input_tokens"] == usage[0]["cache_creation_input_tokens"] == 0
    for k in range(1, TURNS):
        cached = prompt[k - 1] >= 1024
        assert usage[k]["cache_read_input_tokens"] == (prompt[k - 1] if cached else 0), k
        assert usage[k]["cache_creation_input_tokens"] == prompt[k] - usage[k]["cache_read_input_tokens"], k
    assert sum(u["cache_read_input_tokens"] for u in usage) / sum(prompt) > 0.9
    assert "anthropic:claude-opus-4-8: the provider reports cached tokens" in s["_stderr"]
    # Usage mapped from Anthropic's names; dollars by hand from what the fake billed.
    tok = s["usage"]
    assert tok["input_cached"] == sum(u["cache_read_input_tokens"] for u in usage)
    assert tok["cache_write"] == sum(u["cache_creation_input_tokens"] for u in usage)
    assert tok["input_uncached"] == sum(u["input_tokens"] for u in usage)
    hand = sum(u["input_tokens"] * OPUS["input"] + u["cache_read_input_tokens"] * OPUS["cached_input"]
               + u["cache_creation_input_tokens"] * OPUS["cache_write"] + u["output_tokens"] * OPUS["output"]
               for u in usage) / 1e6
    assert s["usd"] == pytest.approx(hand, rel=1e-9)


def test_the_compatibility_endpoint_caches_nothing_and_costs_more(cli, monkeypatch, tmp_path, fake):
    native = fake(script("anthropic", "claude-opus-4-8"))
    _, s_native = run(cli, monkeypatch, tmp_path / "a", f"anthropic:claude-opus-4-8@{native.url}", "ANTHROPIC_API_KEY")
    compat = fake(script("anthropic", "claude-opus-4-8"))
    m, s_compat = run(cli, monkeypatch, tmp_path / "b", f"anthropic-compat:claude-opus-4-8@{compat.url}",
                      "ANTHROPIC_API_KEY")
    assert all(c["dialect"] == "chat" for c in compat.requests)
    assert s_compat["usage"]["input_cached"] == 0
    hand = sum(c["usage"]["prompt_tokens"] * OPUS["input"] + c["usage"]["completion_tokens"] * OPUS["output"]
               for c in turns_of(compat)) / 1e6
    assert s_compat["usd"] == pytest.approx(hand, rel=1e-9)
    assert s_compat["usd"] > 3 * s_native["usd"]
    warnings = run_json(cli, "report", tmp_path / "b" / "run")["warnings"]
    assert any("no cached token in 30 calls" in w for w in warnings), warnings
    assert not any("no cached token" in w for w in run_json(cli, "report", tmp_path / "a" / "run")["warnings"])


def test_thinking_blocks_go_back_with_their_signatures_and_one_hour_writes_are_priced(cli, monkeypatch, tmp_path, fake):
    turns = GROW[:4] + [SUBMIT]
    server = fake(script("anthropic", "claude-opus-4-8", turns))
    m, s = run(cli, monkeypatch, tmp_path, f"anthropic:claude-opus-4-8@{server.url}#thinking_budget=2048,cache_ttl=1h",
               "ANTHROPIC_API_KEY")
    calls = turns_of(server)
    assert s["error"] == "none" and len(calls) == 5
    body = calls[0]["request"]
    assert body["thinking"] == {"type": "enabled", "budget_tokens": 2048} and body["max_tokens"] > 2048
    assert "temperature" not in body
    for k, c in enumerate(calls):  # every earlier turn's thinking, on every turn
        assert len(c["reasoning_back"]) == k and all(c["reasoning_back"])
    one_hour = sum(c["usage"]["cache_creation"]["ephemeral_1h_input_tokens"] for c in calls)
    assert one_hour and s["usage"]["cache_write_1h"] == one_hour == s["usage"]["cache_write"]
    hand = sum(c["usage"]["input_tokens"] * OPUS["input"] + c["usage"]["cache_read_input_tokens"] * OPUS["cached_input"]
               + c["usage"]["cache_creation_input_tokens"] * OPUS["cache_write_1h"]
               + c["usage"]["output_tokens"] * OPUS["output"] for c in calls) / 1e6
    assert s["usd"] == pytest.approx(hand, rel=1e-9)
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text())
    (info,) = manifest["models"]
    assert info["settings"] == {"thinking_budget": 2048, "cache_ttl": "1h"} and info["wire"] == "anthropic"


def post(url: str, body: dict, headers: dict) -> tuple[int, str]:
    req = urllib.request.Request(url, json.dumps(body).encode(), {"content-type": "application/json", **headers})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_the_anthropic_fake_refuses_a_tool_result_turn_without_its_thinking(fake):
    server = fake(script("anthropic", "claude-opus-4-8"))
    headers = {"x-api-key": KEY, "anthropic-version": "2023-06-01"}
    body = {"model": "claude-opus-4-8", "max_tokens": 4096, "thinking": {"type": "enabled", "budget_tokens": 1024},
            "messages": [{"role": "user", "content": "wrong medians"},
                         {"role": "assistant", "content": [{"type": "tool_use", "id": "t1", "name": "bash", "input": {}}]},
                         {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1", "content": "ok"}]}]}
    status, text = post(server.url + "/messages", body, headers)
    assert status == 400 and "must start with a thinking block" in text
    forged = {"type": "thinking", "thinking": "I may skip the tests.", "signature": "0" * 40}
    body["messages"][1]["content"].insert(0, forged)
    status, text = post(server.url + "/messages", body, headers)
    assert status == 400 and "Invalid `signature`" in text


def test_deepseek_thinking_needs_its_reasoning_back_and_gets_it(cli, monkeypatch, tmp_path, fake):
    turns = GROW[:5] + [SUBMIT]
    server = fake(script("deepseek", "deepseek-v4-pro", turns))
    m, s = run(cli, monkeypatch, tmp_path / "ok", f"deepseek:deepseek-v4-pro@{server.url}", "DEEPSEEK_API_KEY")
    calls = turns_of(server)
    assert s["error"] == "none" and len(calls) == 6
    for k, c in enumerate(calls):
        assert len(c["reasoning_back"]) == k and all(c["reasoning_back"])
    # prompt_cache_hit_tokens, DeepSeek's own field, is the cached count.
    assert s["usage"]["input_cached"] == sum(c["usage"]["prompt_cache_hit_tokens"] for c in calls) > 0
    # The same model driven as a plain OpenAI-compatible endpoint drops the reasoning: DeepSeek's 400, and
    # the run stops on the set-up with one line instead of scoring the model 0.
    again = fake(script("deepseek", "deepseek-v4-pro", turns))
    monkeypatch.setenv("OPENAI_COMPATIBLE_API_KEY", KEY)
    code, _, err = cli("run", "--suite", "smoke", "--task", "fix-median", "--model",
                       f"openai-compatible:deepseek-v4-pro@{again.url}", "--out", tmp_path / "bad")
    assert code == 2 and "reasoning_content in the thinking mode must be passed back" in err


@pytest.mark.parametrize(("provider", "model", "env"), [
    ("zai", "glm-5.2", "ZAI_API_KEY"), ("moonshot", "kimi-k2.6", "MOONSHOT_API_KEY"),
    ("minimax", "MiniMax-M2.5", "MINIMAX_API_KEY"), ("openrouter", "z-ai/glm-5.2", "OPENROUTER_API_KEY")])
def test_reasoning_survives_every_turn_byte_for_byte(cli, monkeypatch, tmp_path, fake, provider, model, env):
    turns = [dict(t, reasoning=f"step {i}: read the output") for i, t in enumerate(GROW[:4])] + [SUBMIT]
    server = fake({**script(provider, model, turns), "bill": {"input": 0.6, "cached_input": 0.11, "output": 2.2}})
    m, s = run(cli, monkeypatch, tmp_path, f"{provider}:{model}@{server.url}", env)
    calls = turns_of(server)
    assert s["error"] == "none"
    def sent(i: int):  # what the provider gave at turn i, as it gave it
        text = f"step {i}: read the output"
        return [{"type": "reasoning.text", "text": text, "format": "unknown", "index": 0}] if provider == "openrouter" \
            else text

    for k, c in enumerate(calls):
        assert c["reasoning_back"] == [sent(i) for i in range(k)], (k, c)
    u = s["usage"]
    if provider == "moonshot":  # top-level usage.cached_tokens
        assert u["input_cached"] == sum(c["usage"]["cached_tokens"] for c in calls) > 0
    elif provider == "openrouter":  # what the provider billed, beside the catalog
        assert u["billed_usd"] == pytest.approx(sum(c["usage"]["cost"] for c in calls), rel=1e-9)
        assert m["billed_usd"] == pytest.approx(u["billed_usd"], rel=1e-9)
    else:
        assert u["input_cached"] == sum(c["usage"]["prompt_tokens_details"]["cached_tokens"] for c in calls) > 0
    if provider == "zai":
        assert calls[0]["request"]["thinking"] == {"type": "enabled", "clear_thinking": False}


def test_responses_carries_encrypted_reasoning_and_the_effort(cli, monkeypatch, tmp_path, fake):
    turns = GROW[:5] + [SUBMIT]
    server = fake({**script("openai", "gpt-5.5", turns), "cache_min_tokens": 1024})
    m, s = run(cli, monkeypatch, tmp_path, f"openai:gpt-5.5@{server.url}#reasoning_effort=xhigh,max_tokens=8000",
               "OPENAI_API_KEY")
    calls = turns_of(server)
    assert s["error"] == "none" and len(calls) == 6 and all(c["dialect"] == "responses" for c in calls)
    body = calls[0]["request"]
    assert body["reasoning"] == {"effort": "xhigh"} and body["max_output_tokens"] == 8000
    assert body["store"] is False and body["include"] == ["reasoning.encrypted_content"]
    for k, c in enumerate(calls):
        assert len(c["reasoning_back"]) == k and all(c["reasoning_back"])
    assert s["usage"]["input_cached"] == sum(c["usage"]["input_tokens_details"]["cached_tokens"] for c in calls) > 0
    assert s["usage"]["reasoning"] == sum(c["usage"]["output_tokens_details"]["reasoning_tokens"] for c in calls) > 0
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text())
    assert manifest["models"][0]["settings"] == {"reasoning_effort": "xhigh", "max_tokens": 8000}
    assert s["model"] == "openai:gpt-5.5#reasoning_effort=xhigh,max_tokens=8000"


def test_the_responses_fake_refuses_a_function_call_without_its_reasoning(fake):
    server = fake(script("openai", "gpt-5.5"))
    body = {"model": "gpt-5.5", "store": False, "input": [
        {"role": "user", "content": "wrong medians"},
        {"type": "function_call", "call_id": "call_0_0_0", "name": "bash", "arguments": "{}"},
        {"type": "function_call_output", "call_id": "call_0_0_0", "output": "ok"}]}
    status, text = post(server.url + "/responses", body, {"authorization": f"Bearer {KEY}"})
    assert status == 400 and "without its required 'reasoning' item" in text


@pytest.mark.parametrize("stream", [False, True])
@pytest.mark.parametrize(("provider", "model", "env", "emulate"), [
    ("anthropic", "claude-opus-4-8#thinking=on", "ANTHROPIC_API_KEY", "anthropic"),
    ("openai", "gpt-5.5", "OPENAI_API_KEY", "openai"), ("deepseek", "deepseek-v4-pro", "DEEPSEEK_API_KEY", "deepseek")])
def test_streamed_and_whole_answers_record_the_same(cli, monkeypatch, tmp_path, fake, provider, model, env, emulate,
                                                    stream):
    turns = GROW[:2] + [SUBMIT]
    server = fake(script(emulate, model.partition("#")[0], turns))
    name, _, opts = model.partition("#")
    spec = f"{provider}:{name}@{server.url}" + (f"#{opts}" if opts else "")
    m, s = run(cli, monkeypatch, tmp_path, spec, env, *(["--stream"] if stream else []))
    assert s["error"] == "none" and s["turns"] == 3
    transcript = json.loads((tmp_path / "run" / s["transcript"]).read_text())
    assert all(c["reasoning"] for c in transcript["calls"])  # streamed reasoning is kept too
    assert (s["usage"]["ttft_s"] is not None) == stream

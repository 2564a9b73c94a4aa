"""The metering proxy over real loopback HTTP: a plain HTTP client stands in for an external agent and
speaks its provider's dialect to the proxy, which forwards each call to a provider fake (that enforces
the provider's rules) through the model's own transport and meters it by the model's wire."""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest

from harness.agents.proxy import Meter, MeteringProxy
from providers.registry import build_model
from results.prices import Catalog
from tests.conftest import FAKE_KEY

OPUS = {"input": 5.0, "cached_input": 0.5, "cache_write": 6.25, "output": 25.0}  # $/M, the catalog's entry
# Long enough that the system prompt passes Opus's 1,024-token cache minimum.
SYSTEM = [{"type": "text", "text": "You are a careful engineer. " * 300, "cache_control": {"type": "ephemeral"}}]


async def _post(url: str, key: str, body: dict, header: str = "Authorization") -> tuple[int, dict | list]:
    value = key if header == "x-api-key" else f"Bearer {key}"
    async with aiohttp.ClientSession() as s, s.post(url, json=body, headers={header: value,
                                                                            "anthropic-version": "2023-06-01"}) as r:
        if r.headers.get("Content-Type", "").startswith("text/event-stream"):
            events = [json.loads(line[5:]) for line in (await r.text()).splitlines()
                      if line.startswith("data:") and line[5:].strip() != "[DONE]"]
            return r.status, events
        return r.status, await r.json()


def _model(spec: str, env: str, monkeypatch):
    monkeypatch.setenv(env, FAKE_KEY)
    return build_model(spec, Catalog.load())


def test_chat_calls_pass_through_metered_and_keys_are_per_sample(fake, monkeypatch):
    server = fake({"model": "m", "default": [{"content": "one", "usage": {"prompt_tokens": 120, "completion_tokens": 7}},
                                            {"content": "two", "usage": {"prompt_tokens": 150, "completion_tokens": 9}}]})
    model = _model(f"openai-compatible:m@{server.url}", "OPENAI_COMPATIBLE_API_KEY", monkeypatch)

    async def go():
        proxy = MeteringProxy()
        url = await proxy.start() + "/v1/chat/completions"
        mine, other = Meter("s1", model), Meter("s2", model)
        key, other_key = proxy.open(mine), proxy.open(other)
        body = {"model": "m", "messages": [{"role": "user", "content": "hi"}], "temperature": 0.25, "seed": 7}
        status, first = await _post(url, key, body)
        body["messages"] += [first["choices"][0]["message"], {"role": "user", "content": "again"}]
        status2, chunks = await _post(url, key, {**body, "stream": True})
        theirs, _ = await _post(url, other_key, body)  # the other sample's key: metered on the other sample
        wrong, _ = await _post(url, "pt-not-a-key", body)
        upstream, _ = await _post(url, FAKE_KEY, body)  # the provider's own key is not a proxy key
        # Another model than the key's: it would be billed at the served model's prices, so it is refused.
        other_model, said = await _post(url, key, {**body, "model": "gpt-5.5"})
        proxy.close(key)
        expired, _ = await _post(url, key, body)
        await proxy.stop()
        await model.aclose()
        return status, first, status2, chunks, theirs, wrong, upstream, expired, mine, other, other_model, said

    status, first, status2, chunks, theirs, wrong, upstream, expired, mine, other, other_model, said = asyncio.run(go())
    assert other_model == 400 and "serves the model 'm', not 'gpt-5.5'" in said["error"]["message"]
    assert status == 200 and first["choices"][0]["message"]["content"] == "one"
    assert status2 == 200 and "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks if c["choices"]) == "two"
    assert theirs == 200 and (wrong, upstream, expired) == (401, 401, 401)
    # What the agent sent reached the provider as sent (its settings untouched); the stream asked for its usage.
    sent = [r["request"] for r in server.requests]
    assert sent[0]["temperature"] == 0.25 and sent[0]["seed"] == 7 and "stream" not in sent[0]
    assert sent[1]["stream"] is True and sent[1]["stream_options"] == {"include_usage": True}
    # Metered on the sample whose key it was, with the provider's own counts.
    assert [(c["usage"]["input_uncached"], c["usage"]["output"]) for c in mine.calls] == [(120, 7), (150, 9)]
    assert [c["usage"]["input_uncached"] for c in other.calls] == [150]
    assert len(server.requests) == 3, "refused calls never reach the provider"


def test_anthropic_client_with_cache_control_and_streaming_is_billed_by_the_cache(fake, monkeypatch):
    server = fake({"model": "claude-opus-4-8", "models": ["claude-opus-4-8"], "emulate": "anthropic",
                   "default": [{"content": "first"}, {"content": "second"}]})
    model = _model(f"anthropic:claude-opus-4-8@{server.url}", "ANTHROPIC_API_KEY", monkeypatch)

    async def go():
        proxy = MeteringProxy()
        url = await proxy.start() + "/v1/messages"
        meter = Meter("s1", model)
        key = proxy.open(meter)
        body = {"model": "claude-opus-4-8", "max_tokens": 256, "system": SYSTEM, "stream": True,
                "messages": [{"role": "user", "content": "Look at the repository."}]}
        s1, ev1 = await _post(url, key, body, "x-api-key")
        text = "".join(e["delta"].get("text", "") for e in ev1 if e.get("type") == "content_block_delta")
        body["messages"] += [{"role": "assistant", "content": text}, {"role": "user", "content": "Go on."}]
        s2, ev2 = await _post(url, key, body, "x-api-key")
        await proxy.stop()
        await model.aclose()
        return s1, ev1, s2, ev2, meter

    s1, ev1, s2, ev2, meter = asyncio.run(go())
    assert s1 == s2 == 200 and ev1[0]["type"] == "message_start" and ev2[-1]["type"] == "message_stop"
    billed = [r["usage"] for r in server.requests]
    # The agent's breakpoint was kept: the first call wrote the system prompt, the second read it back.
    assert billed[0]["cache_creation_input_tokens"] > 1024 and billed[1]["cache_read_input_tokens"] == \
        billed[0]["cache_creation_input_tokens"]
    for call, u in zip(meter.calls, billed, strict=True):
        assert call["usage"]["input_cached"] == u["cache_read_input_tokens"]
        assert call["usage"]["cache_write"] == u["cache_creation_input_tokens"]
        by_hand = (u["input_tokens"] * OPUS["input"] + u["cache_read_input_tokens"] * OPUS["cached_input"]
                   + u["cache_creation_input_tokens"] * OPUS["cache_write"] + u["output_tokens"] * OPUS["output"]) / 1e6
        assert call["usd"] == pytest.approx(by_hand, abs=1e-9)


def test_a_sample_past_its_token_limit_gets_no_more_calls(fake, monkeypatch):
    server = fake({"model": "m", "default": [{"content": "x", "usage": {"prompt_tokens": 900, "completion_tokens": 200}}] * 3})
    model = _model(f"openai-compatible:m@{server.url}", "OPENAI_COMPATIBLE_API_KEY", monkeypatch)

    async def go():
        proxy = MeteringProxy()
        url = await proxy.start() + "/v1/chat/completions"
        meter = Meter("s1", model, max_tokens=1000)
        key = proxy.open(meter)
        body = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}
        first = await _post(url, key, body)
        second = await _post(url, key, body)
        await proxy.stop()
        await model.aclose()
        return first, second, meter

    (s1, _), (s2, refused), meter = asyncio.run(go())
    assert s1 == 200 and s2 == 400 and "token limit of 1000" in refused["error"]["message"]
    assert meter.stopped == "token limit of 1000" and len(server.requests) == 1


def test_pertask_proxy_serves_one_model_for_an_agent_run_outside_pertask(fake, tmp_path):
    """`pertask proxy` as a real process: it prints its address and a key, meters each call into the ledger
    and says the totals when stopped; the upstream key is never printed or written."""
    import os
    import signal
    import subprocess
    import sys
    import urllib.request

    from tests.conftest import ROOT

    server = fake({"model": "m", "default": [{"content": "ok", "usage": {"prompt_tokens": 40, "completion_tokens": 3}}]})
    ledger = tmp_path / "calls.jsonl"
    env = {**os.environ, "OPENAI_COMPATIBLE_API_KEY": FAKE_KEY}
    proc = subprocess.Popen([sys.executable, "-m", "harness.cli", "proxy", "--model", f"openai-compatible:m@{server.url}",
                             "--ledger", str(ledger)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, cwd=ROOT)
    try:
        head = [proc.stdout.readline(), proc.stdout.readline()]
        url = head[0].split(" at ")[1].strip()
        key = head[1].split()[1]
        for _ in range(2):
            req = urllib.request.Request(url, json.dumps({"model": "m", "messages": [{"role": "user", "content": "hi"}]})
                                         .encode(), {"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
            assert json.loads(urllib.request.urlopen(req, timeout=30).read())["choices"][0]["message"]["content"] == "ok"
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    calls = [json.loads(line) for line in ledger.read_text().splitlines()]
    assert [(c["usage"]["input_uncached"], c["usage"]["output"]) for c in calls] == [(40, 3), (40, 3)]
    assert "2 calls, 80 input (0 cached) and 6 output tokens" in err
    assert FAKE_KEY not in "".join(head) + out + err + ledger.read_text()


def _leave_after(port: int, key: str, body: dict, marker: bytes) -> bytes:
    """A client on a raw socket that hangs up as soon as it has read `marker` (the last token's finish_reason):
    before the usage chunk, which a provider sends last."""
    import socket

    data = json.dumps(body).encode()
    s = socket.create_connection(("127.0.0.1", port), 5)
    s.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              + f"Authorization: Bearer {key}\r\nContent-Length: {len(data)}\r\n\r\n".encode() + data)
    got = b""
    while marker not in got:
        chunk = s.recv(65536)
        if not chunk:
            break
        got += chunk
    s.close()
    return got


@pytest.mark.parametrize("late", ["usage-late", "no-usage"])
def test_a_stream_the_client_leaves_before_its_usage_is_still_metered_once(fake, monkeypatch, late):
    """The upstream sends its usage 0.5 s after the last token (or never); the agent hangs up in between. The
    proxy reads the stream to its end and records the call once: the provider's usage, or pertask's own count
    marked estimated — never no line at all, which would hide the call from the ledger, limits and budget."""
    usage = {"prompt_tokens": 150_000, "completion_tokens": 40}
    turn = {"content": "the answer " * 40, "usage": usage, "usage_delay_s": 0.5}
    server = fake({"model": "m", "default": [turn if late == "usage-late" else {**turn, "fault": "no_usage"}]})
    model = _model(f"openai-compatible:m@{server.url}", "OPENAI_COMPATIBLE_API_KEY", monkeypatch)
    ledger: list[dict] = []

    async def go():
        proxy = MeteringProxy()
        await proxy.start()
        meter = Meter("s1", model, on_call=ledger.append)
        key = proxy.open(meter)
        body = {"model": "m", "messages": [{"role": "user", "content": "hi " * 300}], "stream": True}
        got = await asyncio.to_thread(_leave_after, proxy.port, key, body, b'"finish_reason":"stop"')
        seen_usage = b"prompt_tokens" in got
        for _ in range(100):  # the proxy goes on reading the upstream after the client left
            if meter.calls:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)  # and records it once, not again
        await proxy.stop()
        await model.aclose()
        return meter, seen_usage

    meter, seen_usage = asyncio.run(go())
    assert not seen_usage, "the client left before the usage chunk"
    assert len(meter.calls) == 1 and len(ledger) == 1
    u = meter.calls[0]["usage"]
    if late == "usage-late":
        assert (u["input_uncached"], u["output"], u["calls_estimated"]) == (150_000, 40, 0)
    else:  # the provider never said: pertask's count (characters / 4), marked estimated, and priced
        assert u["calls_estimated"] == 1 and u["input_uncached"] >= 300 * 3 // 4 and u["output"] >= 100
    assert meter.usage.total == u["input_uncached"] + u["output"]

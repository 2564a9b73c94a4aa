"""The one client against the real scripted HTTP server: usage, streaming, faults, through both
transports (`direct`: aiohttp; `sdk`: the real openai SDK)."""

from __future__ import annotations

import asyncio

import pytest

from providers.base import ChatRequest, ModelCallError, Sampling
from providers.client import HTTPModel
from providers.http import TRANSPORTS
from providers.script_file import Script
from providers.scripted import ScriptedServer
from providers.usage import map_usage
from results.records import ModelInfo

HELLO = [{"role": "user", "content": "hello"}]


def test_the_registry_offers_every_transport():
    from providers.registry import CLIENTS  # named there so that choosing a model imports no HTTP stack
    assert CLIENTS == TRANSPORTS


@pytest.fixture(params=TRANSPORTS)
def transport(request) -> str:
    return request.param


def serve(turns: list[dict], **client) -> tuple[ScriptedServer, HTTPModel]:
    server = ScriptedServer(Script.model_validate({"model": "t", "default": turns}))
    info = ModelInfo(spec="t", kind="openai-compatible", model_name="t", base_url=server.start())
    return server, HTTPModel(info, api_key="x", **{"max_retries": 2, **client})


def model_wire():
    from providers.profiles import generic
    from providers.wire.base import make_wire
    return make_wire(generic())


def generate(turns: list[dict], transport: str, client: dict | None = None, **sampling):
    async def go():
        server, model = serve(turns, client=transport, **(client or {}))
        try:
            return await model.generate(ChatRequest(HELLO, sampling=Sampling(**sampling))), server
        finally:
            await model.aclose()
            server.stop()

    return asyncio.run(go())


def test_usage_subsets_are_split_not_added():
    u = map_usage({"prompt_tokens": 1000, "completion_tokens": 200,
                           "prompt_tokens_details": {"cached_tokens": 768, "created_cache_tokens": 128},
                           "completion_tokens_details": {"reasoning_tokens": 150}})
    assert (u.input_uncached, u.input_cached, u.cache_write, u.output, u.reasoning) == (104, 768, 128, 200, 150)
    assert u.input_total == 1000


@pytest.mark.parametrize("stream", [False, True])
def test_tool_call_and_usage_round_trip(stream, transport):
    turn = {"content": "ok", "tool_calls": [{"name": "bash", "arguments": {"command": "ls"}}],
            "reasoning": "thinking", "usage": {"prompt_tokens": 50, "completion_tokens": 7, "cached_tokens": 32}}
    out, _ = generate([turn], transport, stream=stream)
    call = out.message["tool_calls"][0]
    assert call["function"] == {"name": "bash", "arguments": '{"command": "ls"}'}
    assert (out.usage.input_uncached, out.usage.input_cached, out.usage.output) == (18, 32, 7)
    assert out.finish_reason == "tool_calls"
    # Kept as it came, streamed or not; a generic endpoint's policy sends none of it back.
    assert out.message["reasoning_parts"] == [{"field": "reasoning_content", "value": "thinking"}]
    assert out.reasoning == "thinking"
    sent = model_wire().body(ChatRequest(HELLO + [out.message]), ModelInfo(spec="t", kind="x", model_name="t"))
    assert sent["messages"][-1] == {k: v for k, v in out.message.items() if k != "reasoning_parts"}
    assert (out.usage.ttft_s is not None) == stream


@pytest.mark.parametrize("fault", ["http_500", "http_502", "http_503", "http_429", "drop", "malformed_json"])
def test_transient_fault_is_retried(fault, transport):
    out, server = generate([{"content": "fine", "fault": fault, "fault_times": 1}], transport)
    assert out.message["content"] == "fine"
    assert [r["fault"] for r in server.requests] == [fault, None]


def test_truncated_stream_is_retried_not_taken_as_an_answer(transport):
    out, server = generate([{"content": "whole answer", "fault": "truncated_stream", "fault_times": 2,
                             "usage": {"prompt_tokens": 10, "completion_tokens": 2}}], transport, stream=True)
    assert out.message["content"] == "whole answer" and out.usage.output == 2
    assert [r["fault"] for r in server.requests] == ["truncated_stream", "truncated_stream", None]


def test_a_hung_server_times_out_and_is_retried(transport):
    out, server = generate([{"content": "late but fine", "fault": "hang", "fault_times": 1}], transport,
                           client={"timeout_s": 0.5})
    assert out.message["content"] == "late but fine" and len(server.requests) == 2


def test_retry_after_is_honoured(transport):
    out, server = generate([{"content": "ok", "fault": "http_429", "fault_times": 1, "retry_after_s": 0.4}], transport)
    gap = server.requests[1]["t"] - server.requests[0]["t"]
    assert out.message["content"] == "ok" and gap >= 0.4  # a lower bound: the client waited at least that long


def test_rate_limit_storm_slows_down_instead_of_failing(transport):
    """Every first request is refused with 429: the endpoint's limit halves, all calls still finish,
    and never more than the limit were in flight at once."""
    async def go():
        server, model = serve([{"content": "done", "fault": "http_429", "fault_times": 12, "retry_after_s": 0.05,
                                "delay_s": 0.02}], client=transport, max_connections=4)
        try:
            outs = await asyncio.gather(*(model.generate(ChatRequest(HELLO)) for _ in range(12)))
            return outs, server, model.limiter
        finally:
            await model.aclose()
            server.stop()

    outs, server, limiter = asyncio.run(go())
    assert [o.message["content"] for o in outs] == ["done"] * 12
    assert server.max_in_flight <= 4 and limiter.rate_limited_count == 12
    assert sum(1 for r in server.requests if r["fault"] is None) == 12


def test_a_storm_longer_than_the_budget_is_an_infra_error(transport):
    async def go():
        server, model = serve([{"content": "never", "fault": "http_429", "fault_times": 999, "retry_after_s": 0.1}],
                              client=transport)
        model.policy.storm_budget_s = 0.5
        try:
            return await model.generate(ChatRequest(HELLO))
        finally:
            await model.aclose()
            server.stop()

    with pytest.raises(ModelCallError) as exc:
        asyncio.run(go())
    assert exc.value.kind == "infra" and "HTTP 429" in exc.value.detail


def test_persistent_fault_is_an_infra_error(transport):
    with pytest.raises(ModelCallError) as exc:
        generate([{"content": "never", "fault": "http_500", "fault_times": 99}], transport)
    assert exc.value.kind == "infra"


def test_malformed_body_is_an_infra_error(transport):
    with pytest.raises(ModelCallError) as exc:
        generate([{"content": "x", "fault": "malformed_json", "fault_times": 99}], transport)
    assert exc.value.kind == "infra"


def test_missing_usage_is_estimated_not_zero(transport):
    out, _ = generate([{"content": "x", "fault": "no_usage"}], transport)
    # Answered, so billed: pertask counts the tokens itself (characters / 4) and marks the call estimated.
    assert out.usage.calls_estimated == 1 and out.usage.calls_without_usage == 0 and out.raw_usage is None
    assert out.usage.input_uncached > 0 and out.usage.output == 1


def test_a_refused_conversation_is_the_models_error_not_retried(transport):
    async def go():
        server, model = serve([{"content": "x", "fault": "http_400", "fault_times": 99}], client=transport)
        try:
            with pytest.raises(ModelCallError) as exc:
                await model.generate(ChatRequest(HELLO))
            return exc.value, server
        finally:
            await model.aclose()
            server.stop()

    err, server = asyncio.run(go())
    assert err.kind == "model" and "maximum context length" in err.detail
    assert len(server.requests) == 1, "a refusal is an answer: asked once"


def test_nothing_listening_is_an_infra_error(transport):
    async def go():
        info = ModelInfo(spec="t", kind="openai-compatible", model_name="t", base_url="http://127.0.0.1:9/v1")
        model = HTTPModel(info, api_key="x", max_retries=1, client=transport)
        model.policy.base_s = 0.01
        try:
            return await model.generate(ChatRequest(HELLO))
        finally:
            await model.aclose()

    with pytest.raises(ModelCallError) as exc:
        asyncio.run(go())
    assert exc.value.kind == "infra" and "Unreachable" in exc.value.detail


@pytest.mark.parametrize("stream", [False, True])
def test_both_transports_read_a_reply_alike(stream):
    """The lean transport is checked against the openai SDK on the same bytes: reasoning, several tool
    calls, cache details, reasoning tokens."""
    turn = {"content": "two calls", "reasoning": "hmm",
            "tool_calls": [{"name": "bash", "arguments": {"command": "ls -la"}},
                           {"name": "read_file", "arguments": {"path": "caf\u00e9.txt"}}],
            "usage": {"prompt_tokens": 900, "completion_tokens": 40, "cached_tokens": 512, "reasoning_tokens": 12}}
    direct, _ = generate([turn], "direct", stream=stream)
    sdk, _ = generate([turn], "sdk", stream=stream)
    for out in (direct, sdk):
        out.usage.latency_s = out.usage.ttft_s = None
    assert direct == sdk
    assert [c["function"]["name"] for c in direct.message["tool_calls"]] == ["bash", "read_file"]

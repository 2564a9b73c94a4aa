"""The one OpenAI-compatible client: vLLM and every hosted API go through it.

Usage is taken from the server's own `usage` object. `cached_tokens` (and
vLLM's `created_cache_tokens` / OpenAI's `cache_write_tokens`) are subsets of
`prompt_tokens`: they are split out of it, never added to it.
"""

from __future__ import annotations

import time
from typing import Any

import httpx
import openai
from openai.types.chat import ChatCompletion, ChatCompletionChunk

from results.records import ModelInfo, Usage

from .base import ChatRequest, ModelCallError, ModelOutput
from .retry import MalformedResponse, RetryPolicy, call_with_retries, limiter_for


def usage_from_server(raw: dict[str, Any] | None) -> Usage:
    if not raw:
        return Usage(calls=1, calls_without_usage=1)
    prompt = int(raw.get("prompt_tokens") or 0)
    details = raw.get("prompt_tokens_details") or {}
    cached = min(int(details.get("cached_tokens") or 0), prompt)
    write = int(details.get("created_cache_tokens") or details.get("cache_write_tokens") or 0)
    write = min(write, prompt - cached)
    out_details = raw.get("completion_tokens_details") or {}
    output = int(raw.get("completion_tokens") or 0)
    return Usage(
        input_uncached=prompt - cached - write,
        input_cached=cached,
        cache_write=write,
        output=output,
        reasoning=min(int(out_details.get("reasoning_tokens") or 0), output),
        calls=1,
    )


def _classify(exc: Exception) -> ModelCallError:
    # 400/422 mean the model's conversation was refused (context overflow, bad tool JSON echoed back):
    # that is the model's run ending, not an outage. Everything else is infrastructure.
    if isinstance(exc, openai.BadRequestError | openai.UnprocessableEntityError):
        return ModelCallError("model", f"{type(exc).__name__}: {exc}")
    return ModelCallError("infra", f"{type(exc).__name__}: {exc}")


class OpenAIModel:
    wants_reference = False

    def __init__(self, info: ModelInfo, api_key: str, max_retries: int = 4, timeout_s: float = 600,
                 max_connections: int = 32):
        self.info = info
        self.on_close = None  # set by owners of a server that lives as long as this model
        # The SDK does not retry: providers/retry.py is the one mechanism, for streams cut short too.
        self.client = openai.AsyncOpenAI(api_key=api_key, base_url=info.base_url, max_retries=0, timeout=timeout_s)
        self.policy = RetryPolicy(attempts=max_retries)
        self.limiter = limiter_for(info.base_url, max_connections)

    async def generate(self, request: ChatRequest) -> ModelOutput:
        kwargs: dict[str, Any] = {"model": self.info.model_name, "messages": request.messages}
        if request.tools:
            kwargs["tools"] = request.tools
        s = request.sampling
        if s.temperature is not None:
            kwargs["temperature"] = s.temperature
        if s.max_tokens is not None:
            kwargs["max_completion_tokens"] = s.max_tokens
        t0 = time.perf_counter()

        async def once() -> ModelOutput:
            try:
                return await (self._stream(kwargs, time.perf_counter()) if s.stream else self._complete(kwargs))
            except (ValueError, TypeError, KeyError) as exc:  # a body the SDK could not make sense of
                raise MalformedResponse(f"malformed response: {exc}") from exc

        try:
            out = await call_with_retries(once, self.limiter, self.policy)
        except openai.OpenAIError as exc:
            raise _classify(exc) from exc
        except (httpx.TransportError, MalformedResponse) as exc:
            raise ModelCallError("infra", f"{type(exc).__name__}: {exc}") from exc
        out.usage.latency_s = time.perf_counter() - t0  # retries and waits included: what the run waited
        return out

    async def _complete(self, kwargs: dict[str, Any]) -> ModelOutput:
        # The SDK's own HTTP, errors and parsing, without chat.completions.create's request transform: it
        # walks every message against the typed parameters and cost ~8 ms of CPU a turn on long
        # conversations (benchmarks/harness_overhead.py); our messages are plain JSON already.
        resp = await self.client.post("/chat/completions", body=kwargs, cast_to=ChatCompletion)
        if not resp.choices:
            raise MalformedResponse("response has no choices")
        msg = resp.choices[0].message.model_dump(exclude_none=True)
        raw = resp.usage.model_dump() if resp.usage else None
        return ModelOutput(_clean(msg), usage_from_server(raw), resp.choices[0].finish_reason, raw,
                           msg.get("reasoning_content") or msg.get("reasoning"))

    async def _stream(self, kwargs: dict[str, Any], t0: float) -> ModelOutput:
        stream = await self.client.post(
            "/chat/completions", body={**kwargs, "stream": True, "stream_options": {"include_usage": True}},
            cast_to=ChatCompletion, stream=True, stream_cls=openai.AsyncStream[ChatCompletionChunk])
        content: list[str] = []
        calls: dict[int, dict[str, Any]] = {}
        raw, finish, ttft = None, None, None
        async for chunk in stream:
            if chunk.usage is not None:
                raw = chunk.usage.model_dump()
            for choice in chunk.choices:
                d = choice.delta
                if ttft is None and (d.content or d.tool_calls):
                    ttft = time.perf_counter() - t0
                if d.content:
                    content.append(d.content)
                for tc in d.tool_calls or []:
                    slot = calls.setdefault(tc.index, {"id": "", "type": "function",
                                                       "function": {"name": "", "arguments": ""}})
                    slot["id"] = tc.id or slot["id"]
                    if tc.function:
                        slot["function"]["name"] += tc.function.name or ""
                        slot["function"]["arguments"] += tc.function.arguments or ""
                finish = choice.finish_reason or finish
        if finish is None:  # the stream ended without its last event: cut short, not an answer
            raise MalformedResponse("the stream ended before its finish_reason")
        msg: dict[str, Any] = {"role": "assistant", "content": "".join(content) or None}
        if calls:
            msg["tool_calls"] = [calls[i] for i in sorted(calls)]
        usage = usage_from_server(raw)
        usage.ttft_s = ttft
        return ModelOutput(_clean(msg), usage, finish, raw)

    async def aclose(self) -> None:
        await self.client.close()
        if self.on_close:
            self.on_close()


def _clean(msg: dict[str, Any]) -> dict[str, Any]:
    """Keep what is sent back next turn; drop SDK-only fields so the prefix stays byte-identical."""
    out: dict[str, Any] = {"role": "assistant", "content": msg.get("content")}
    if msg.get("tool_calls"):
        out["tool_calls"] = [
            {"id": c["id"], "type": "function",
             "function": {"name": c["function"]["name"], "arguments": c["function"]["arguments"]}}
            for c in msg["tool_calls"]
        ]
    return out

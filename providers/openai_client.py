"""The one OpenAI-compatible client: vLLM and every hosted API go through it.

Usage is taken from the server's own `usage` object. `cached_tokens` (and
vLLM's `created_cache_tokens` / OpenAI's `cache_write_tokens`) are subsets of
`prompt_tokens`: they are split out of it, never added to it.
"""

from __future__ import annotations

import re
import time
from typing import Any

from results.records import ModelInfo, Usage

from .base import ChatRequest, EndpointConfigError, ModelCallError, ModelOutput
from .http import HTTPStatusError, Unreachable, make_transport
from .retry import MalformedResponse, RetryPolicy, call_with_retries, limiter_for


def usage_from_server(raw: dict[str, Any] | None) -> Usage:
    if not raw:
        return Usage(calls=1, calls_without_usage=1)
    prompt = int(raw.get("prompt_tokens") or 0)
    details = raw.get("prompt_tokens_details") or {}
    cached = int(details.get("cached_tokens") or 0)
    write = int(details.get("created_cache_tokens") or details.get("cache_write_tokens") or 0)
    out_details = raw.get("completion_tokens_details") or {}
    output = int(raw.get("completion_tokens") or 0)
    # Counts no server can mean (negative, or more cached than sent) would price to negative or invented
    # dollars: the response is malformed, retried like a body cut short, and infra if it stays so.
    if min(prompt, cached, write, output) < 0 or cached + write > prompt:
        raise MalformedResponse(f"inconsistent usage: {raw}")
    return Usage(
        input_uncached=prompt - cached - write,
        input_cached=cached,
        cache_write=write,
        output=output,
        reasoning=min(int(out_details.get("reasoning_tokens") or 0), output),
        calls=1,
    )


# What a 400 or 422 says decides whose it is. The conversation's own fault (a context it overflowed, tool
# arguments it wrote that the server cannot parse) ends the model's run; anything else — an unsupported
# parameter, a tool choice the server was not started for, a field it does not know, reasoning it wanted
# back — is the set-up's, and so is any 400 that says neither: never scored as the model's failure.
MODEL_FAULT = re.compile(
    r"context.{0,20}(length|window|limit)|maximum context|context_length_exceeded|too many tokens|prompt is too long"
    r"|input is too long|reduce the length|exceeds? the (model's )?(maximum|max)|too long for|"
    r"(invalid|malformed|could not parse|failed to parse|unable to parse).{0,40}(tool|function|argument|json)", re.I)


def _classify(exc: HTTPStatusError | Unreachable | MalformedResponse, model: str) -> Exception:
    if isinstance(exc, HTTPStatusError) and exc.status in (400, 422):
        if MODEL_FAULT.search(str(exc)):
            return ModelCallError("model", str(exc))
        return EndpointConfigError(model, str(exc))
    if isinstance(exc, HTTPStatusError) and exc.status in (401, 403, 404):  # key, permission, model or path
        return EndpointConfigError(model, str(exc))
    return ModelCallError("infra", f"{type(exc).__name__}: {exc}")


class OpenAIModel:
    wants_reference = False

    def __init__(self, info: ModelInfo, api_key: str, max_retries: int = 4, timeout_s: float = 600,
                 max_connections: int = 32, client: str = "direct"):
        self.info = info
        self.on_close = None  # set by owners of a server that lives as long as this model
        self._transport_args = (api_key, timeout_s, max_connections)  # the key stays in memory, never on disk
        self.use_client(client)
        self.policy = RetryPolicy(attempts=max_retries)
        self.limiter = limiter_for(info.base_url, max_connections)

    def use_client(self, name: str, timeout_s: float | None = None) -> None:
        """Choose the transport (`--model SPEC#client=sdk`) and its read timeout (`#timeout=S`: a server
        silent that long is unreachable); recorded in the manifest's model info."""
        if timeout_s is not None:
            self._transport_args = (self._transport_args[0], timeout_s, self._transport_args[2])
            self.info.timeout_s = timeout_s
        self.info.client = name
        self.transport = make_transport(name, self.info.base_url, *self._transport_args)

    def rebase(self, base_url: str) -> None:
        """The server moved (a launched vLLM's port is known once it runs)."""
        self.info.base_url = self.transport.base_url = base_url

    async def generate(self, request: ChatRequest) -> ModelOutput:
        body: dict[str, Any] = {"model": self.info.model_name, "messages": request.messages}
        if request.tools:
            body["tools"] = request.tools
        s = request.sampling
        if s.temperature is not None:
            body["temperature"] = s.temperature
        if s.max_tokens is not None:
            body["max_completion_tokens"] = s.max_tokens
        t0 = time.perf_counter()

        async def once() -> ModelOutput:
            try:
                return await (self._stream(body, time.perf_counter()) if s.stream else self._complete(body))
            except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:  # a body not as specified
                raise MalformedResponse(f"malformed response: {type(exc).__name__}: {exc}") from exc

        try:
            out = await call_with_retries(once, self.limiter, self.policy)
        except (HTTPStatusError, Unreachable, MalformedResponse) as exc:
            raise _classify(exc, self.info.spec) from exc
        out.usage.latency_s = time.perf_counter() - t0  # retries and waits included: what the run waited
        return out

    async def _complete(self, body: dict[str, Any]) -> ModelOutput:
        resp = await self.transport.complete(body)
        if not resp.get("choices"):
            raise MalformedResponse("response has no choices")
        choice = resp["choices"][0]
        msg = choice["message"]
        raw = resp.get("usage") or None
        return ModelOutput(_clean(msg), usage_from_server(raw), choice.get("finish_reason"), raw,
                           msg.get("reasoning_content") or msg.get("reasoning"))

    async def _stream(self, body: dict[str, Any], t0: float) -> ModelOutput:
        content: list[str] = []
        calls: dict[int, dict[str, Any]] = {}
        raw, finish, ttft = None, None, None
        async for chunk in self.transport.stream({**body, "stream": True, "stream_options": {"include_usage": True}}):
            if chunk.get("usage"):
                raw = chunk["usage"]
            for choice in chunk.get("choices") or []:
                d = choice.get("delta") or {}
                if ttft is None and (d.get("content") or d.get("tool_calls")):
                    ttft = time.perf_counter() - t0
                if d.get("content"):
                    content.append(d["content"])
                for tc in d.get("tool_calls") or []:
                    slot = calls.setdefault(tc.get("index", 0), {"id": "", "type": "function",
                                                                 "function": {"name": "", "arguments": ""}})
                    slot["id"] = tc.get("id") or slot["id"]
                    fn = tc.get("function") or {}
                    slot["function"]["name"] += fn.get("name") or ""
                    slot["function"]["arguments"] += fn.get("arguments") or ""
                finish = choice.get("finish_reason") or finish
        if finish is None:  # the stream ended without its last event: cut short, not an answer
            raise MalformedResponse("the stream ended before its finish_reason")
        msg: dict[str, Any] = {"role": "assistant", "content": "".join(content) or None}
        if calls:
            msg["tool_calls"] = [calls[i] for i in sorted(calls)]
        usage = usage_from_server(raw)
        usage.ttft_s = ttft
        return ModelOutput(_clean(msg), usage, finish, raw)

    async def aclose(self) -> None:
        await self.transport.close()
        if self.on_close:
            self.on_close()


def _clean(msg: dict[str, Any]) -> dict[str, Any]:
    """Keep what is sent back next turn; drop the server's extras (refusal, reasoning, annotations) so the
    prefix stays byte-identical."""
    out: dict[str, Any] = {"role": "assistant", "content": msg.get("content")}
    if msg.get("tool_calls"):
        out["tool_calls"] = [
            {"id": c["id"], "type": "function",
             "function": {"name": c["function"]["name"], "arguments": c["function"]["arguments"]}}
            for c in msg["tool_calls"]
        ]
    return out

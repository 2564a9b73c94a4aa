"""The one HTTP client: vLLM and every hosted API go through it, in the dialect of its profile.

The wire adapter (providers/wire/) builds the body and reads the answer; the transport
(providers/http.py) carries it; retries, rate limits and error classes are the same for all.
"""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator
from typing import Any

from results.records import ModelInfo

from .balance import BalancedTransport
from .base import ChatRequest, EndpointConfigError, Model, ModelCallError, ModelOutput, Preflight, Sampling
from .http import HTTPStatusError, Unreachable, make_transport
from .profiles import Profile, generic
from .retry import EndpointLimiter, MalformedResponse, RetryPolicy, call_with_retries, limiter_for
from .usage import estimate
from .wire.base import make_wire

# What a 400 or 422 says decides whose it is. The conversation's own fault (a context it overflowed, tool
# arguments it wrote that the server cannot parse) ends the model's run; anything else — an unsupported
# parameter, a tool choice the server was not started for, a field it does not know, reasoning it wanted
# back — is the set-up's, and so is any 400 that says neither: never scored as the model's failure.
MODEL_FAULT = re.compile(
    r"context.{0,20}(length|window|limit)|maximum context|context_length_exceeded|too many tokens|prompt is too long"
    r"|input is too long|reduce the length|exceeds? the (model's )?(maximum|max)|too long for|"
    r"(invalid|malformed|could not parse|failed to parse|unable to parse).{0,40}(tool|function|argument|json)", re.I)

PING_TOOL = {"type": "function", "function": {"name": "ping", "description": "Answer the check.",
                                              "parameters": {"type": "object", "properties": {}}}}


def _classify(exc: HTTPStatusError | Unreachable | MalformedResponse, model: str) -> Exception:
    if isinstance(exc, HTTPStatusError) and exc.status in (400, 422):
        if MODEL_FAULT.search(str(exc)):
            return ModelCallError("model", str(exc))
        return EndpointConfigError(model, str(exc))
    if isinstance(exc, HTTPStatusError) and exc.status in (401, 403, 404):  # key, permission, model or path
        return EndpointConfigError(model, str(exc))
    return ModelCallError("infra", f"{type(exc).__name__}: {exc}")


class HTTPModel(Model):
    over_http = True

    def __init__(self, info: ModelInfo, api_key: str, max_retries: int = 4, timeout_s: float = 600,
                 max_connections: int = 32, client: str = "direct", profile: Profile | None = None):
        self.info = info
        self.profile = profile or generic()
        self.wire = make_wire(self.profile)
        info.wire, info.profile = self.profile.wire, info.profile or self.profile.name
        self.takes_images = self.profile.images
        self.on_close = None  # set by owners of a server that lives as long as this model
        self._transport_args = (api_key, timeout_s, max_connections)  # the key stays in memory, never on disk
        self.use_client(client)
        self.policy = RetryPolicy(attempts=max_retries)
        self._limiter: EndpointLimiter | None = None

    @property
    def limiter(self) -> EndpointLimiter:
        # Keyed by the endpoint actually called: a launched server's address is known only once it runs.
        if self._limiter is None:
            self._limiter = limiter_for(self.info.base_url, self._transport_args[2])
        return self._limiter

    def use_client(self, name: str, timeout_s: float | None = None, max_connections: int | None = None) -> None:
        """Choose the transport (`--model SPEC#client=sdk`), its read timeout (`#timeout=S`: a server silent
        that long is unreachable) and its connection pool (--max-connections); recorded in the manifest."""
        key, timeout, conns = self._transport_args
        self._transport_args = (key, timeout_s or timeout, max_connections or conns)
        if timeout_s is not None:
            self.info.timeout_s = timeout_s
        if max_connections is not None:
            self._limiter = None
        self.info.client = name
        if len(self.info.replicas) > 1:  # data-parallel replicas: one transport each, a sample kept on one
            self.transport = BalancedTransport([make_transport(name, url, *self._transport_args, self.profile.auth,
                                                               self.profile.headers) for url in self.info.replicas])
        else:
            self.transport = make_transport(name, self.info.base_url, *self._transport_args, self.profile.auth,
                                            self.profile.headers)

    def replica_of(self, sample_id: str) -> str:
        if isinstance(self.transport, BalancedTransport) and (r := self.transport.assigned.get(sample_id)):
            return r.url
        return ""

    def replica_stats(self) -> list[dict[str, Any]] | None:
        return self.transport.stats() if isinstance(self.transport, BalancedTransport) else None

    def rebase(self, base_url: str) -> None:
        """The server moved (a launched vLLM's port is known once it runs)."""
        self.info.base_url = self.transport.base_url = base_url
        self._limiter = None

    async def generate(self, request: ChatRequest) -> ModelOutput:
        return await self._call(request, self.policy)

    async def _call(self, request: ChatRequest, policy: RetryPolicy) -> ModelOutput:
        body = self.wire.body(request, self.info)
        stream = request.sampling.stream
        t0 = time.perf_counter()

        async def once() -> ModelOutput:
            try:
                if stream:
                    return await self._stream(body)
                return self.wire.parse(await self.transport.complete(body, self.wire.path))
            except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:  # a body not as specified
                raise MalformedResponse(f"malformed response: {type(exc).__name__}: {exc}") from exc

        tries: list[tuple[str, float]] = []
        try:
            out = await call_with_retries(once, self.limiter, policy, tries)
        except (HTTPStatusError, Unreachable, MalformedResponse) as exc:
            raise _classify(exc, self.info.spec) from exc
        if out.usage.calls_without_usage:  # answered, so billed: counted by pertask rather than left unknown
            out.usage = estimate(body, out.message, out.reasoning)
        out.usage.latency_s = time.perf_counter() - t0  # retries and waits included: what the run waited
        for why, waited in tries:  # what the call took to get an answer: the provider's reliability, in the reports
            out.usage.retries[why] = out.usage.retries.get(why, 0) + 1
            out.usage.rate_limit_wait_s += waited if why == "rate_limit" else 0.0
        return out

    async def _stream(self, body: dict[str, Any]) -> ModelOutput:
        t0, first = time.perf_counter(), []

        def on_first(t: float) -> None:
            if not first:
                first.append(t - t0)

        try:
            out = await self.wire.parse_stream(self.transport.stream(self.wire.stream_body(body), self.wire.path),
                                               on_first)
        except Unreachable as exc:
            if first:  # the connection went after the stream began: a dropped stream, retried as one
                raise MalformedResponse(f"the stream was cut after it began: {exc}") from exc
            raise
        out.usage.ttft_s = first[0] if first else None
        return out

    async def preflight(self) -> Preflight:
        """One small request with one tool, tried once: the key, the model name, tool calling and usage, before
        any sample is paid for."""
        tools = self.info.protocol == "tools"  # a text-protocol model is sent no tools, in the check as in the run
        req = ChatRequest([{"role": "system", "content": "This is a connection check."},
                           {"role": "user", "content": "Call the ping tool." if tools else "Say ok."}],
                          [PING_TOOL] if tools else None, Sampling(max_tokens=None if self._thinks() else 64))
        try:
            out = await self._call(req, RetryPolicy(attempts=1, base_s=0.2))
        except EndpointConfigError as exc:
            return Preflight(f"{self.info.spec}: {exc.detail} (at {self.info.base_url})")
        except ModelCallError as exc:
            return Preflight(f"{self.info.spec}: no usable answer from {self.info.base_url}: {exc.detail}")
        if out.usage.calls_estimated:
            return Preflight(f"{self.info.spec}: the endpoint at {self.info.base_url} answered without a usage "
                             "object: its tokens and dollars would be unknown", out)
        return Preflight(None, out)

    def _thinks(self) -> bool:
        # A thinking budget must fit under max_tokens: the check keeps the spec's own limits.
        return bool({"thinking_budget", "max_tokens"} & set(self.info.settings))

    async def forward(self, body: dict[str, Any]) -> tuple[dict[str, Any], ModelOutput]:
        resp = await call_with_retries(lambda: self.transport.complete(body, self.wire.path), self.limiter, self.policy)
        return resp, self.wire.parse(resp)

    def forward_stream(self, body: dict[str, Any]) -> AsyncIterator[dict[str, Any]]:
        return self.transport.stream(self.wire.stream_body(body), self.wire.path)

    async def parse_stream(self, events: AsyncIterator[dict[str, Any]]) -> ModelOutput:
        return await self.wire.parse_stream(events, lambda _t: None)

    async def aclose(self) -> None:
        await self.transport.close()
        if self.on_close:
            self.on_close()

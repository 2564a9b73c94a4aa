"""The metering proxy: an external agent (mini-swe-agent, Claude Code, Codex…) calls it as it would call its
provider, in the provider's own dialect (Chat Completions, Responses, Anthropic Messages), with a short-lived
key of its sample's own. Each call is forwarded as it came — the agent's cache breakpoints, reasoning
settings and streaming untouched — through the model's own transport (the upstream key, its retries, its
limiter), and metered by the model's wire: the same usage mapping, prices and call ledger as the built-in
agent. The upstream key never leaves pertask's process.

One change is made: a Chat Completions stream asks for its usage (`stream_options.include_usage`), without
which a stream carries no token counts; the usage chunk is passed on like every other.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from providers.balance import SAMPLE
from providers.base import Model, ModelCallError
from providers.http import HTTPStatusError, Unreachable
from providers.usage import estimate
from providers.wire.base import WIRES, server_half
from results.prices import call_usd
from results.records import Usage, now_iso

ROUTES = {dialect: server_half(dialect).routes for dialect in WIRES}


@dataclass
class Meter:
    """One sample's use of the proxy: its calls as they were metered, and whether more are allowed."""
    sample_id: str
    model: Model
    on_call: Callable[[dict[str, Any]], None] | None = None
    max_tokens: int | None = None
    max_usd: float | None = None
    over_budget: Callable[[], str] | None = None  # the run's --budget-usd: why no more calls, or ''
    calls: list[dict[str, Any]] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    usd: float | None = 0.0
    stopped: str = ""  # why further calls are refused: the sample hit a limit

    def record(self, usage: Usage, raw: Any, latency_s: float) -> None:
        at = now_iso()
        usage.latency_s = latency_s
        usd = call_usd(self.model.info, usage, at)
        self.calls.append({"turn": len(self.calls) + 1, "at": at, "usage": usage.model_dump(), "usd": usd,
                           "raw_usage": raw})
        self.usage = self.usage + usage
        self.usd = None if usd is None or self.usd is None else self.usd + usd
        if self.on_call is not None:
            self.on_call(self.calls[-1])
        if self.max_tokens is not None and self.usage.total >= self.max_tokens:
            self.stopped = f"token limit of {self.max_tokens}"
        elif self.max_usd is not None and self.usd is not None and self.usd >= self.max_usd:
            self.stopped = f"dollar limit of ${self.max_usd}"


class MeteringProxy:
    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.host, self.port = host, port
        self.meters: dict[str, Meter] = {}
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> str:
        app = web.Application(client_max_size=64 << 20)
        for dialect, paths in ROUTES.items():
            for path in paths:
                app.router.add_post(path, self._handler(dialect))
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        self.url = f"http://{self.host}:{self.port}"
        return self.url

    async def listen_unix(self, path: str) -> web.UnixSite:
        """Also on a Unix socket (bound into a sample's sandbox): stop the site when the sample is done."""
        site = web.UnixSite(self._runner, path)
        await site.start()
        return site

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def open(self, meter: Meter) -> str:
        """A key for one sample: valid until `close`."""
        key = "pt-" + secrets.token_urlsafe(24)
        self.meters[key] = meter
        return key

    def close(self, key: str) -> Meter | None:
        return self.meters.pop(key, None)

    def _handler(self, dialect: str):
        async def handle(request: web.Request) -> web.StreamResponse:
            auth = request.headers.get("x-api-key") or request.headers.get("Authorization", "").removeprefix("Bearer ")
            meter = self.meters.get(auth.strip())
            if meter is None:
                return _error(dialect, 401, "pertask proxy: unknown or expired key (each sample has its own)",
                              "authentication_error")
            if not meter.stopped and meter.over_budget is not None:
                meter.stopped = meter.over_budget()
            if meter.stopped:
                return _error(dialect, 400, f"pertask proxy: this sample reached its {meter.stopped}; no more calls")
            model = meter.model
            SAMPLE.set(meter.sample_id)  # this request's task only: replicas keep a sample on one
            if model.info.wire != dialect:
                return _error(dialect, 400, f"pertask proxy: {model.info.spec} speaks the {model.info.wire} "
                              f"dialect: point the agent at {ROUTES[model.info.wire][0]}")
            try:
                body = await request.json()
            except ValueError:
                return _error(dialect, 400, "pertask proxy: the body is not JSON")
            asked, serves = body.get("model"), model.info.model_name
            if serves and asked != serves:  # it would be metered at the served model's prices
                return _error(dialect, 400, f"pertask proxy: this key serves the model '{serves}', not '{asked}' "
                              "(point the agent's every model setting at it)")
            if body.get("stream") is True:
                return await _stream(request, meter, body, dialect)
            return await _complete(meter, body, dialect)
        return handle


async def _complete(meter: Meter, body: dict[str, Any], dialect: str) -> web.Response:
    model, t0 = meter.model, time.perf_counter()
    try:
        resp, out = await model.forward(body)
    except HTTPStatusError as exc:  # the provider's own answer goes back to the agent, which handles it
        return _error(dialect, exc.status, str(exc))
    except Unreachable as exc:
        return _error(dialect, 502, f"pertask proxy: the endpoint did not answer: {exc}")
    usage = estimate(body, out.message, out.reasoning) if out.usage.calls_without_usage else out.usage
    meter.record(usage, out.raw_usage, time.perf_counter() - t0)
    return web.json_response(resp)


async def _stream(request: web.Request, meter: Meter, body: dict[str, Any], dialect: str) -> web.StreamResponse:
    model, t0 = meter.model, time.perf_counter()
    events = model.forward_stream(body)  # usage asked for at the end where the dialect needs it (Chat)
    try:
        first = await events.__anext__()  # before a byte is sent: an error here is still the provider's answer
    except StopAsyncIteration:
        first = None
    except HTTPStatusError as exc:
        return _error(dialect, exc.status, str(exc))
    except Unreachable as exc:
        return _error(dialect, 502, f"pertask proxy: the endpoint did not answer: {exc}")
    resp = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"})
    await resp.prepare(request)
    # Metered in a task of its own, shielded: a client that leaves after the last token (before the usage chunk)
    # neither ends the metering nor skips it. The upstream is read to its end whether anyone listens or not.
    task = asyncio.ensure_future(_relay_and_meter(resp, meter, body, dialect, first, events, t0))
    _METERING.add(task)
    task.add_done_callback(_METERING.discard)
    await asyncio.shield(task)
    return resp


_METERING: set[asyncio.Task] = set()  # streams still being read and metered (a reference keeps each alive)
TEXT_KEYS = ("content", "text", "arguments", "partial_json", "thinking", "reasoning_content", "reasoning", "delta")


async def _relay_and_meter(resp: web.StreamResponse, meter: Meter, body: dict[str, Any], dialect: str,
                           first: dict[str, Any] | None, events: AsyncIterator[dict[str, Any]], t0: float) -> None:
    model, gone, texts = meter.model, [], []

    async def send(data: bytes) -> None:
        if not gone:
            try:
                await resp.write(data)
            except (ConnectionError, RuntimeError):  # the client left (aiohttp: reset, or a closed transport)
                gone.append(True)

    async def relay() -> AsyncIterator[dict[str, Any]]:
        if first is None:
            return
        async for ev in _chain(first, events):
            texts.extend(_texts(ev))
            await send(_sse(ev, dialect))
            yield ev

    try:
        out = await model.parse_stream(relay())
    except (HTTPStatusError, Unreachable, ModelCallError, ValueError, KeyError) as exc:
        if texts:  # answered in part before it broke: billed by the provider, so metered by its estimate
            meter.record(estimate(body, {"content": "".join(texts)}), None, time.perf_counter() - t0)
        await send(_sse({"type": "error", "error": {"message": f"pertask proxy: {exc}"}}, dialect))
        return
    usage = out.usage
    if usage.calls_without_usage:  # the provider sent no usage: pertask's count, marked estimated
        usage = estimate(body, out.message, out.reasoning)
    meter.record(usage, out.raw_usage, time.perf_counter() - t0)
    await send(server_half(dialect).done)
    if not gone:
        with contextlib.suppress(ConnectionError, RuntimeError):
            await resp.write_eof()


async def _chain(first: dict[str, Any], rest: AsyncIterator[dict[str, Any]]):
    yield first
    async for ev in rest:
        yield ev


def _texts(ev: Any) -> list[str]:
    """The generated text in a streamed event, whatever the dialect: for an estimate when no usage comes."""
    if isinstance(ev, dict):
        return [t for k, v in ev.items() for t in ([v] if k in TEXT_KEYS and isinstance(v, str) else _texts(v))]
    if isinstance(ev, list):
        return [t for v in ev for t in _texts(v)]
    return []


def _sse(event: dict[str, Any], dialect: str) -> bytes:
    return server_half(dialect).sse(event)


def _error(dialect: str, status: int, message: str, kind: str = "invalid_request_error") -> web.Response:
    return web.json_response(server_half(dialect).error(message, kind), status=status)


async def serve(model: Model, port: int, ledger_path: str | None, say: Callable[[str], None],
                stop: asyncio.Event) -> Meter:
    """`pertask proxy`: one model behind the proxy for an agent run outside pertask, one key, until `stop`;
    each call appended to the ledger file as it is metered."""
    def to_ledger(call: dict[str, Any]) -> None:
        if ledger_path:
            with open(ledger_path, "a") as fh:
                fh.write(json.dumps({"model": model.info.spec, **call}) + "\n")

    proxy = MeteringProxy(port=port)
    url = await proxy.start()
    meter = Meter("proxy", model, on_call=to_ledger)
    key = proxy.open(meter)
    say(f"proxy for {model.info.spec} ({model.info.wire} dialect) at {url}{ROUTES[model.info.wire][0]}")
    say(f"key: {key}   (e.g. OPENAI_BASE_URL={url}/v1 OPENAI_API_KEY={key}, or ANTHROPIC_BASE_URL={url} "
        f"ANTHROPIC_API_KEY={key}); Ctrl-C stops")
    try:
        await stop.wait()
    finally:
        proxy.close(key)
        await proxy.stop()
    return meter

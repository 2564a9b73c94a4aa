"""Transports for the one HTTP client: how a request body (of any wire dialect) reaches a server.

`direct` (the default): aiohttp and plain JSON. Through the openai SDK, every request is built
from option models, parsed URLs, merged headers and httpx's machinery, on the harness's one event
loop: about 3x the harness's CPU per model turn (benchmarks/harness_overhead.py measures both).
`sdk` (`--model SPEC#client=sdk`) is the openai SDK, kept for anyone who wants its HTTP stack;
tests run the same faults through both.

Either transport raises only the errors below, so retries and classification are one taxonomy.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import ssl
import urllib.parse
import urllib.request
from collections.abc import AsyncIterator
from typing import Any, Protocol

import aiohttp

TRANSPORTS = ("direct", "sdk")


class HTTPStatusError(Exception):
    """The server answered with a status >= 400. `retry_after` is its header, as sent."""

    def __init__(self, status: int, body: str, retry_after: str | None = None):
        super().__init__(f"HTTP {status}: {body[:500]}")
        self.status, self.retry_after = status, retry_after


class Unreachable(Exception):
    """No answer: refused, dropped, reset, or silent past the timeout."""


class Transport(Protocol):
    base_url: str

    async def complete(self, body: dict[str, Any], path: str = "/chat/completions") -> dict[str, Any]: ...

    def stream(self, body: dict[str, Any], path: str = "/chat/completions") -> AsyncIterator[dict[str, Any]]: ...

    async def close(self) -> None: ...


@contextlib.contextmanager
def _answer_or_unreachable():
    """aiohttp's connection errors and read timeouts, as the one error the retries know."""
    try:
        yield
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise Unreachable(f"{type(exc).__name__}: {exc}") from exc


class DirectTransport:
    def __init__(self, base_url: str, api_key: str, timeout_s: float, max_connections: int, auth: str = "bearer",
                 headers: dict[str, str] | None = None):
        self.base_url = base_url
        key = {"x-api-key": api_key} if auth == "x-api-key" else {"Authorization": f"Bearer {api_key}"}
        self._headers = {**key, "Content-Type": "application/json", "Accept": "application/json",
                         "User-Agent": "pertask", **(headers or {})}
        self._timeout_s, self._max_connections = timeout_s, max_connections
        self._session: Any = None  # an aiohttp session belongs to one event loop: made on first use in it
        self._loop: Any = None

    def _client(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None or self._loop is not loop:
            # A timeout between bytes, not for the whole call: a long stream that keeps talking is fine.
            timeout = aiohttp.ClientTimeout(total=None, sock_connect=min(self._timeout_s, 60), sock_read=self._timeout_s)
            connector = aiohttp.TCPConnector(limit=self._max_connections, ssl=_ssl_context(self.base_url))
            self._session = aiohttp.ClientSession(connector=connector, timeout=timeout, headers=self._headers,
                                                  proxy=_proxy_for(self.base_url))
            self._loop = loop
        return self._session

    async def _post(self, body: dict[str, Any], path: str) -> aiohttp.ClientResponse:
        with _answer_or_unreachable():
            resp = await self._client().post(self.base_url.rstrip("/") + path,
                                             data=json.dumps(body, ensure_ascii=False).encode())
        if resp.status >= 400:
            try:
                text = await resp.text(errors="replace")
            except (aiohttp.ClientError, TimeoutError):
                text = ""
            resp.release()
            raise HTTPStatusError(resp.status, text, resp.headers.get("Retry-After"))
        return resp

    async def complete(self, body: dict[str, Any], path: str = "/chat/completions") -> dict[str, Any]:
        resp = await self._post(body, path)
        try:
            with _answer_or_unreachable():
                raw = await resp.read()
        finally:
            resp.release()
        return json.loads(raw)  # a ValueError here is a malformed body: the caller retries it

    async def stream(self, body: dict[str, Any], path: str = "/chat/completions") -> AsyncIterator[dict[str, Any]]:
        resp = await self._post(body, path)
        try:
            with _answer_or_unreachable():
                async for line in resp.content:  # server-sent events: one `data: {json}` line per chunk
                    if line.startswith(b"data:"):
                        data = line[5:].strip()
                        if data == b"[DONE]":
                            return
                        if data:
                            yield json.loads(data)
        finally:
            resp.release()

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()


def _proxy_for(url: str) -> str | None:
    # HTTPS_PROXY / HTTP_PROXY / NO_PROXY are honoured, as the SDK's httpx honours them; read once per
    # session here, because aiohttp's trust_env reads them in a thread on every request.
    host = urllib.parse.urlsplit(url).hostname or ""
    if urllib.request.proxy_bypass(host):
        return None
    return urllib.request.getproxies().get(urllib.parse.urlsplit(url).scheme)


def _ssl_context(url: str) -> ssl.SSLContext | bool:
    # certifi's roots when present (the SDK's httpx trusts those), so a host without a CA bundle still works.
    if not url.startswith("https"):
        return True
    try:
        import certifi
    except ImportError:
        return True
    return ssl.create_default_context(cafile=certifi.where())


class SDKTransport:
    """The openai SDK: OpenAI's dialects only (Bearer keys); Anthropic's Messages go through `direct`."""

    def __init__(self, base_url: str, api_key: str, timeout_s: float, max_connections: int, auth: str = "bearer",
                 headers: dict[str, str] | None = None):
        import openai
        self._openai = openai
        # The SDK does not retry: providers/retry.py is the one mechanism, for streams cut short too.
        self.client = openai.AsyncOpenAI(api_key=api_key, base_url=base_url, max_retries=0, timeout=timeout_s,
                                         default_headers=headers or None)

    @property
    def base_url(self) -> str:
        return str(self.client.base_url)

    @base_url.setter
    def base_url(self, url: str) -> None:
        self.client = self.client.with_options(base_url=url)

    async def complete(self, body: dict[str, Any], path: str = "/chat/completions") -> dict[str, Any]:
        # The SDK's low-level post, not chat.completions.create: create() walks every message against
        # its typed parameters (~8 ms a turn on long conversations); our messages are JSON already.
        with self._errors():
            return await self.client.post(path, body=body, cast_to=object)

    async def stream(self, body: dict[str, Any], path: str = "/chat/completions") -> AsyncIterator[dict[str, Any]]:
        with self._errors():
            events = await self.client.post(path, body=body, cast_to=object, stream=True,
                                            stream_cls=self._openai.AsyncStream[object])
            async for chunk in events:
                yield chunk

    @contextlib.contextmanager
    def _errors(self):
        try:
            yield
        except self._openai.APIStatusError as exc:
            body = json.dumps(exc.body) if exc.body is not None else exc.message
            raise HTTPStatusError(exc.status_code, body, exc.response.headers.get("retry-after")) from exc
        except self._openai.APIConnectionError as exc:  # timeouts included
            raise Unreachable(f"{type(exc).__name__}: {exc}") from exc

    async def close(self) -> None:
        await self.client.close()


def make_transport(name: str, base_url: str, api_key: str, timeout_s: float, max_connections: int,
                   auth: str = "bearer", headers: dict[str, str] | None = None) -> Transport:
    cls = {"direct": DirectTransport, "sdk": SDKTransport}[name]
    return cls(base_url, api_key, timeout_s, max_connections, auth, headers)

"""The wire-adapter contract and what the adapters share.

Inside pertask a conversation is OpenAI-style chat messages. A user message's content may be a list of parts:
{"type": "text", "text": ...} and {"type": "image", "media_type": "image/png", "data": BASE64} (a judge shown a PDF's
pages); each adapter writes them in its dialect, and only to a model whose profile declares `images`. An assistant message may carry
`reasoning_parts`: the reasoning the server returned, exactly as it came (a chat field and its value,
Anthropic thinking blocks with their signatures, Responses reasoning items with encrypted content).
An adapter sends them back where its provider requires, byte-identical, so the prefix cache hits.
"""

from __future__ import annotations

import functools
import importlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Protocol

from results.records import ModelInfo

from ..base import ChatRequest, ModelOutput
from ..profiles import Profile, put


def user_parts(content: Any, text: Any, image: Any) -> Any:
    """A user message's content in a dialect: a string as it is, parts through `text(str)` and `image(media, data)`."""
    if not isinstance(content, list):
        return content
    return [text(p["text"]) if p["type"] == "text" else image(p["media_type"], p["data"]) for p in content]


def data_url(media: str, data: str) -> str:
    return f"data:{media};base64,{data}"


WIRES = {"chat": "providers.wire.chat:ChatWire", "responses": "providers.wire.responses:ResponsesWire",
         "anthropic": "providers.wire.anthropic:AnthropicWire"}


class Wire(Protocol):
    path: str  # after the base URL: /chat/completions, /responses, /messages

    def body(self, request: ChatRequest, info: ModelInfo) -> dict[str, Any]: ...

    def stream_body(self, body: dict[str, Any]) -> dict[str, Any]: ...

    def parse(self, resp: dict[str, Any]) -> ModelOutput: ...

    async def parse_stream(self, events: AsyncIterator[dict[str, Any]], on_first: Any) -> ModelOutput: ...


@dataclass(frozen=True)
class ServerHalf:
    """The server side of a dialect, the same whoever serves it: where requests are posted, where the key comes,
    how an error looks and how a stream is framed. The metering proxy and the scripted server speak through it."""
    routes: tuple[str, ...]  # the paths a request is posted to (with and without /v1)
    key_header: str  # where a client puts its key: "authorization" (Bearer KEY) or "x-api-key"
    anthropic_errors: bool = False  # {"type": "error", "error": {...}} rather than OpenAI's {"error": {...}}
    named_events: bool = False  # each event has an `event: TYPE` line (Anthropic, Responses)
    done: bytes = b""  # what follows the last event (Chat Completions: data: [DONE])

    def key(self, headers: Any) -> str:
        given = headers.get(self.key_header) or ""
        return given.removeprefix("Bearer ") if self.key_header == "authorization" else given

    def error(self, message: str, kind: str = "invalid_request_error") -> dict[str, Any]:
        if self.anthropic_errors:
            return {"type": "error", "error": {"type": kind, "message": message}}
        return {"error": {"message": message, "type": kind, "code": None}}

    def sse(self, event: dict[str, Any], name: str | None = None) -> bytes:
        data = json.dumps(event, separators=(",", ":"))
        if not self.named_events:
            return f"data: {data}\n\n".encode()
        return f"event: {name or event.get('type', 'message')}\ndata: {data}\n\n".encode()


def server_half(dialect: str) -> ServerHalf:
    module, _, _ = WIRES[dialect].partition(":")
    return importlib.import_module(module).SERVER


def route_of(path: str) -> str | None:
    """The dialect a request to `path` speaks (by its last segment), or None."""
    return next((d for suffix, d in _suffixes() if path.endswith(suffix)), None)


@functools.cache
def _suffixes() -> tuple[tuple[str, str], ...]:
    return tuple((r.removeprefix("/v1"), d) for d in WIRES for r in server_half(d).routes)


def make_wire(profile: Profile) -> Wire:
    module, _, name = WIRES[profile.wire].partition(":")
    return getattr(importlib.import_module(module), name)(profile)


def effective(request: ChatRequest, info: ModelInfo) -> dict[str, Any]:
    """The settings a request is sent with: the run's sampling, overridden per model by the spec."""
    s = request.sampling
    out = {k: v for k, v in (("temperature", s.temperature), ("max_tokens", s.max_tokens)) if v is not None}
    return {**out, **info.settings}


def apply_params(body: dict[str, Any], settings: dict[str, Any], profile: Profile, skip: tuple[str, ...] = ()) -> None:
    """Each setting to the place its profile says; `thinking` as the profile's own values."""
    for name, value in settings.items():
        path = profile.params.get(name)
        if not path or name in skip:
            continue
        put(body, path, profile.thinking_values.get(value, value) if name == "thinking" else value)


def merged(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """The profile's fixed body fields under the request's own (deep: a setting refines a table)."""
    out = dict(base)
    for k, v in extra.items():
        out[k] = merged(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out

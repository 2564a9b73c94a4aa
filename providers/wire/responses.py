"""OpenAI Responses, for OpenAI's reasoning models.

Nothing is stored at OpenAI (`store: false`): each request carries the whole conversation, and the
reasoning items of earlier turns come back with their encrypted content (`include:
reasoning.encrypted_content`) before the function calls they led to, as OpenAI asks of stateless
callers; without them the model starts each tool step from nothing.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

from results.records import ModelInfo

from ..base import ChatRequest, ModelOutput
from ..profiles import Profile
from ..retry import MalformedResponse
from ..usage import map_usage
from .base import ServerHalf, apply_params, data_url, effective, merged, user_parts

# The server side of this dialect (the metering proxy and the scripted server answer through it).
SERVER = ServerHalf(("/v1/responses", "/responses"), "authorization", named_events=True)


class ResponsesWire:
    path = "/responses"

    def __init__(self, profile: Profile):
        self.profile = profile

    def body(self, request: ChatRequest, info: ModelInfo) -> dict[str, Any]:
        instructions, items = _items(request.messages)
        body: dict[str, Any] = {"model": info.model_name, "input": items, "store": False,
                                "include": ["reasoning.encrypted_content"]}
        if instructions:
            body["instructions"] = instructions
        if request.tools:
            body["tools"] = [{"type": "function", "name": t["function"]["name"],
                              "description": t["function"].get("description", ""),
                              "parameters": t["function"].get("parameters") or {"type": "object"}}
                             for t in request.tools]
        apply_params(body, effective(request, info), self.profile)
        return merged(self.profile.body, body)

    def stream_body(self, body: dict[str, Any]) -> dict[str, Any]:
        return {**body, "stream": True}

    def parse(self, resp: dict[str, Any]) -> ModelOutput:
        if not isinstance(resp.get("output"), list):
            raise MalformedResponse("response has no output")
        text, calls, parts, summary = [], [], [], []
        for item in resp["output"]:
            kind = item.get("type")
            if kind == "reasoning":
                parts.append(item)
                summary += [s.get("text", "") for s in item.get("summary") or []]
            elif kind == "message":
                text += [c.get("text", "") for c in item.get("content") or [] if c.get("type") == "output_text"]
            elif kind == "function_call":
                calls.append({"id": item["call_id"], "type": "function",
                              "function": {"name": item["name"], "arguments": item.get("arguments") or "{}"}})
        msg: dict[str, Any] = {"role": "assistant", "content": "".join(text) or None}
        if calls:
            msg["tool_calls"] = calls
        if parts:
            msg["reasoning_parts"] = parts
        incomplete = (resp.get("incomplete_details") or {}).get("reason")
        finish = "tool_calls" if calls else ("length" if incomplete == "max_output_tokens" else incomplete or "stop")
        raw = resp.get("usage") or None
        return ModelOutput(msg, map_usage(raw, self.profile.usage), finish, raw, "\n".join(summary) or None)

    async def parse_stream(self, events: AsyncIterator[dict[str, Any]], on_first: Any) -> ModelOutput:
        async for ev in events:
            kind = str(ev.get("type", ""))
            if kind.endswith(".delta"):
                on_first(time.perf_counter())
            elif kind in ("response.completed", "response.incomplete"):
                return self.parse(ev["response"])
            elif kind in ("response.failed", "error"):
                raise MalformedResponse(f"stream error: {ev.get('response', ev)}")
        raise MalformedResponse("the stream ended before response.completed")


def _items(messages: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    instructions, items = "", []
    for m in messages:
        role = m["role"]
        if role == "system":
            instructions = m["content"]
        elif role == "assistant":
            items += m.get("reasoning_parts") or []
            if m.get("content"):
                items.append({"role": "assistant", "content": m["content"]})
            items += [{"type": "function_call", "call_id": c["id"], "name": c["function"]["name"],
                       "arguments": c["function"]["arguments"]} for c in m.get("tool_calls") or []]
        elif role == "tool":
            items.append({"type": "function_call_output", "call_id": m["tool_call_id"], "output": m["content"]})
        else:
            items.append({"role": "user", "content": user_parts(m["content"], lambda t: {"type": "input_text", "text": t},
                                                                lambda media, d: {"type": "input_image",
                                                                                  "image_url": data_url(media, d)})})
    return instructions, items

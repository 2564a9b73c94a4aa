"""Anthropic Messages, natively: prompt-cache breakpoints, extended thinking, Anthropic's usage.

Caching is opt-in per request: a `cache_control` marker caches the prefix up to its block (tools,
then system, then messages), and a later request reads it only up to a marker it has seen before.
Like Claude Code, each request marks the system prompt, the end of the previous request's last
message (so that prefix is read back whatever the lookback window) and its own last block (written
for the next turn): most of each prompt after the first is a cache read.
Thinking blocks come back with their signatures and go back unchanged before the tool uses they
led to: with thinking on, the API refuses a tool-result turn whose thinking block was dropped.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from typing import Any

from results.records import ModelInfo

from ..base import ChatRequest, ModelOutput
from ..profiles import Profile
from ..retry import MalformedResponse
from ..usage import map_usage
from .base import ServerHalf, apply_params, effective, merged, user_parts

DEFAULT_MAX_TOKENS = 16_384  # the API requires max_tokens; above any single turn of the built-in agent
STOP = {"tool_use": "tool_calls", "end_turn": "stop", "stop_sequence": "stop", "max_tokens": "length",
        "pause_turn": "stop", "refusal": "content_filter"}
THINKING = ("thinking", "redacted_thinking")


# The server side of this dialect (the metering proxy and the scripted server answer through it).
SERVER = ServerHalf(("/v1/messages", "/messages"), "x-api-key", anthropic_errors=True,
                    named_events=True)


class AnthropicWire:
    path = "/messages"

    def __init__(self, profile: Profile):
        self.profile = profile

    def body(self, request: ChatRequest, info: ModelInfo) -> dict[str, Any]:
        settings = effective(request, info)
        thinking_on = "thinking_budget" in settings or "reasoning_effort" in settings or settings.get("thinking") == "on"
        if thinking_on:  # with thinking the API takes no temperature other than its own
            settings = {k: v for k, v in settings.items() if k != "temperature"}
        budget = settings.get("thinking_budget")
        settings.setdefault("max_tokens", max(DEFAULT_MAX_TOKENS, (budget or 0) + 8_192))
        cc: dict[str, Any] = {"type": "ephemeral"}
        if settings.get("cache_ttl") == "1h":
            cc["ttl"] = "1h"
        system, messages = _convert(request.messages)
        body: dict[str, Any] = {"model": info.model_name, "messages": messages}
        if system:
            body["system"] = [{"type": "text", "text": system, "cache_control": cc}]
        if request.tools:
            body["tools"] = [{"name": t["function"]["name"], "description": t["function"].get("description", ""),
                              "input_schema": t["function"].get("parameters") or {"type": "object"}}
                             for t in request.tools]
        _mark(messages, cc)
        apply_params(body, settings, self.profile, skip=("thinking",))
        if budget is not None:
            body["thinking"]["type"] = "enabled"
        elif thinking_on and settings.get("thinking") != "off":
            body.setdefault("thinking", {})["type"] = self.profile.thinking_values.get("on", "adaptive")
        elif settings.get("thinking") == "off":
            body["thinking"] = {"type": self.profile.thinking_values.get("off", "disabled")}
        return merged(self.profile.body, body)

    def stream_body(self, body: dict[str, Any]) -> dict[str, Any]:
        return {**body, "stream": True}

    def parse(self, resp: dict[str, Any]) -> ModelOutput:
        if resp.get("type") != "message" or not isinstance(resp.get("content"), list):
            raise MalformedResponse("not a Messages response")
        text, calls, parts = [], [], []
        for block in resp["content"]:
            kind = block.get("type")
            if kind in THINKING:
                parts.append(block)
            elif kind == "text":
                text.append(block["text"])
            elif kind == "tool_use":
                calls.append({"id": block["id"], "type": "function",
                              "function": {"name": block["name"], "arguments": json.dumps(block.get("input") or {})}})
        msg: dict[str, Any] = {"role": "assistant", "content": "".join(text) or None}
        if calls:
            msg["tool_calls"] = calls
        if parts:
            msg["reasoning_parts"] = parts
        raw = resp.get("usage") or None
        thought = "\n".join(b.get("thinking", "") for b in parts if b.get("type") == "thinking") or None
        return ModelOutput(msg, map_usage(raw, self.profile.usage), STOP.get(resp.get("stop_reason") or "", resp.get("stop_reason")),
                           raw, thought)

    async def parse_stream(self, events: AsyncIterator[dict[str, Any]], on_first: Any) -> ModelOutput:
        message: dict[str, Any] | None = None
        blocks: dict[int, dict[str, Any]] = {}
        json_parts: dict[int, list[str]] = {}
        done = False
        async for ev in events:
            kind = ev.get("type")
            if kind == "error":  # overloaded or api_error mid-stream: the server's bad moment
                raise MalformedResponse(f"stream error: {ev.get('error')}")
            if kind == "message_start":
                message = dict(ev["message"])
            elif kind == "content_block_start":
                blocks[ev["index"]] = dict(ev["content_block"])
            elif kind == "content_block_delta":
                on_first(time.perf_counter())
                b, d = blocks[ev["index"]], ev["delta"]
                if d["type"] == "text_delta":
                    b["text"] = b.get("text", "") + d["text"]
                elif d["type"] == "thinking_delta":
                    b["thinking"] = b.get("thinking", "") + d["thinking"]
                elif d["type"] == "signature_delta":
                    b["signature"] = b.get("signature", "") + d["signature"]
                elif d["type"] == "input_json_delta":
                    json_parts.setdefault(ev["index"], []).append(d["partial_json"])
            elif kind == "message_delta" and message is not None:
                message.update({k: v for k, v in ev.get("delta", {}).items() if v is not None})
                message["usage"] = {**message.get("usage", {}), **ev.get("usage", {})}
            elif kind == "message_stop":
                done = True
        if message is None or not done:
            raise MalformedResponse("the stream ended before message_stop")
        for i, parts in json_parts.items():
            blocks[i]["input"] = json.loads("".join(parts) or "{}")
        message["content"] = [blocks[i] for i in sorted(blocks)]
        return self.parse(message)


def _convert(messages: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Chat messages -> (system, Messages turns). Tool results become tool_result blocks of a user
    turn; consecutive turns of one role are one turn."""
    system, out = "", []
    for m in messages:
        role = m["role"]
        if role == "system":
            system = m["content"]
            continue
        if role == "assistant":
            blocks = list(m.get("reasoning_parts") or [])
            if m.get("content"):
                blocks.append({"type": "text", "text": m["content"]})
            for c in m.get("tool_calls") or []:
                blocks.append({"type": "tool_use", "id": c["id"], "name": c["function"]["name"],
                               "input": _args(c["function"]["arguments"])})
            blocks = blocks or [{"type": "text", "text": "(no reply)"}]
        elif role == "tool":
            blocks = [{"type": "tool_result", "tool_use_id": m["tool_call_id"], "content": m["content"] or "(empty)"}]
        elif isinstance(m.get("content"), list):
            blocks = user_parts(m["content"], lambda t: {"type": "text", "text": t}, lambda media, d: {
                "type": "image", "source": {"type": "base64", "media_type": media, "data": d}})
        else:
            blocks = [{"type": "text", "text": m["content"] or "(empty)"}]
        kind = "assistant" if role == "assistant" else "user"
        if out and out[-1]["role"] == kind:
            out[-1]["content"].extend(blocks)
        else:
            out.append({"role": kind, "content": blocks})
    return system, out


def _args(raw: str) -> Any:
    try:
        value = json.loads(raw)
    except ValueError:
        return {"_raw": raw}  # a tool input must be an object: the agent already answered it as an error
    return value if isinstance(value, dict) else {"_raw": value}


def _mark(messages: list[dict[str, Any]], cc: dict[str, Any]) -> None:
    # Breakpoints on copies of the blocks: the conversation itself never carries cache_control.
    users = [i for i, m in enumerate(messages) if m["role"] == "user"]
    for i in users[-2:]:
        last = messages[i]["content"][-1]
        messages[i]["content"][-1] = {**last, "cache_control": cc}

"""OpenAI Chat Completions: vLLM and the OpenAI-compatible hosts.

Reasoning comes back in a message field (reasoning_content, reasoning, reasoning_details) or, for
MiniMax-M2, inside the content between <think> tags. Which of those fields go back on later turns is
the profile's policy: DeepSeek's thinking mode answers 400 when a tool-call turn's reasoning_content
is missing; Z.ai (preserved thinking), Kimi K2 thinking and OpenRouter want all of it back.
"""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator
from typing import Any

from results.records import ModelInfo

from ..base import ChatRequest, ModelOutput
from ..profiles import Profile
from ..retry import MalformedResponse
from ..usage import map_usage
from .base import ServerHalf, apply_params, data_url, effective, merged, user_parts

FIELDS = ("reasoning_content", "reasoning", "reasoning_details")
THINK = re.compile(r"<think>(.*?)</think>", re.S)


# The server side of this dialect (the metering proxy and the scripted server answer through it).
SERVER = ServerHalf(("/v1/chat/completions", "/chat/completions"), "authorization", done=b"data: [DONE]\n\n")


class ChatWire:
    path = "/chat/completions"

    def __init__(self, profile: Profile):
        self.profile = profile

    def body(self, request: ChatRequest, info: ModelInfo) -> dict[str, Any]:
        body = merged(self.profile.body, {"model": info.model_name, "messages": self._messages(request.messages)})
        if request.tools:
            body["tools"] = request.tools
        apply_params(body, effective(request, info), self.profile)
        return body

    def stream_body(self, body: dict[str, Any]) -> dict[str, Any]:
        # Usage comes in a last chunk only when asked for; what else a caller asked of the stream is kept.
        return {**body, "stream": True, "stream_options": {**(body.get("stream_options") or {}), "include_usage": True}}

    def _messages(self, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        p = self.profile
        out = []
        for m in messages:
            parts = m.get("reasoning_parts")
            if m["role"] == "user" and isinstance(m.get("content"), list):
                m = {**m, "content": user_parts(m["content"], lambda t: {"type": "text", "text": t}, lambda media, d: {
                    "type": "image_url", "image_url": {"url": data_url(media, d)}})}
            if parts is None:
                out.append(m)
                continue
            sent = {k: v for k, v in m.items() if k != "reasoning_parts"}
            if p.send_reasoning == "all" or p.send_reasoning == "tool_turns" and m.get("tool_calls"):
                for part in parts:
                    if part["field"] in p.reasoning_fields:
                        sent[p.send_reasoning_as or part["field"]] = part["value"]
            out.append(sent)
        return out

    def parse(self, resp: dict[str, Any]) -> ModelOutput:
        if not resp.get("choices"):
            raise MalformedResponse("response has no choices")
        choice = resp["choices"][0]
        raw = resp.get("usage") or None
        return self._output(choice["message"], map_usage(raw, self.profile.usage), choice.get("finish_reason"), raw)

    def _output(self, msg: dict[str, Any], usage: Any, finish: str | None, raw: Any) -> ModelOutput:
        out: dict[str, Any] = {"role": "assistant", "content": msg.get("content")}
        if msg.get("tool_calls"):
            out["tool_calls"] = [
                {"id": c["id"], "type": "function",
                 "function": {"name": c["function"]["name"], "arguments": c["function"]["arguments"]}}
                for c in msg["tool_calls"]]
        parts = [{"field": f, "value": msg[f]} for f in FIELDS if msg.get(f)]
        if parts:
            out["reasoning_parts"] = parts
        return ModelOutput(out, usage, finish, raw, _reasoning_text(msg, self.profile.think_tags))

    async def parse_stream(self, events: AsyncIterator[dict[str, Any]], on_first: Any) -> ModelOutput:
        content: list[str] = []
        reasoning: dict[str, Any] = {}
        calls: dict[int, dict[str, Any]] = {}
        raw, finish = None, None
        async for chunk in events:
            if chunk.get("usage"):
                raw = chunk["usage"]
            for choice in chunk.get("choices") or []:
                d = choice.get("delta") or {}
                if d.get("content") or d.get("tool_calls") or any(d.get(f) for f in FIELDS):
                    on_first(time.perf_counter())
                if d.get("content"):
                    content.append(d["content"])
                for f in FIELDS:  # streamed reasoning is kept too: text fields concatenate, detail lists extend
                    if d.get(f):
                        reasoning[f] = reasoning.get(f, [] if isinstance(d[f], list) else "") + d[f]
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
        msg: dict[str, Any] = {"content": "".join(content) or None, **reasoning}
        if calls:
            msg["tool_calls"] = [calls[i] for i in sorted(calls)]
        return self._output(msg, map_usage(raw, self.profile.usage), finish, raw)


def _reasoning_text(msg: dict[str, Any], think_tags: bool) -> str | None:
    if msg.get("reasoning_content") or msg.get("reasoning"):
        return msg.get("reasoning_content") or msg.get("reasoning")
    if msg.get("reasoning_details"):
        return "\n".join(str(d.get("text") or d.get("summary") or "") for d in msg["reasoning_details"]
                         if isinstance(d, dict)) or None
    if think_tags and isinstance(msg.get("content"), str):
        return "\n".join(THINK.findall(msg["content"])) or None
    return None

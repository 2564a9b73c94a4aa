"""Chat Completions as vLLM, OpenAI and the OpenAI-compatible hosts answer it, per `emulate`:

- deepseek: thinking mode (the default of its V4 and reasoner models) returns reasoning_content and
  answers 400 when an earlier tool-call turn's reasoning_content is missing; usage as
  prompt_cache_hit_tokens / prompt_cache_miss_tokens (no prompt_tokens_details); 64-token cache units.
- moonshot: usage.cached_tokens at the top level; reasoning_content.
- zai: reasoning_content; OpenAI-style usage.
- minimax: the thinking inside the content between <think> tags.
- openrouter: reasoning and reasoning_details; usage.cost when the script says what it bills.
- openai: 128-token cache increments from 1,024 tokens.
- anthropic: Anthropic's OpenAI-compatibility endpoint: "prompt caching is not supported", so no
  token is ever cached.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..script_file import Script, Turn, auto_usage, estimate_tokens, usage_body
from . import Refusal, check_data_url, default_reasoning, replaced_turns, text_of

THINK = re.compile(r"<think>(.*?)</think>", re.S)


def view(req: dict[str, Any]) -> tuple[str, int]:
    messages = req.get("messages", [])
    first_user = next((text_of(m.get("content")) for m in messages if m.get("role") == "user"), "")
    users = [text_of(m.get("content")) for m in messages if m.get("role") == "user"]
    return first_user, sum(1 for m in messages if m.get("role") == "assistant") + replaced_turns(users)


def thinking(req: dict[str, Any], script: Script) -> bool:
    off = (req.get("thinking") or {}).get("type") == "disabled"
    name = str(req.get("model", "")).lower()
    if script.emulate == "deepseek":
        return not off and ("v4" in name or "reasoner" in name)
    if script.emulate == "zai":
        return not off
    return script.emulate in ("moonshot", "minimax", "openrouter")


PARTS = ("text", "image_url", "input_audio", "file")
TEXT_ONLY = ("deepseek", "moonshot", "zai", "minimax")  # their chat APIs take text parts alone


def check_parts(req: dict[str, Any], script: Script) -> None:
    """Content parts as Chat Completions takes them: images only from the user, as image_url with a URL or data URL;
    a text-only API refuses any other part as its deserialiser does."""
    for i, m in enumerate(req.get("messages", [])):
        for j, part in enumerate(m.get("content") if isinstance(m.get("content"), list) else []):
            kind, where = part.get("type"), f"messages[{i}].content[{j}]"
            if kind != "text" and script.emulate in TEXT_ONLY:
                raise Refusal(400, f"Failed to deserialize the JSON body into the target type: {where}: unknown "
                                   f"variant `{kind}`, expected `text`")
            if kind not in PARTS:
                raise Refusal(400, f"Invalid value: '{kind}'. Supported values are: 'text', 'image_url', "
                                   f"'input_audio', and 'file'.")
            if kind == "image_url":
                if m.get("role") != "user":
                    raise Refusal(400, f"{where}: Image URLs are only allowed for messages with role 'user'")
                check_data_url((part.get("image_url") or {}).get("url"), where + ".image_url.url")


def check(req: dict[str, Any], script: Script) -> None:
    check_parts(req, script)
    if script.emulate == "deepseek" and thinking(req, script):
        for m in req.get("messages", []):
            if m.get("role") == "assistant" and m.get("tool_calls") and not m.get("reasoning_content"):
                raise Refusal(400, "The reasoning_content in the thinking mode must be passed back to the API.")


def reasoning_back(req: dict[str, Any]) -> list[Any]:
    """What each earlier assistant turn of the request carried of its reasoning (None: nothing)."""
    out = []
    for m in req.get("messages", []):
        if m.get("role") != "assistant":
            continue
        found = THINK.findall(m.get("content") or "") if isinstance(m.get("content"), str) else []
        out.append(m.get("reasoning_content") or m.get("reasoning_details") or m.get("reasoning")
                   or (found[0].strip() if found else None))
    return out


def message(turn: Turn, conv: int, idx: int, req: dict[str, Any], script: Script) -> dict[str, Any]:
    reasoning = turn.reasoning or (default_reasoning(idx) if thinking(req, script) else None)
    msg: dict[str, Any] = {"role": "assistant", "content": turn.content}
    if reasoning and script.emulate == "minimax":
        msg["content"] = f"<think>\n{reasoning}\n</think>\n\n{turn.content or ''}"
    elif reasoning and script.emulate == "openrouter":
        msg["reasoning"] = reasoning
        msg["reasoning_details"] = [{"type": "reasoning.text", "text": reasoning, "format": "unknown", "index": 0}]
    elif reasoning:
        msg["reasoning_content"] = reasoning
    if turn.tool_calls:
        msg["tool_calls"] = [
            {"id": f"call_{conv}_{idx}_{i}", "type": "function",
             "function": {"name": c.name,
                          "arguments": c.arguments if isinstance(c.arguments, str) else json.dumps(c.arguments)}}
            for i, c in enumerate(turn.tool_calls)]
    return msg


def usage(req: dict[str, Any], msg: dict[str, Any], turn: Turn, script: Script) -> dict[str, Any]:
    block, floor = {"deepseek": (64, 64), "openai": (128, 1024)}.get(script.emulate, (script.block_size, 0))
    flat = turn.usage or auto_usage(req.get("messages", []), req.get("tools"), msg, block, min_cached=floor)
    if turn.usage is None:
        thought = msg.get("reasoning_content") or msg.get("reasoning") or "".join(THINK.findall(msg.get("content") or ""))
        flat["reasoning_tokens"] = estimate_tokens(thought) if thought else 0
    if script.emulate == "anthropic":
        flat["cached_tokens"] = 0
    p, c, cached = flat.get("prompt_tokens", 0), flat.get("completion_tokens", 0), flat.get("cached_tokens", 0)
    if script.emulate == "deepseek":
        return {"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c, "prompt_cache_hit_tokens": cached,
                "prompt_cache_miss_tokens": p - cached,
                "completion_tokens_details": {"reasoning_tokens": flat.get("reasoning_tokens", 0)}}
    if script.emulate == "moonshot":
        return {"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c, "cached_tokens": cached}
    body = usage_body(flat)
    if script.emulate == "openrouter" and script.bill:
        b = script.bill
        body["cost"] = round(((p - cached) * b.get("input", 0) + cached * b.get("cached_input", b.get("input", 0))
                              + c * b.get("output", 0)) / 1e6, 12)
    return body


def sse(base: dict[str, Any], message: dict[str, Any], finish: str, usage: Any, req: dict[str, Any]) -> list[dict]:
    delta = {k: v for k, v in message.items() if k != "tool_calls"}
    if message.get("tool_calls"):
        delta["tool_calls"] = [dict(c, index=i) for i, c in enumerate(message["tool_calls"])]
    chunks = [dict(base, choices=[{"index": 0, "delta": delta, "finish_reason": None}]),
              dict(base, choices=[{"index": 0, "delta": {}, "finish_reason": finish}])]
    if usage and (req.get("stream_options") or {}).get("include_usage"):
        chunks.append(dict(base, choices=[], usage=usage))
    return chunks

"""OpenAI Responses as a stateless caller (`store: false`) meets it.

Reasoning models return a reasoning item before their function calls, with its encrypted content
when the request includes `reasoning.encrypted_content`. Nothing is stored, so a later request that
sends a function call back without the reasoning item that led to it is refused, as OpenAI refuses
"a function_call provided without its required reasoning item". Caching is automatic: the previous
request's prompt, in 128-token increments from 1,024 tokens; usage in the Responses field names.
"""

from __future__ import annotations

import json
from typing import Any

from ..script_file import Script, Turn, auto_usage, estimate_tokens
from . import Refusal, check_data_url, default_reasoning, replaced_turns, sign, text_of

ASSISTANT = ("reasoning", "function_call")


def _assistant(item: dict[str, Any]) -> bool:
    return item.get("type") in ASSISTANT or item.get("role") == "assistant"


def _starts(items: list[dict[str, Any]]) -> list[int]:
    """Where each earlier assistant turn begins: a run of reasoning, message and function-call items."""
    return [i for i, it in enumerate(items) if _assistant(it) and (i == 0 or not _assistant(items[i - 1]))]


def view(req: dict[str, Any]) -> tuple[str, int]:
    items = req.get("input") if isinstance(req.get("input"), list) else [{"role": "user", "content": req.get("input")}]
    first_user = next((text_of(i.get("content")) for i in items if i.get("role") == "user"), "")
    users = [text_of(i.get("content")) for i in items if i.get("role") == "user"]
    return first_user, len(_starts(items)) + replaced_turns(users)


def reasoning_model(req: dict[str, Any]) -> bool:
    name = str(req.get("model", ""))
    return name.startswith(("gpt-5", "o3", "o4")) and (req.get("reasoning") or {}).get("effort") != "none"


INPUT_PARTS = ("input_text", "input_image", "input_file")


def check(req: dict[str, Any], script: Script) -> None:
    items = req.get("input") if isinstance(req.get("input"), list) else []
    for i, it in enumerate(items):  # a user item's parts: input_text, input_image (a URL, a data URL or a file id)
        for j, part in enumerate(it.get("content") if it.get("role") == "user" and isinstance(it.get("content"), list)
                                 else []):
            kind = part.get("type")
            if kind not in INPUT_PARTS:
                raise Refusal(400, f"Invalid value: '{kind}'. Supported values are: 'input_text', 'input_image', and "
                                   f"'input_file'.")
            if kind == "input_image" and not part.get("file_id"):
                check_data_url(part.get("image_url"), f"input[{i}].content[{j}].image_url")
    seen: dict[str, dict[str, Any]] = {}
    for it in items:
        if it.get("type") == "reasoning":
            seen[it.get("id", "")] = it
        if it.get("type") == "function_call" and reasoning_model(req):
            conv, idx = it.get("call_id", "call_x_x_0").split("_")[1:3]
            rid = f"rs_{conv}_{idx}"
            item = seen.get(rid)
            if item is None or item.get("encrypted_content") != sign("reasoning", conv, idx):
                raise Refusal(400, f"Item '{it.get('call_id')}' of type 'function_call' was provided without its "
                              f"required 'reasoning' item: '{rid}'.")


def reasoning_back(req: dict[str, Any]) -> list[Any]:
    items = req.get("input") if isinstance(req.get("input"), list) else []
    out = []
    for s in _starts(items):
        it = items[s]
        out.append((it.get("summary") or [{}])[0].get("text") if it.get("type") == "reasoning" else None)
    return out


def reply(turn: Turn, conv: int, idx: int, req: dict[str, Any], script: Script) -> dict[str, Any]:
    output: list[dict[str, Any]] = []
    thought = ""
    if reasoning_model(req):
        thought = turn.reasoning or default_reasoning(idx)
        item: dict[str, Any] = {"type": "reasoning", "id": f"rs_{conv}_{idx}",
                                "summary": [{"type": "summary_text", "text": thought}]}
        if "reasoning.encrypted_content" in (req.get("include") or []):
            item["encrypted_content"] = sign("reasoning", str(conv), str(idx))
        output.append(item)
    if turn.content:
        output.append({"type": "message", "id": f"msg_{conv}_{idx}", "role": "assistant", "status": "completed",
                       "content": [{"type": "output_text", "text": turn.content, "annotations": []}]})
    for i, c in enumerate(turn.tool_calls):
        args = c.arguments if isinstance(c.arguments, str) else json.dumps(c.arguments)
        output.append({"type": "function_call", "id": f"fc_{conv}_{idx}_{i}", "call_id": f"call_{conv}_{idx}_{i}",
                       "name": c.name, "arguments": args, "status": "completed"})
    items = req.get("input") if isinstance(req.get("input"), list) else []
    starts = _starts(items)
    units = [req.get("instructions") or ""] + items
    flat = turn.usage or auto_usage(units, req.get("tools"), {"output": output}, 128,
                                    last_asst=(starts[-1] + 1) if starts else -1, min_cached=script.cache_min_tokens)
    reasoning = estimate_tokens(thought) if thought else 0
    usage = {"input_tokens": flat["prompt_tokens"], "input_tokens_details": {"cached_tokens": flat.get("cached_tokens", 0)},
             "output_tokens": flat["completion_tokens"] + reasoning,
             "output_tokens_details": {"reasoning_tokens": reasoning},
             "total_tokens": flat["prompt_tokens"] + flat["completion_tokens"] + reasoning}
    return {"id": f"resp_{conv}_{idx}", "object": "response", "status": "completed", "model": req.get("model"),
            "output": output, "incomplete_details": None, "usage": usage}


def sse(resp: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    events = [("response.created", {"type": "response.created", "response": dict(resp, output=[], status="in_progress")})]
    for i, item in enumerate(resp["output"]):
        events.append(("response.output_item.added", {"type": "response.output_item.added", "output_index": i, "item": item}))
        if item["type"] == "message":
            events.append(("response.output_text.delta", {"type": "response.output_text.delta", "output_index": i,
                                                          "delta": item["content"][0]["text"]}))
        if item["type"] == "function_call":
            events.append(("response.function_call_arguments.delta",
                           {"type": "response.function_call_arguments.delta", "output_index": i, "delta": item["arguments"]}))
        events.append(("response.output_item.done", {"type": "response.output_item.done", "output_index": i, "item": item}))
    events.append(("response.completed", {"type": "response.completed", "response": resp}))
    return events

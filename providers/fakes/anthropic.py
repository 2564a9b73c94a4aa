"""Anthropic Messages with the rules its documentation states.

Prompt caching: the prefix is tools, then system, then messages, cut into blocks. A request writes a
cache entry at each block that carries `cache_control` (at most 4; the 1-hour ones before the
5-minute ones); it reads the longest prefix that an earlier request wrote, looking back at most 20
blocks from each of its own breakpoints. input_tokens is what follows the last breakpoint (or the
read), cache_creation_input_tokens what was written, cache_read_input_tokens what was read; a prefix
under the model's minimum is neither read nor written.
Thinking: blocks come signed; with thinking on, the last assistant turn before tool results must
start with its thinking block, and every thinking block must come back with its signature intact.
Thinking takes no temperature; budget_tokens is at least 1,024 and below max_tokens.
"""

from __future__ import annotations

import hashlib
import json
import time
from typing import Any

from ..script_file import Script, Turn, estimate_tokens
from . import Refusal, check_image, default_reasoning, replaced_turns, sign, text_of

LOOKBACK = 20
TTL_S = {"5m": 300.0, "1h": 3600.0}


def view(req: dict[str, Any]) -> tuple[str, int]:
    msgs = req.get("messages", [])
    first_user = next((text_of(m.get("content")) for m in msgs if m.get("role") == "user"), "")
    users = [text_of(m.get("content")) for m in msgs if m.get("role") == "user"]
    return first_user, sum(1 for m in msgs if m.get("role") == "assistant") + replaced_turns(users)


def thinking_on(req: dict[str, Any]) -> bool:
    return (req.get("thinking") or {}).get("type") in ("enabled", "adaptive")


def _blocks(req: dict[str, Any]) -> list[dict[str, Any]]:
    system = req.get("system") or []
    system = [{"type": "text", "text": system}] if isinstance(system, str) else system
    out = list(req.get("tools") or []) + list(system)
    for m in req.get("messages", []):
        content = m.get("content")
        out += [{"type": "text", "text": content}] if isinstance(content, str) else list(content or [])
    return out


def check(req: dict[str, Any], script: Script) -> None:
    if not isinstance(req.get("max_tokens"), int):
        raise Refusal(400, "max_tokens: Field required")
    t = req.get("thinking") or {}
    if thinking_on(req):
        if "temperature" in req and req["temperature"] != 1:
            raise Refusal(400, "`temperature` may only be set to 1 when thinking is enabled.")
        if t.get("type") == "enabled" and not 1024 <= int(t.get("budget_tokens") or 0) < req["max_tokens"]:
            raise Refusal(400, "thinking.budget_tokens: must be at least 1024 and less than max_tokens")
    marks = [b["cache_control"] for b in _blocks(req) if isinstance(b, dict) and b.get("cache_control")]
    if len(marks) > 4:
        raise Refusal(400, f"A maximum of 4 blocks with cache_control may be provided. Found {len(marks)}.")
    ttls = [c.get("ttl", "5m") for c in marks]
    if "1h" in ttls and "5m" in ttls[: len(ttls) - ttls[::-1].index("1h")]:
        raise Refusal(400, "a ttl='1h' cache_control block must not come after a ttl='5m' one")
    msgs = req.get("messages", [])
    for i, m in enumerate(msgs):  # images: from the user only, inline base64 of a type the API takes, or a URL
        for j, b in enumerate(m.get("content") if isinstance(m.get("content"), list) else []):
            if isinstance(b, dict) and b.get("type") == "image":
                where, src = f"messages.{i}.content.{j}.image", b.get("source") or {}
                if m.get("role") != "user":
                    raise Refusal(400, f"{where}: images are only allowed in user turns")
                if src.get("type") == "base64":
                    check_image(src.get("media_type", ""), src.get("data"), where + ".source")
                elif src.get("type") != "url":
                    raise Refusal(400, f"{where}.source.type: Input tag '{src.get('type')}' found using 'type' does not "
                                       "match any of the expected tags: 'base64', 'url', 'file'")
    for i, m in enumerate(msgs):
        blocks = m.get("content") if isinstance(m.get("content"), list) else []
        for j, b in enumerate(blocks):
            if b.get("type") in ("thinking", "redacted_thinking"):
                if b.get("cache_control"):
                    raise Refusal(400, f"messages.{i}.content.{j}: thinking blocks cannot carry cache_control")
                if b.get("type") == "thinking" and b.get("signature") != sign("thinking", b.get("thinking")):
                    raise Refusal(400, f"messages.{i}.content.{j}: Invalid `signature` in `thinking` block")
        results = [b.get("tool_use_id") for b in blocks if b.get("type") == "tool_result"]
        if results:
            prev = msgs[i - 1].get("content") if i else []
            uses = [b.get("id") for b in (prev if isinstance(prev, list) else []) if b.get("type") == "tool_use"]
            if sorted(results) != sorted(uses):
                raise Refusal(400, f"messages.{i}: each tool_result must answer a tool_use of the turn before it")
    if thinking_on(req):
        last = max((i for i, m in enumerate(msgs) if m.get("role") == "assistant"), default=None)
        blocks = msgs[last].get("content") if last is not None else None
        if isinstance(blocks, list) and any(b.get("type") == "tool_use" for b in blocks) \
                and blocks[0].get("type") not in ("thinking", "redacted_thinking"):
            raise Refusal(400, f"messages.{last}.content.0.type: Expected `thinking` or `redacted_thinking`, but found "
                          f"`{blocks[0].get('type')}`. When `thinking` is enabled, a final `assistant` message must "
                          "start with a thinking block (preceding the lastmost set of `tool_use` and `tool_result` "
                          "blocks). To avoid this requirement, disable `thinking`.")


def reasoning_back(req: dict[str, Any]) -> list[Any]:
    out = []
    for m in req.get("messages", []):
        if m.get("role") == "assistant":
            blocks = m.get("content") if isinstance(m.get("content"), list) else []
            out.append(next((b.get("thinking") for b in blocks if b.get("type") == "thinking"), None))
    return out


class PromptCache:
    """What earlier requests wrote, by the hash of the prefix up to each breakpoint."""

    def __init__(self):
        self.entries: dict[str, float] = {}  # prefix hash -> expiry

    def usage(self, req: dict[str, Any], min_tokens: int) -> dict[str, Any]:
        now, blocks = time.monotonic(), _blocks(req)
        hashes, tokens, h, total = [], [], hashlib.sha256(str(req.get("model")).encode()), 0
        for b in blocks:
            plain = {k: v for k, v in b.items() if k != "cache_control"}  # the marker is not content
            h.update(json.dumps(plain, sort_keys=True).encode())
            hashes.append(h.hexdigest())
            total += estimate_tokens(plain)
            tokens.append(total)
        marks = [i for i, b in enumerate(blocks) if b.get("cache_control")]
        read_at = -1
        for bp in marks:
            for i in range(bp, max(-1, bp - LOOKBACK), -1):
                if self.entries.get(hashes[i], 0) > now and tokens[i] >= min_tokens:
                    read_at = max(read_at, i)
                    break
        read = tokens[read_at] if read_at >= 0 else 0
        write_5m = write_1h = 0
        last_end = read_at
        for bp in marks:
            ttl = blocks[bp]["cache_control"].get("ttl", "5m")
            if tokens[bp] >= min_tokens:
                self.entries[hashes[bp]] = now + TTL_S[ttl]
                if bp > last_end:
                    span = tokens[bp] - (tokens[last_end] if last_end >= 0 else 0)
                    write_1h += span if ttl == "1h" else 0
                    write_5m += span if ttl != "1h" else 0
                    last_end = bp
        if read_at >= 0:
            self.entries[hashes[read_at]] = max(self.entries[hashes[read_at]], now + 300)  # a read refreshes
        covered = tokens[last_end] if last_end >= 0 else 0
        return {"input_tokens": total - covered, "cache_creation_input_tokens": write_5m + write_1h,
                "cache_read_input_tokens": read,
                "cache_creation": {"ephemeral_5m_input_tokens": write_5m, "ephemeral_1h_input_tokens": write_1h}}


def reply(turn: Turn, conv: int, idx: int, req: dict[str, Any], script: Script,
          cache: PromptCache) -> dict[str, Any]:
    content: list[dict[str, Any]] = []
    if thinking_on(req):
        thought = turn.reasoning or default_reasoning(idx)
        content.append({"type": "thinking", "thinking": thought, "signature": sign("thinking", thought)})
    if turn.content:
        content.append({"type": "text", "text": turn.content})
    for i, c in enumerate(turn.tool_calls):
        args = c.arguments if isinstance(c.arguments, dict) else {"_raw": c.arguments}
        content.append({"type": "tool_use", "id": f"toolu_{conv}_{idx}_{i}", "name": c.name, "input": args})
    usage = cache.usage(req, script.cache_min_tokens)
    usage["output_tokens"] = sum(estimate_tokens(b) for b in content) if turn.usage is None else turn.usage.get(
        "completion_tokens", 0)
    return {"id": f"msg_{conv}_{idx}", "type": "message", "role": "assistant", "model": req.get("model"),
            "content": content, "stop_reason": "tool_use" if turn.tool_calls else "end_turn",
            "stop_sequence": None, "usage": usage}


def sse(msg: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    start = dict(msg, content=[], stop_reason=None, usage={**msg["usage"], "output_tokens": 1})
    events = [("message_start", {"type": "message_start", "message": start})]
    for i, b in enumerate(msg["content"]):
        kind = b["type"]
        empty = {"thinking": {"type": "thinking", "thinking": "", "signature": ""}, "text": {"type": "text", "text": ""},
                 "tool_use": {**b, "input": {}}}[kind]
        events.append(("content_block_start", {"type": "content_block_start", "index": i, "content_block": empty}))
        deltas = {"thinking": [{"type": "thinking_delta", "thinking": b.get("thinking", "")},
                               {"type": "signature_delta", "signature": b.get("signature", "")}],
                  "text": [{"type": "text_delta", "text": b.get("text", "")}],
                  "tool_use": [{"type": "input_json_delta", "partial_json": json.dumps(b.get("input"))}]}[kind]
        events += [("content_block_delta", {"type": "content_block_delta", "index": i, "delta": d}) for d in deltas]
        events.append(("content_block_stop", {"type": "content_block_stop", "index": i}))
    events.append(("message_delta", {"type": "message_delta", "delta": {"stop_reason": msg["stop_reason"],
                                                                          "stop_sequence": None},
                                     "usage": {"output_tokens": msg["usage"]["output_tokens"]}}))
    events.append(("message_stop", {"type": "message_stop"}))
    return events

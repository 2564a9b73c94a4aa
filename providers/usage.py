"""A provider's `usage` object -> Usage, by the mapping its profile names (providers/data/usage.toml).

OpenAI-style `cached_tokens` (and cache writes) are subsets of `prompt_tokens` and are split out of
it; Anthropic's `input_tokens` already excludes them. Counts no server can mean (negative, more
cached than sent) raise MalformedResponse: retried like a body cut short, infra if it stays so.
"""

from __future__ import annotations

import functools
import json
import logging
import tomllib
from importlib import resources
from typing import Any

from pydantic import BaseModel

from results.records import Usage

from .retry import MalformedResponse

log = logging.getLogger("pertask")


class UsageMap(BaseModel):
    model_config = {"extra": "forbid"}

    prompt: str = ""
    uncached: str = ""
    cached: list[str] = []
    cache_write: list[str] = []
    cache_write_1h: list[str] = []
    output: str
    reasoning: list[str] = []
    reasoning_in_output: bool = True
    billed: str = ""
    source: str = ""


@functools.cache
def usage_maps() -> dict[str, UsageMap]:
    data = tomllib.loads(resources.files("providers").joinpath("data/usage.toml").read_text())
    return {name: UsageMap.model_validate(row) for name, row in data.items()}


def _get(raw: dict[str, Any], path: str) -> Any:
    node: Any = raw
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _first(raw: dict[str, Any], paths: list[str]) -> int:
    for p in paths:
        v = _get(raw, p)
        if v is not None:
            return int(v)
    return 0


def map_usage(raw: dict[str, Any] | None, mapping: str | UsageMap = "openai") -> Usage:
    if not raw:
        return Usage(calls=1, calls_without_usage=1)
    m = usage_maps()[mapping] if isinstance(mapping, str) else mapping
    cached, write = _first(raw, m.cached), _first(raw, m.cache_write)
    write_1h = _first(raw, m.cache_write_1h)
    output, reasoning = int(_get(raw, m.output) or 0), _first(raw, m.reasoning)
    if m.uncached:
        uncached = int(_get(raw, m.uncached) or 0)
    else:
        uncached = int(_get(raw, m.prompt) or 0) - cached - write
    if min(uncached, cached, write, write_1h, output, reasoning) < 0 or write_1h > write:
        raise MalformedResponse(f"inconsistent usage: {raw}")
    if m.reasoning_in_output and reasoning > output:
        # A subset cannot exceed its whole: this server counts them apart. Clipping would drop billed tokens.
        log.warning("usage counts %d reasoning tokens but %d output tokens: read as counted apart", reasoning, output)
    if not m.reasoning_in_output or reasoning > output:
        output += reasoning
    billed = _get(raw, m.billed) if m.billed else None
    return Usage(input_uncached=uncached, input_cached=cached, cache_write=write, cache_write_1h=write_1h,
                 output=output, reasoning=reasoning, calls=1,
                 billed_usd=float(billed) if isinstance(billed, int | float) else None)


CHARS_PER_TOKEN = 4  # the usual rule of thumb for English text and code in BPE tokenizers


def estimate(body: dict[str, Any], message: dict[str, Any] | None, reasoning: str | None = None) -> Usage:
    """A call's tokens as pertask counts them (characters / 4) when the provider sent no usage: its request's
    messages, instructions and tools in, what came back out. Marked estimated: a guess, never 0, so limits,
    budgets and the ledger see the call."""
    sent = {k: body.get(k) for k in ("messages", "input", "instructions", "system", "tools") if body.get(k)}
    msg = message or {}
    out = [msg.get("content") or "", reasoning or "",
           *(json.dumps(tc.get("function", tc)) for tc in msg.get("tool_calls") or [])]
    text_out = "".join(x if isinstance(x, str) else json.dumps(x) for x in out)
    return Usage(input_uncached=-(-len(json.dumps(sent)) // CHARS_PER_TOKEN),
                 output=-(-len(text_out) // CHARS_PER_TOKEN), calls=1, calls_estimated=1)

"""Script files for the scripted model: which reply to give to which request.

A script is JSON:
    {"model": "NAME", "protocol": "tools" | "text", "block_size": 16,
     "conversations": [{"match": "text in the first user message", "turns": [TURN, ...]}],
     "default": [TURN, ...],
     "emulate": "" | PROVIDER, "api_key": "KEY", "models": ["NAME", ...], "tools_supported": true,
     "cache_min_tokens": 1024, "images": false, "context": N, "bill": {"input": $/M, "cached_input": $/M, "output": $/M},
     "rate_limit_in_flight": N}
    TURN = {"content": "...", "tool_calls": [{"name": "bash", "arguments": {...}}],
            "reasoning": "...", "usage": {"prompt_tokens": N, "completion_tokens": N,
            "cached_tokens": N, "cache_write_tokens": N, "reasoning_tokens": N},
            "delay_s": 0.0, "fault": FAULT, "fault_times": 1, "retry_after_s": 0.0, "error_message": "...",
            "usage_delay_s": 0.0, "finish_reason": "length"}
    FAULT = http_400 | http_401 | http_404 (saying "error_message", default a context overflow)
          | http_500 | http_502 | http_503 | http_429 (with Retry-After) | drop (close the connection)
          | malformed_json | no_usage | truncated_stream (SSE cut before [DONE]) | hang (answer after 1 h)

The turn is the number of assistant messages already in the request, so the
server holds no per-conversation state: concurrent and resumed runs replay alike.
Without "usage", tokens are estimated from the request and the cached part is
the block-aligned prompt of the previous turn, as a prefix-caching server reports.

The server answers in three dialects (Chat Completions, Responses, Anthropic Messages), and with
"emulate" it enforces that provider's documented rules and reports usage in its field names
(providers/fakes/): the fakes a regression must fail against. "api_key" makes it refuse other keys,
"models" other model names, "tools_supported": false any request with tools (as vLLM started without
a tool parser does); "bill" makes it report what it charged (OpenRouter's usage.cost).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

EMULATIONS = ("", "deepseek", "moonshot", "zai", "minimax", "openrouter", "openai", "anthropic")
FAULTS = ("http_400", "http_401", "http_404", "http_500", "http_502", "http_503", "http_429", "drop", "malformed_json", "no_usage", "truncated_stream",
          "hang")


class ToolCall(BaseModel):
    name: str
    arguments: dict[str, Any] | str = Field(default_factory=dict)  # a str is sent verbatim (malformed JSON tests)


class Turn(BaseModel):
    content: str | None = None
    tool_calls: list[ToolCall] = Field(default_factory=list)
    reasoning: str | None = None
    usage: dict[str, int] | None = None
    delay_s: float = 0.0
    fault: str | None = None
    fault_times: int = 1
    retry_after_s: float = 0.0  # the Retry-After a http_429 fault sends
    error_message: str | None = None  # what a http_400/401/404 fault says (default: context length exceeded)
    usage_delay_s: float = 0.0  # a chat stream's usage chunk comes this long after its last token
    finish_reason: str | None = None  # what a Chat Completions answer says it stopped for (default: tool_calls or stop)

    def model_post_init(self, _ctx: Any) -> None:
        if self.fault and self.fault not in FAULTS:
            raise ValueError(f"fault must be one of {', '.join(FAULTS)}")


class Conversation(BaseModel):
    match: str
    turns: list[Turn]


class Script(BaseModel):
    model: str = "scripted"
    protocol: str = "tools"
    block_size: int = 16
    conversations: list[Conversation] = Field(default_factory=list)
    default: list[Turn] = Field(default_factory=list)
    emulate: str = ""
    api_key: str | None = None
    models: list[str] = Field(default_factory=list)
    tools_supported: bool = True
    images: bool = False  # the model takes image parts (its profile says so): judges are shown page images
    context: int | None = None  # refuse a prompt of more tokens than this, as a provider refuses an overflow
    cache_min_tokens: int = 1024  # Anthropic's and OpenAI's smallest cacheable prompt (Opus 4.8, GPT-5.x)
    bill: dict[str, float] | None = None
    # A tier's concurrency limit: a request beyond this many in flight is answered 429 with Retry-After (a sweep's).
    rate_limit_in_flight: int | None = None

    def model_post_init(self, _ctx: Any) -> None:
        if self.emulate not in EMULATIONS:
            raise ValueError(f"emulate must be one of {', '.join(e or repr(e) for e in EMULATIONS)}")

    @classmethod
    def load(cls, path: Path | str) -> Script:
        path = Path(path)
        try:
            return cls.model_validate_json(path.read_text())
        except OSError as exc:
            raise ValueError(f"{path}: {exc.strerror}") from exc
        except ValueError as exc:
            errs = getattr(exc, "errors", lambda: [])()
            where = ".".join(str(x) for x in errs[0]["loc"]) if errs else "?"
            raise ValueError(f"{path}: field '{where}': {errs[0]['msg'] if errs else exc}") from exc

    def pick(self, messages: list[dict[str, Any]]) -> tuple[int, int, Turn | None]:
        """(conversation index or -1 for default, turn index, the turn or None when exhausted)."""
        first_user = next((str(m.get("content")) for m in messages if m.get("role") == "user"), "")
        return self.pick_at(first_user, sum(1 for m in messages if m.get("role") == "assistant"))

    def pick_at(self, first_user: str, turn: int) -> tuple[int, int, Turn | None]:
        conv, turns = -1, self.default
        for i, c in enumerate(self.conversations):
            if c.match in first_user:
                conv, turns = i, c.turns
                break
        return conv, turn, turns[turn] if turn < len(turns) else None


def estimate_tokens(obj: Any) -> int:
    return len(json.dumps(obj, separators=(",", ":"))) // 4 + 1


def auto_usage(messages: list[dict[str, Any]], tools: Any, reply: dict[str, Any], block: int,
               last_asst: int | None = None, min_cached: int = 0) -> dict[str, Any]:
    """Tokens of a request as a prefix-caching server counts them: the prompt up to the last assistant
    turn (`last_asst`, found by role when not given) was the previous request's and is read from cache,
    block-aligned, when at least `min_cached` long."""
    prompt = sum(estimate_tokens(m) for m in messages) + (estimate_tokens(tools) if tools else 0)
    if last_asst is None:
        last_asst = max((i for i, m in enumerate(messages) if m.get("role") == "assistant"), default=-1)
    prev = sum(estimate_tokens(m) for m in messages[:last_asst]) + (estimate_tokens(tools) if tools else 0)
    cached = (prev // block) * block if last_asst >= 0 else 0
    cached = cached if cached >= min_cached else 0
    completion = estimate_tokens(reply)
    return {"prompt_tokens": prompt, "completion_tokens": completion,
            "cached_tokens": min(cached, prompt), "cache_write_tokens": 0, "reasoning_tokens": 0}


def usage_body(u: dict[str, Any]) -> dict[str, Any]:
    """Shape a script's flat usage the way OpenAI-compatible servers send it."""
    return {
        "prompt_tokens": u.get("prompt_tokens", 0),
        "completion_tokens": u.get("completion_tokens", 0),
        "total_tokens": u.get("prompt_tokens", 0) + u.get("completion_tokens", 0),
        "prompt_tokens_details": {"cached_tokens": u.get("cached_tokens", 0),
                                  "cache_write_tokens": u.get("cache_write_tokens", 0)},
        "completion_tokens_details": {"reasoning_tokens": u.get("reasoning_tokens", 0)},
    }

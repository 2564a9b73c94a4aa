"""The oracle and null models: no tokens, no HTTP; they prove each grader can pass and fail.

Both act through the same tool calls as a real model, so an oracle run also
exercises the agent loop, the sandbox and the transcript.
"""

from __future__ import annotations

import json
from typing import Any

from results.records import ModelInfo, Usage

from .base import ChatRequest, Model, ModelOutput


def _call(i: int, name: str, args: dict[str, Any]) -> dict[str, Any]:
    return {"id": f"call_{i}", "type": "function", "function": {"name": name, "arguments": json.dumps(args)}}


def _turn(messages: list[dict[str, Any]]) -> int:
    return sum(1 for m in messages if m.get("role") == "assistant")


class _Reference(Model):
    """What the two share: nothing to call, nothing to close; a Ray worker makes its own."""

    self_contained = True

    def __init__(self, info: ModelInfo):
        self.info = info

    async def aclose(self) -> None:
        pass


class NullModel(_Reference):
    """Submits at once without touching the workspace."""

    async def generate(self, request: ChatRequest) -> ModelOutput:
        msg = {"role": "assistant", "content": None, "tool_calls": [_call(0, "submit", {})]}
        return ModelOutput(msg, Usage(), "tool_calls")


class OracleModel(_Reference):
    """Applies the task's reference solution: its files by write_file, then its script by bash."""

    wants_reference = True

    async def generate(self, request: ChatRequest) -> ModelOutput:
        ref = request.reference or {}
        calls: list[dict[str, Any]] = []
        if _turn(request.messages) == 0:
            for path, content in sorted(ref.get("files", {}).items()):
                calls.append(_call(len(calls), "write_file", {"path": path, "content": content}))
            if ref.get("script"):
                calls.append(_call(len(calls), "bash", {"command": ref["script"]}))
        if not calls:
            calls = [_call(0, "submit", {})]
        return ModelOutput({"role": "assistant", "content": None, "tool_calls": calls}, Usage(), "tool_calls")

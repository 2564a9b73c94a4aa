"""Launch presets per MoE family (data: providers/data/vllm_presets.toml)."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ..base import SpecError
from ..profiles import Profile, generic

# Flags every preset gets: prefix caching for agent loops, and cached-token counts in `usage`.
BASE_FLAGS = ["--enable-prefix-caching", "--enable-prompt-tokens-details"]


@dataclass
class Preset:
    name: str
    match: str = ""
    aliases: list[str] = field(default_factory=list)
    model_types: list[str] = field(default_factory=list)
    tool_call_parser: str = ""
    reasoning_parser: str = ""
    flags: list[str] = field(default_factory=list)
    checked_with: str = ""
    source: str = ""
    # Which earlier turns get their reasoning back (the chat template renders it in the history):
    # all, tool_turns, never; default all with a reasoning parser (interleaved thinking), else never.
    send_reasoning: str = ""

    def profile(self) -> Profile:
        """The chat profile a vLLM server of this family is driven with."""
        policy = self.send_reasoning or ("all" if self.reasoning_parser else "never")
        # vLLM returns the parser's text as `reasoning` (and older versions as `reasoning_content`); chat
        # templates read `reasoning_content` from the history.
        return generic("chat", name=f"vllm/{self.name}", reasoning_fields=["reasoning_content", "reasoning"],
                       send_reasoning=policy, send_reasoning_as="reasoning_content")

    @property
    def protocol(self) -> str:
        # Without a tool parser vLLM returns tool calls as plain text: use the text protocol.
        return "tools" if self.tool_call_parser else "text"

    def server_flags(self) -> list[str]:
        flags = list(BASE_FLAGS)
        if self.tool_call_parser:
            flags += ["--enable-auto-tool-choice", "--tool-call-parser", self.tool_call_parser]
        if self.reasoning_parser:
            flags += ["--reasoning-parser", self.reasoning_parser]
        return flags + self.flags


def presets() -> dict[str, Preset]:
    data = tomllib.loads(resources.files("providers").joinpath("data/vllm_presets.toml").read_text())
    return {name: Preset(name=name, **row) for name, row in data.items()}


def get_preset(name: str) -> Preset:
    table = presets()
    for p in table.values():
        if name.lower() == p.name or name.lower() in p.aliases:
            return p
    raise SpecError(f"unknown vLLM preset '{name}' (valid: {', '.join(table)})")


def _model_type(model: str) -> str:
    cfg = Path(model) / "config.json"
    try:
        return json.loads(cfg.read_text()).get("model_type", "") if cfg.is_file() else ""
    except (OSError, ValueError):
        return ""


def detect_preset(model: str) -> Preset:
    """By name first (GLM-4.7 and GLM-4.5 share a model_type), then by config.json's model_type."""
    table = presets()
    for p in table.values():
        if p.match and re.search(p.match, model, re.I):
            return p
    mtype = _model_type(model)
    for p in table.values():
        if mtype and mtype in p.model_types:
            return p
    return table["generic"]

"""Endpoint profiles as data (providers/data/endpoints.toml) and the per-model settings they take.

A profile says which wire adapter speaks to the endpoint, where it is, how the key is sent, how its
usage fields map, which reasoning must go back on later turns, and which settings it accepts and
where in the body each one goes. Adding a provider is a profile; adding a dialect is an adapter.
"""

from __future__ import annotations

import functools
import tomllib
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

WIRES = ("chat", "responses", "anthropic")
# What a spec may set per model (#NAME=VALUE), and how each value is read.
SETTINGS = ("reasoning_effort", "thinking_budget", "thinking", "temperature", "max_tokens", "cache_ttl")
CHAT_PARAMS = {"temperature": "temperature", "max_tokens": "max_completion_tokens"}


class Profile(BaseModel):
    model_config = {"extra": "forbid"}

    name: str = ""
    wire: Literal["chat", "responses", "anthropic"] = "chat"
    base_url: str = ""
    key_env: str = ""
    auth: Literal["bearer", "x-api-key"] = "bearer"
    headers: dict[str, str] = Field(default_factory=dict)
    usage: str = "openai"
    reasoning_fields: list[str] = Field(default_factory=list)
    send_reasoning: Literal["never", "tool_turns", "all"] = "never"
    send_reasoning_as: str = ""  # the field reasoning goes back in, when not the one it came in
    think_tags: bool = False
    params: dict[str, str] = Field(default_factory=lambda: dict(CHAT_PARAMS))
    thinking_values: dict[str, Any] = Field(default_factory=lambda: {"on": "enabled", "off": "disabled"})
    efforts: list[str] = Field(default_factory=list)
    body: dict[str, Any] = Field(default_factory=dict)
    prices_as: str = ""  # the catalog provider its calls are billed under, when not its own name
    images: bool = False  # its user messages may carry image parts (a judge shown a PDF's pages)
    source: str = ""


class ProfileError(ValueError):
    pass


@functools.cache
def profiles() -> dict[str, Profile]:
    name = "providers/data/endpoints.toml"
    data = tomllib.loads(resources.files("providers").joinpath("data/endpoints.toml").read_text())
    out = {}
    for key, row in data.items():
        try:
            out[key] = Profile.model_validate({**row, "name": key})
        except ValidationError as exc:
            e = exc.errors()[0]
            raise ProfileError(f"{name}: [{key}]: field '{'.'.join(map(str, e['loc']))}': {e['msg']}") from None
    return out


def generic(wire: str = "chat", **kw: Any) -> Profile:
    """The profile of an endpoint pertask knows nothing about (openai-compatible:, scripted:): the
    dialect's documented fields only."""
    params = {"chat": CHAT_PARAMS,
              "responses": {"reasoning_effort": "reasoning.effort", "max_tokens": "max_output_tokens",
                            "temperature": "temperature"},
              "anthropic": {"reasoning_effort": "output_config.effort", "thinking_budget": "thinking.budget_tokens",
                            "max_tokens": "max_tokens", "temperature": "temperature", "cache_ttl": "",
                            "thinking": "thinking.type"}}[wire]
    if wire == "chat":
        params = {**params, "reasoning_effort": "reasoning_effort"}
        kw.setdefault("reasoning_fields", ["reasoning_content", "reasoning"])
    usage = {"chat": "openai", "responses": "responses", "anthropic": "anthropic"}[wire]
    thinking = {"on": "adaptive", "off": "disabled"} if wire == "anthropic" else {"on": "enabled", "off": "disabled"}
    if wire == "anthropic":
        kw.setdefault("auth", "x-api-key")
        kw.setdefault("headers", {"anthropic-version": "2023-06-01"})
    return Profile(wire=wire, usage=usage, params=params, thinking_values=thinking, **kw)


def parse_settings(spec: str, options: dict[str, str], profile: Profile) -> dict[str, Any]:
    """The spec's per-model settings, typed and checked against what the profile takes: a setting the
    endpoint has no place for is refused here, before anything is sent or paid for."""
    out: dict[str, Any] = {}
    for name in SETTINGS:
        if name not in options:
            continue
        raw = options[name]
        if name not in profile.params:
            takes = ", ".join(f"{k}=" for k in profile.params) or "none"
            raise ValueError(f"--model {spec}: this endpoint ({profile.name or profile.wire}) takes no {name}= "
                             f"(it takes: {takes})")
        try:
            value: Any = {"thinking_budget": int, "max_tokens": int, "temperature": float}.get(name, str)(raw)
        except ValueError:
            raise ValueError(f"--model {spec}: {name} must be a number, not '{raw}'") from None
        if name in ("thinking_budget", "max_tokens") and value <= 0 or name == "temperature" and value < 0:
            raise ValueError(f"--model {spec}: {name} must be above 0")
        if name == "cache_ttl" and value not in ("5m", "1h"):
            raise ValueError(f"--model {spec}: cache_ttl must be 5m or 1h")
        if name == "thinking" and value not in ("on", "off"):
            raise ValueError(f"--model {spec}: thinking must be on or off")
        if name == "reasoning_effort" and profile.efforts and value not in profile.efforts:
            raise ValueError(f"--model {spec}: reasoning_effort must be one of {', '.join(profile.efforts)}")
        out[name] = value
    return out


def put(body: dict[str, Any], path: str, value: Any) -> None:
    """Set a dotted path in a request body, making the tables on the way."""
    *parents, leaf = path.split(".")
    node = body
    for p in parents:
        node = node.setdefault(p, {})
    node[leaf] = value


def describe() -> list[str]:
    """`pertask providers`: each profile's wire, key variable, URL, how reasoning goes back, and its settings."""
    lines = []
    for name, p in profiles().items():
        back = f"{'/'.join(p.reasoning_fields)} ({p.send_reasoning})" if p.reasoning_fields else (
            "<think> in content" if p.think_tags else {"anthropic": "thinking blocks", "responses": "reasoning items"}
            .get(p.wire, "-"))
        lines += [f"{name:<17} {p.wire:<10} {p.key_env:<20} {p.base_url}",
                  f"{'':<17} reasoning back: {back}; settings: {', '.join(f'{k}=' for k in p.params)}"]
    return lines

"""Contracts of the providers package: one request type, one output type, one method."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from results.records import ModelInfo, Usage


@dataclass
class Sampling:
    temperature: float | None = None
    max_tokens: int | None = None
    stream: bool = False


@dataclass
class ChatRequest:
    messages: list[dict[str, Any]]
    tools: list[dict[str, Any]] | None = None  # OpenAI tool schemas; None for the text protocol
    sampling: Sampling = field(default_factory=Sampling)
    # Per-sample facts only the oracle may use (its reference solution); real models never see it.
    reference: dict[str, Any] | None = None


@dataclass
class ModelOutput:
    message: dict[str, Any]  # an OpenAI assistant message: role, content, tool_calls
    usage: Usage
    finish_reason: str | None = None
    raw_usage: dict[str, Any] | None = None  # exactly what the server sent, for audits
    # Reasoning text goes to the transcript only: re-sending it breaks some APIs and the cache prefix.
    reasoning: str | None = None


class ModelCallError(Exception):
    """A call that failed after the client's retries. `kind` is an ErrorClass value: infra or model."""

    def __init__(self, kind: str, detail: str):
        super().__init__(detail)
        self.kind = kind
        self.detail = detail


class EndpointConfigError(Exception):
    """The endpoint refused the request's set-up, not the conversation: a wrong key, an unknown model, a
    parameter or tool choice the server does not take. No sample is to blame: the run stops at the first
    one, with this one line, and nothing is scored."""

    def __init__(self, model: str, detail: str):
        super().__init__(f"{model}: the endpoint refused the run's set-up, not the model's work: {detail} "
                         "(fix the server or the --model spec; nothing was scored)")
        self.model, self.detail = model, detail


class Model(Protocol):
    info: ModelInfo
    wants_reference: bool  # True only for the oracle

    async def generate(self, request: ChatRequest) -> ModelOutput: ...

    async def aclose(self) -> None: ...


class SpecError(ValueError):
    """A --model spec that cannot be used (unknown kind, missing key). Shown as one line."""

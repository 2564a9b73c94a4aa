"""Contracts of the providers package: one request type, one output type, one method."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

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
    # An OpenAI assistant message: role, content, tool_calls, and `reasoning_parts` when the server gave
    # reasoning (exactly as it came: the wire adapter sends it back where the provider requires it).
    message: dict[str, Any]
    usage: Usage
    finish_reason: str | None = None
    raw_usage: dict[str, Any] | None = None  # exactly what the server sent, for audits
    reasoning: str | None = None  # the reasoning as text, for the transcript's readers


@dataclass
class Preflight:
    """What one check request before the run found: `problem` is the one line to stop with (None: fine);
    `output` is the call's answer when there was one (it was paid for: the ledger records it)."""

    problem: str | None = None
    output: ModelOutput | None = None


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


class Model:
    """The contract: one required method, `generate`. Optional capabilities are declared here with
    their defaults (a model that has them overrides them); the harness never probes for them."""

    info: ModelInfo
    wants_reference: bool = False  # True only for the oracle
    takes_images: bool = False  # user messages may carry image parts (its profile's `images`)
    serves_metrics: bool = False  # a server of its own (vLLM): started, scraped, watched by the harness
    over_http: bool = False  # reached over HTTP: the run checks it with a preflight request first
    launches: bool = False  # pertask starts its server on this node (its hardware is this machine's)
    # It calls nothing outside its process (oracle, null): a Ray worker makes its own copy from the spec.
    self_contained: bool = False

    async def generate(self, request: ChatRequest) -> ModelOutput:
        raise NotImplementedError

    async def aclose(self) -> None:
        pass

    def server_alive(self) -> bool:
        return True

    async def start(self, run_dir: Any, log_name: str, on_progress: Any = None) -> None:
        """Launch or attach to the model's own server (serves_metrics models)."""

    async def snapshot(self, full: bool = True) -> dict[str, Any] | None:
        """The server's metrics now (serves_metrics models); None when there are none."""
        return None

    def replica_of(self, sample_id: str) -> str:
        """The replica a sample's calls were kept on ('' for a model of one server)."""
        return ""

    def server_clock(self) -> dict[str, float]:
        """Of servers pertask launched for it: how long they took to start (`startup_s`) and when they were ready
        (`ready_at`, time.monotonic()); {} for a model with none (attached, hosted)."""
        return {}

    def serving_gpus(self) -> int | None:
        """The GPUs its own servers take on this node (vLLM launched by pertask on a GPU node: replicas × tensor ×
        pipeline parallel size); None when pertask did not place it (attached, CPU, hosted)."""
        return None

    def replica_stats(self) -> list[dict[str, Any]] | None:
        """Per replica, what it was sent (models served by several replicas); None for one server."""
        return None

    async def preflight(self) -> Preflight:
        """One small request that shows the endpoint takes the run's requests (models over HTTP)."""
        return Preflight()

    async def forward(self, body: dict[str, Any]) -> tuple[dict[str, Any], ModelOutput]:
        """A request body in the model's own dialect (`info.wire`), sent as it came (the metering proxy's path):
        the provider's answer and what it says, parsed. Models over HTTP; retried like the model's own calls, a
        provider's refusal raised as it came (providers.http.HTTPStatusError, Unreachable)."""
        raise NotImplementedError(f"{self.info.spec} is not reached over HTTP")

    def forward_stream(self, body: dict[str, Any]) -> AsyncIterator[dict[str, Any]]:
        """The same, streamed: the provider's events as they come (usage asked for where the dialect needs it)."""
        raise NotImplementedError(f"{self.info.spec} is not reached over HTTP")

    async def parse_stream(self, events: AsyncIterator[dict[str, Any]]) -> ModelOutput:
        """What a stream of the model's dialect says (usage, message), read to its end."""
        raise NotImplementedError(f"{self.info.spec} is not reached over HTTP")


class SpecError(ValueError):
    """A --model spec that cannot be used (unknown kind, missing key). Shown as one line."""

"""The Agent contract: what acts on one sample, pertask's own loop (builtin.py) or an external CLI agent
(external.py), given the same Assignment and returning the same AgentResult. What differs is declared here:
whether it runs a program of its own in the sandbox (`external`: its calls then go through the metering proxy),
the host folders it needs visible, and what its samples at work have spent."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from providers.base import Model, Sampling
from results.records import ErrorClass, Usage

if TYPE_CHECKING:
    from harness.sandboxes import Sandbox


@dataclass
class Assignment:
    """One sample, as an agent is given it."""
    model: Model
    sample_id: str
    instruction: str
    sandbox: Sandbox
    limits: Any  # the task's limits (tasks.model.Limits), --max-turns applied
    on_call: Callable[[dict[str, Any]], None] | None = None  # each model call as soon as it is in (the ledger)
    sampling: Sampling = field(default_factory=Sampling)
    reference: dict[str, Any] | None = None  # the task's reference solution: the oracle's alone
    over_budget: Callable[[], str] | None = None  # why the run allows no more calls ('' while it does)
    system: str | None = None  # the task's own system prompt (a published benchmark's), else the agent's
    finish: bool = False  # end with finish/abandon (AA-Briefcase's tools) instead of submit


@dataclass
class AgentResult:
    messages: list[dict[str, Any]]
    calls: list[dict[str, Any]] = field(default_factory=list)  # per model call: usage, dollars, timing
    tools: list[dict[str, Any]] = field(default_factory=list)  # per tool execution
    usage: Usage = field(default_factory=Usage)
    turns: int = 0
    format_errors: int = 0
    bad_tool_calls: int = 0  # of them, tool calls whose arguments did not parse or broke the tool's schema
    submitted: bool = False
    abandoned: str = ""  # the model gave up, with this reason: scored 0 without grading
    compactions: list[Any] = field(default_factory=list)  # harness/agents/compaction.py: Compaction, in order
    error: ErrorClass = ErrorClass.none
    error_detail: str = ""


class Agent(Protocol):
    name: str  # as the manifest records it
    external: ClassVar[bool]  # a program of its own in the sandbox, calling through the metering proxy
    mounts: list[Path]  # host folders it needs visible in the sandbox, read-only (its installation)

    def unsuitable(self, model: Model) -> str:
        """Why it cannot work with that model ('' when it can)."""
        ...

    def container_problem(self) -> str:
        """Why it cannot run in the container sandbox ('' when it can)."""
        ...

    def prepare(self, note: Callable[[str], None]) -> None:
        """Installed (or found) before the run's first sample."""
        ...

    async def run(self, job: Assignment) -> AgentResult: ...

    def open_spend(self) -> float:
        """What its samples still at work have spent so far (the run's budget counts it)."""
        ...

    async def aclose(self) -> None: ...

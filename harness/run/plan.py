"""What a run is asked to do (RunPlan: typed, set once from the command line or an experiment file), and what the
coordinator hands each sample while the run goes (RunContext: the run directory, the budget, the controls)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from harness.agents.base import Agent
from harness.agents.builtin import BuiltinAgent
from harness.sandboxes import default_backend
from harness.sandboxes.bases import Substitutions
from harness.sandboxes.limits import ResourceLimits
from providers.base import Model, Sampling
from results.store import RunStore
from tasks import Suite, Task

from .budget import Budget
from .control import Controls
from .server_watch import SCRAPE_EVERY_S

if TYPE_CHECKING:
    from harness.sandboxes.images import Image


class Executor(Protocol):
    name: str

    def unsuitable(self, plan: Any) -> str:
        """Why this executor cannot run that plan ('' when it can): said before the run directory is touched."""
        ...

    async def start(self, plan: Any, store: Any, session_id: str) -> None: ...

    async def run_sample(self, model: Any, task: Any, epoch: int, plan: Any, ctx: Any, slot: Any) -> Any:
        """One admitted sample, start to record (harness/run/sample.py); `ctx` is the run's RunContext."""
        ...

    async def close(self) -> None: ...

    def describe(self) -> dict[str, Any]:
        """What the manifest records of it."""
        ...


DISK_GB = ResourceLimits().disk_bytes / (1 << 30)


class RunError(ValueError):
    pass


@dataclass
class RunPlan:
    suite: Suite
    tasks: list[Task]
    models: list[Model]
    out: Path
    epochs: int = 1
    concurrency: int = 4
    sampling: Sampling = field(default_factory=Sampling)
    keep_workspaces: bool = False
    max_turns: int | None = None  # caps every task's own turn limit
    node: dict = field(default_factory=dict)  # GPU type, count and $/GPU-hour as the user gave them
    judges: list[Model] = field(default_factory=list)  # --judge, repeatable: the panel that rates deliverables
    panel: str = "draw"  # --panel: a rubric check by one judge drawn for it, or by the panel's majority
    budget_usd: float | None = None  # --budget-usd: no new sample once spent + in-flight estimate reaches it
    sandbox: str = field(default_factory=default_backend)  # --sandbox: a name of harness.sandboxes.SANDBOXES
    experiment: dict = field(default_factory=dict)  # --config: the experiment file's path and content
    images: dict[str, Image] = field(default_factory=dict)  # task id -> its image: it runs in a container
    # --substitute-image NAME=LOCAL, and --offline-images's stand-ins
    substitutions: Substitutions = field(default_factory=Substitutions)
    agent: Agent = field(default_factory=BuiltinAgent)  # --agent: pertask's own loop, or an external one
    executor: Executor | None = None  # --executor: where samples run; None: this process
    scrape_every_s: float = SCRAPE_EVERY_S  # --scrape-every: a served model's /metrics during the run
    command: list[str] = field(default_factory=list)  # the command line as given (keys are never on it)
    disk_gb: float = DISK_GB  # --disk-gb: what one sample may keep on disk (harness/sandboxes/quota.py)

    def limits(self) -> ResourceLimits:
        return ResourceLimits(disk_bytes=int(self.disk_gb * (1 << 30)))

    def samples(self) -> list[tuple[Model, Task, int]]:
        # Models interleave so that a cut-short run still compares them on the same tasks.
        return [(m, t, e) for e in range(1, self.epochs + 1) for t in self.tasks for m in self.models]


@dataclass
class RunContext:
    """One session of a run, as its samples see it: made by the coordinator (or a Ray worker, for its sample)."""
    store: RunStore
    scratch: Path  # where samples' workspaces live while they run
    hidden: list[Path]  # what no sandbox may see (the suites, the run directory)
    session_id: str = ""
    graders: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(1))  # gradings at once
    budget: Budget | None = None  # the run's spending, while it goes (external agents' calls are refused past it)
    cached_seen: set[str] = field(default_factory=set)  # models whose first cache hit has been said
    on_note: Callable[[str], None] | None = None  # one-line notices while the run goes (the console)
    controls: Controls = field(init=False)  # the pristine-workspace controls that prove a grading failure is infra

    def __post_init__(self) -> None:
        self.controls = Controls(self.store.root)

    def over_budget(self, plan: RunPlan) -> str:
        """Why an external agent's next call is refused: the run's spending (recorded samples and what the samples
        at work have spent so far) has reached --budget-usd; '' while it has not."""
        if plan.budget_usd is None or self.budget is None or not plan.agent.external:
            return ""
        spent = self.budget.spent + plan.agent.open_spend()
        return f"run budget of ${plan.budget_usd:g} (${spent:.4f} spent)" if spent >= plan.budget_usd else ""

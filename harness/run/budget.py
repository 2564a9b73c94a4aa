"""Agent slots that are given back when the agent stops, and --budget-usd."""

from __future__ import annotations

import asyncio

from results.records import SampleRecord


class Slot:
    """A semaphore slot that can be given back early (when the agent stops), and only once; giving it
    back tells `on_agent_done` what the agent spent."""

    def __init__(self, sem: asyncio.Semaphore, on_agent_done=None):
        self.sem, self.held, self.on_agent_done = sem, False, on_agent_done

    async def __aenter__(self) -> Slot:
        await self.sem.acquire()
        self.held = True
        return self

    async def __aexit__(self, *exc) -> None:
        self.give_back()

    def give_back(self, usd: float | None = None) -> None:
        if self.held:
            self.held = False
            if self.on_agent_done is not None:
                self.on_agent_done(usd)
            self.sem.release()


class Budget:
    """--budget-usd: dollars already spent in this run directory (every session), plus an estimate for
    each sample in flight (its model's mean so far), must stay under the budget for a sample to start.
    Samples whose price is unknown add nothing: the budget is only as good as the prices."""

    def __init__(self, limit: float | None, done: list[SampleRecord]):
        self.limit, self.not_started = limit, 0
        self.spent = sum(r.usd for r in done if r.usd is not None)
        self.per_model: dict[str, list[float]] = {}
        for r in done:
            self.per_model.setdefault(r.model, []).append(r.usd or 0.0)
        self.in_flight: dict[tuple, float] = {}

    def admit(self, model: str, task: str, epoch: int) -> bool:
        if self.limit is None:
            return True
        if self.spent + sum(self.in_flight.values()) >= self.limit:
            self.not_started += 1
            return False
        seen = self.per_model.get(model)
        self.in_flight[(model, task, epoch)] = sum(seen) / len(seen) if seen else 0.0
        return True

    def agent_done(self, model: str, task: str, epoch: int, usd: float | None) -> None:
        """The agent has stopped, so its dollars are known: they replace the estimate while it is graded."""
        if (model, task, epoch) in self.in_flight:
            self.in_flight[(model, task, epoch)] = usd or 0.0

    def release(self, model: str, task: str, epoch: int) -> None:
        self.in_flight.pop((model, task, epoch), None)

    def add(self, rec: SampleRecord) -> None:
        self.spent += rec.usd or 0.0
        self.per_model.setdefault(rec.model, []).append(rec.usd or 0.0)

"""Several replicas of one model behind one spec (`vllm:NAME@URL1,URL2,…`): data-parallel serving.

A transport over one transport per replica. A sample's first call goes to the live replica with the fewest
requests in flight (then the fewest so far); every later call of that sample goes to the same replica,
where its prefix cache lives. The sample is told by a context variable the runner sets for each sample's
task (and the metering proxy for each call it forwards), so no signature in between changes.

A replica that does not answer is marked down: no new sample goes to it, and the samples already on it
keep calling it, so their calls fail as the retries decide (an infra error, re-run on resume) rather than
moving mid-conversation to a replica without their cache. A replica that answers again is up again.
"""

from __future__ import annotations

import contextvars
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from .http import HTTPStatusError, Transport, Unreachable

SAMPLE: contextvars.ContextVar[str | None] = contextvars.ContextVar("pertask_sample", default=None)


@dataclass
class Replica:
    url: str
    transport: Transport
    in_flight: int = 0
    requests: int = 0
    failed: int = 0
    down: bool = False
    samples: set[str] = field(default_factory=set)

    def stats(self) -> dict[str, Any]:
        return {"url": self.url, "requests": self.requests, "failed": self.failed, "down": self.down,
                "samples": sorted(self.samples)}


class BalancedTransport:
    def __init__(self, transports: list[Transport]):
        self.replicas = [Replica(t.base_url, t) for t in transports]
        self.assigned: dict[str, Replica] = {}
        self.base_url = self.replicas[0].url

    def pick(self) -> Replica:
        sample = SAMPLE.get()
        chosen = self.assigned.get(sample) if sample is not None else None
        if chosen is None:
            live = [r for r in self.replicas if not r.down] or self.replicas  # all down: try them anyway
            chosen = min(live, key=lambda r: (r.in_flight, r.requests, len(r.samples)))
            if sample is not None:
                self.assigned[sample] = chosen
                chosen.samples.add(sample)
        return chosen

    def _ended(self, r: Replica, error: BaseException | None) -> None:
        r.in_flight -= 1
        if isinstance(error, Unreachable):
            r.failed += 1
            r.down = True
        elif error is None or isinstance(error, HTTPStatusError):  # it answered
            r.down = False

    async def complete(self, body: dict[str, Any], path: str = "/chat/completions") -> dict[str, Any]:
        r = self.pick()
        r.in_flight += 1
        r.requests += 1
        try:
            out = await r.transport.complete(body, path)
        except BaseException as exc:
            self._ended(r, exc)
            raise
        self._ended(r, None)
        return out

    async def stream(self, body: dict[str, Any], path: str = "/chat/completions") -> AsyncIterator[dict[str, Any]]:
        r = self.pick()
        r.in_flight += 1
        r.requests += 1
        error: BaseException | None = None
        try:
            async for event in r.transport.stream(body, path):
                yield event
        except BaseException as exc:
            error = exc
            raise
        finally:
            self._ended(r, error)

    async def close(self) -> None:
        for r in self.replicas:
            await r.transport.close()

    def stats(self) -> list[dict[str, Any]]:
        return [r.stats() for r in self.replicas]

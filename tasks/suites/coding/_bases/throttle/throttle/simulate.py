"""Replay traffic through a limiter to see what it would have refused, before deploying it.

    arrivals = [(0.0, "a"), (0.1, "a"), (0.2, "b"), ...]      # (seconds, key), in time order
    report = simulate(lambda clock: limiter_for("10/second", "gcra", clock=clock), arrivals)
    report.denied_share, report.worst_keys(3)

Each algorithm is run on its own fake clock, so a day of logs replays in a second.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .clock import FakeClock
from .registry import ALGORITHMS, limiter_for


@dataclass
class Report:
    allowed: int = 0
    denied: int = 0
    denied_by_key: Counter = field(default_factory=Counter)
    longest_wait: float = 0.0  # the largest retry_after a refused client was told

    @property
    def total(self) -> int:
        return self.allowed + self.denied

    @property
    def denied_share(self) -> float:
        return self.denied / self.total if self.total else 0.0

    def worst_keys(self, n: int = 5) -> list[tuple[str, int]]:
        return self.denied_by_key.most_common(n)


def simulate(make_limiter: Callable[[FakeClock], object], arrivals: Iterable[tuple[float, str]]) -> Report:
    clock = FakeClock(0.0)
    limiter = make_limiter(clock)
    report, last = Report(), 0.0
    for at, key in arrivals:
        if at < last:
            raise ValueError(f"arrivals must be in time order ({at} after {last})")
        clock.advance(at - last)
        last = at
        decision = limiter.hit(key)
        if decision.allowed:
            report.allowed += 1
        else:
            report.denied += 1
            report.denied_by_key[key] += 1
            report.longest_wait = max(report.longest_wait, decision.retry_after)
    return report


def compare(policy: str, arrivals: list[tuple[float, str]]) -> dict[str, Report]:
    """The same traffic through every algorithm with the same policy."""
    return {name: simulate(lambda clock, n=name: limiter_for(policy, n, clock=clock), arrivals)
            for name in sorted(ALGORITHMS)}


def burst_at_edge(limit: int, period: float, key: str = "k") -> list[tuple[float, str]]:
    """`limit` requests just before a window edge and `limit` just after: the fixed window's blind spot."""
    before = [(period - 0.5 + i * 0.001, key) for i in range(limit)]
    after = [(period + 0.001 + i * 0.001, key) for i in range(limit)]
    return before + after

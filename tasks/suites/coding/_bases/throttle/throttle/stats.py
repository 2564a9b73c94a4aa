"""Counting what a limiter decided, to tune limits from evidence rather than guesses.

    limiter = Recorded(limiter_for("100/minute"))
    ...
    limiter.stats.top_denied(5)   # the keys refused most often

Wraps any limiter; its decisions are unchanged.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Stats:
    allowed: Counter = field(default_factory=Counter)
    denied: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.allowed.values()) + sum(self.denied.values())

    @property
    def denial_rate(self) -> float:
        return sum(self.denied.values()) / self.total if self.total else 0.0

    def top_denied(self, n: int = 10) -> list[tuple[str, int]]:
        return self.denied.most_common(n)

    def summary(self) -> str:
        return (f"{self.total} decisions, {sum(self.denied.values())} denied ({100 * self.denial_rate:.1f}%), "
                f"{len(self.allowed | self.denied)} keys")


class Recorded:
    def __init__(self, limiter, max_keys: int = 10_000):
        self.limiter, self.max_keys = limiter, max_keys
        self.stats = Stats()
        self._lock = threading.Lock()

    @property
    def policy(self):
        return self.limiter.policy

    def hit(self, key: str, cost: int = 1):
        decision = self.limiter.hit(key, cost)
        with self._lock:
            table = self.stats.allowed if decision.allowed else self.stats.denied
            if key in table or len(table) < self.max_keys:  # bounded: a scan of random keys cannot grow it forever
                table[key] += 1
            else:
                table["(other)"] += 1
        return decision

    def check(self, key: str, cost: int = 1) -> None:
        from .base import RateLimitExceeded
        decision = self.hit(key, cost)
        if not decision.allowed:
            raise RateLimitExceeded(key, decision)

    def reset(self, key: str) -> None:
        self.limiter.reset(key)

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .clock import monotonic
from .policy import Policy, parse_policy
from .storage.memory import MemoryStorage


@dataclass(frozen=True)
class Decision:
    allowed: bool
    remaining: int  # requests still allowed right now
    retry_after: float  # seconds until the next request would be allowed (0 when allowed)
    reset_after: float  # seconds until the limiter is back to its full allowance

    def headers(self, policy: Policy) -> dict[str, str]:
        h = {"RateLimit-Limit": str(policy.limit), "RateLimit-Remaining": str(self.remaining),
             "RateLimit-Reset": str(max(0, round(self.reset_after)))}
        if not self.allowed:
            h["Retry-After"] = str(max(1, round(self.retry_after + 0.4999)))
        return h


class RateLimitExceeded(Exception):
    def __init__(self, key: str, decision: Decision):
        super().__init__(f"rate limit exceeded for {key!r}; retry in {decision.retry_after:.2f}s")
        self.key, self.decision = key, decision


class Limiter:
    """One policy applied per key. Subclasses implement `_hit` on their own state."""

    name = "base"

    def __init__(self, policy: str | Policy, storage=None, clock: Callable[[], float] = monotonic):
        self.policy = parse_policy(policy)
        self.storage = storage if storage is not None else MemoryStorage()
        self.clock = clock

    def hit(self, key: str, cost: int = 1) -> Decision:
        if cost < 1:
            raise ValueError("cost must be at least 1")
        if cost > self.policy.limit:
            raise ValueError(f"cost {cost} exceeds the policy's limit {self.policy.limit}")
        with self.storage.lock(self._key(key)):
            return self._hit(self._key(key), cost, self.clock())

    def check(self, key: str, cost: int = 1) -> None:
        """hit(), raising RateLimitExceeded when refused."""
        decision = self.hit(key, cost)
        if not decision.allowed:
            raise RateLimitExceeded(key, decision)

    def reset(self, key: str) -> None:
        self.storage.delete(self._key(key))

    def _key(self, key: str) -> str:
        return f"{self.name}:{self.policy}:{key}"

    def _hit(self, key: str, cost: int, now: float) -> Decision:
        raise NotImplementedError

from __future__ import annotations

import copy
import threading
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
        self._storage = storage if storage is not None else MemoryStorage()
        self._local = threading.local()  # a peek's private storage, seen only by its own thread
        self.clock = clock

    @property
    def storage(self):
        shadow = getattr(self._local, "shadow", None)
        return shadow if shadow is not None else self._storage

    @storage.setter
    def storage(self, value) -> None:
        self._storage = value

    def _validate(self, cost: int) -> None:
        if cost < 1:
            raise ValueError("cost must be at least 1")
        if cost > self.policy.limit:
            raise ValueError(f"cost {cost} exceeds the policy's limit {self.policy.limit}")

    def hit(self, key: str, cost: int = 1) -> Decision:
        self._validate(cost)
        with self.storage.lock(self._key(key)):
            return self._hit(self._key(key), cost, self.clock())

    def peek(self, key: str, cost: int = 1) -> Decision:
        """The decision hit() would give now, with no state changed: run the algorithm on a
        private copy of the state and put the original back (algorithms may mutate in place)."""
        self._validate(cost)
        k = self._key(key)
        with self.storage.lock(k):
            state = self.storage.get(k)
            self._local.shadow = _Shadow(copy.deepcopy(state))
            try:
                return self._hit(k, cost, self.clock())
            finally:
                self._local.shadow = None

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


class _Shadow:
    """A one-key storage that holds a copy of the state and never writes through."""

    def __init__(self, value):
        self.value = value

    def get(self, key):
        return self.value

    def set(self, key, value, ttl):
        self.value = value

    def delete(self, key):
        self.value = None

"""Concurrency limits: at most N requests *in flight* per key, however fast they arrive.

Rate limits bound how often; this bounds how many at once, which is what protects a slow backend
(a report generator, a database) from a client that opens 50 connections. Slots are released when
the work ends, even if it raised; a slot held longer than `lease` seconds (a crashed worker that
never released it) is reclaimed.

    limit = ConcurrencyLimiter(4)
    with limit.slot("user:42"):      # raises TooManyInFlight when all 4 are taken
        generate_report()
"""

from __future__ import annotations

import contextlib
import itertools
import threading
from dataclasses import dataclass
from typing import Callable

from .clock import monotonic


class TooManyInFlight(Exception):
    def __init__(self, key: str, limit: int):
        super().__init__(f"{key!r} already has {limit} requests in flight")
        self.key, self.limit = key, limit


@dataclass
class _Lease:
    token: int
    expires: float


class ConcurrencyLimiter:
    def __init__(self, limit: int, lease: float = 300.0, clock: Callable[[], float] = monotonic):
        if limit < 1:
            raise ValueError("a concurrency limit must be at least 1")
        self.limit, self.lease, self.clock = limit, lease, clock
        self._held: dict[str, list[_Lease]] = {}
        self._lock = threading.Lock()
        self._tokens = itertools.count(1)

    def _live(self, key: str, now: float) -> list[_Lease]:
        leases = [x for x in self._held.get(key, []) if x.expires > now]  # expired leases are reclaimed
        if leases:
            self._held[key] = leases
        else:
            self._held.pop(key, None)
        return leases

    def acquire(self, key: str) -> int | None:
        """A token for a slot, or None when the key has `limit` in flight."""
        with self._lock:
            now = self.clock()
            leases = self._live(key, now)
            if len(leases) >= self.limit:
                return None
            token = next(self._tokens)
            self._held.setdefault(key, []).append(_Lease(token, now + self.lease))
            return token

    def release(self, key: str, token: int) -> bool:
        """False when the token was unknown (already released, or reclaimed after its lease)."""
        with self._lock:
            leases = self._held.get(key, [])
            kept = [x for x in leases if x.token != token]
            if len(kept) == len(leases):
                return False
            if kept:
                self._held[key] = kept
            else:
                self._held.pop(key, None)
            return True

    def in_flight(self, key: str) -> int:
        with self._lock:
            return len(self._live(key, self.clock()))

    @contextlib.contextmanager
    def slot(self, key: str):
        token = self.acquire(key)
        if token is None:
            raise TooManyInFlight(key, self.limit)
        try:
            yield token
        finally:
            self.release(key, token)

from __future__ import annotations

import threading
import time
from contextlib import contextmanager


class MemoryStorage:
    """In-process state with expiry; thread-safe through one lock per key."""

    def __init__(self, clock=time.monotonic, sweep_every: int = 1000):
        self._data: dict[str, tuple[object, float]] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self._clock = clock
        self._sweep_every, self._writes = sweep_every, 0

    @contextmanager
    def lock(self, key: str):
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            yield

    def get(self, key: str):
        item = self._data.get(key)
        if item is None:
            return None
        value, expires = item
        if expires <= self._clock():
            self._data.pop(key, None)
            return None
        return value

    def set(self, key: str, value, ttl: float) -> None:
        self._data[key] = (value, self._clock() + ttl)
        self._writes += 1
        if self._writes % self._sweep_every == 0:
            self.sweep()

    def delete(self, key: str) -> None:
        self._data.pop(key, None)

    def sweep(self) -> int:
        now = self._clock()
        dead = [k for k, (_, exp) in self._data.items() if exp <= now]
        for k in dead:
            self._data.pop(k, None)
            self._locks.pop(k, None)
        return len(dead)

    def __len__(self) -> int:
        return len(self._data)

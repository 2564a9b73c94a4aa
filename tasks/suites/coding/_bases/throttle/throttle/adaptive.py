"""An adaptive limit: find how much a backend can take, instead of guessing.

Additive increase, multiplicative decrease (AIMD), as TCP does: every window of successes raises
the limit by one, every overload signal (a 429, a 503, a timeout) halves it, within [floor,
ceiling]. Feed it outcomes; read `limit` before sending.

    adaptive = AdaptiveLimit(start=8, ceiling=64)
    ...
    adaptive.record(ok=response.status < 500 and response.status != 429)
"""

from __future__ import annotations

import threading


class AdaptiveLimit:
    def __init__(self, start: int = 8, floor: int = 1, ceiling: int = 256, decrease: float = 0.5):
        if not 1 <= floor <= start <= ceiling:
            raise ValueError("need 1 <= floor <= start <= ceiling")
        if not 0 < decrease < 1:
            raise ValueError("decrease must be between 0 and 1")
        self.limit, self.floor, self.ceiling, self.decrease = start, floor, ceiling, decrease
        self.successes = 0
        self.history: list[int] = [start]
        self._lock = threading.Lock()

    def record(self, ok: bool) -> int:
        with self._lock:
            if ok:
                self.successes += 1
                if self.successes >= self.limit and self.limit < self.ceiling:
                    self.limit, self.successes = self.limit + 1, 0
                    self.history.append(self.limit)
            else:
                new = max(self.floor, int(self.limit * self.decrease))
                self.successes = 0
                if new != self.limit:
                    self.limit = new
                    self.history.append(new)
            return self.limit

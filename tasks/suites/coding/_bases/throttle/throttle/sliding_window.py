from __future__ import annotations

from collections import deque

from .base import Decision, Limiter


class SlidingWindowLog(Limiter):
    """Exact: keeps the time of every allowed request in the last `period` seconds.

    A request at time t counts against every later request until t + period (exclusive).
    """

    name = "sliding_log"

    def _hit(self, key, cost, now):
        p = self.policy
        log = self.storage.get(key)
        if log is None:
            log = deque()
        elif not isinstance(log, deque):  # a storage that serializes gives a list back
            log = deque(log)
        horizon = now - p.period
        while log and log[0] <= horizon:
            log.popleft()
        allowed = len(log) + cost <= p.limit
        if allowed:
            log.extend([now] * cost)
        self.storage.set(key, log, ttl=p.period)
        if allowed:
            retry = 0.0
        else:
            # the request that must expire before this one fits
            retry = log[len(log) + cost - p.limit - 1] + p.period - now
        reset = (log[-1] + p.period - now) if log else 0.0
        return Decision(allowed, p.limit - len(log), retry, reset)


class SlidingWindowCounter(Limiter):
    """Approximate and O(1): weights the previous fixed window by how much of it still overlaps."""

    name = "sliding_counter"

    def _hit(self, key, cost, now):
        p = self.policy
        window = int(now // p.period)
        state = self.storage.get(key) or {"window": window, "current": 0, "previous": 0}
        if state["window"] != window:
            previous = state["current"] if state["window"] == window - 1 else 0
            state = {"window": window, "current": 0, "previous": previous}
        overlap = 1 - (now - window * p.period) / p.period
        used = state["previous"] * overlap + state["current"]
        allowed = used + cost <= p.limit
        if allowed:
            state["current"] += cost
            used += cost
        self.storage.set(key, state, ttl=p.period * 2)
        retry = 0.0 if allowed else (window + 1) * p.period - now
        return Decision(allowed, max(0, int(p.limit - used)), retry, (window + 1) * p.period - now)

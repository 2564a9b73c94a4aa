from __future__ import annotations

import math

from .base import Decision, Limiter


class FixedWindow(Limiter):
    """At most `limit` per window; windows start at multiples of `period` on the clock."""

    name = "fixed_window"

    def _hit(self, key, cost, now):
        p = self.policy
        window = math.floor(now / p.period)
        state = self.storage.get(key)
        count = state["count"] if state and state["window"] == window else 0
        allowed = count + cost <= p.limit
        if allowed:
            count += cost
        self.storage.set(key, {"window": window, "count": count}, ttl=p.period)
        reset = (window + 1) * p.period - now
        return Decision(allowed, p.limit - count, 0.0 if allowed else reset, reset)

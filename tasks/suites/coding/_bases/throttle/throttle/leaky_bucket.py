from __future__ import annotations

import math

from .base import Decision, Limiter


class LeakyBucket(Limiter):
    """Requests fill a bucket of size `limit` that drains at limit/period per second.

    Unlike a token bucket it refuses a burst that would overflow, even right after idling.
    """

    name = "leaky_bucket"

    def _hit(self, key, cost, now):
        p = self.policy
        state = self.storage.get(key) or {"level": 0.0, "at": now}
        level = max(0.0, state["level"] - (now - state["at"]) * p.rate)
        allowed = level + cost <= p.limit
        if allowed:
            level += cost
        self.storage.set(key, {"level": level, "at": now}, ttl=p.period * 2)
        retry = 0.0 if allowed else (level + cost - p.limit) / p.rate
        return Decision(allowed, math.floor(p.limit - level), retry, level / p.rate)

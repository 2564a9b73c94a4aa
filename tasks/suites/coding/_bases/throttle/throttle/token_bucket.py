from __future__ import annotations

import math

from .base import Decision, Limiter


class TokenBucket(Limiter):
    """A bucket of `limit` tokens refilled at limit/period per second; bursts up to `limit`."""

    name = "token_bucket"

    def _hit(self, key, cost, now):
        p = self.policy
        state = self.storage.get(key) or {"tokens": float(p.limit), "at": now}
        tokens = min(p.limit, state["tokens"] + (now - state["at"]) * p.rate)
        allowed = tokens >= cost
        if allowed:
            tokens -= cost
        self.storage.set(key, {"tokens": tokens, "at": now}, ttl=p.period * 2)
        retry = 0.0 if allowed else (cost - tokens) / p.rate
        return Decision(allowed, math.floor(tokens), retry, (p.limit - tokens) / p.rate)

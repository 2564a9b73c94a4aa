"""The Generic Cell Rate Algorithm: a token bucket kept as one number per key.

Instead of a token count and a timestamp, GCRA stores the "theoretical arrival time" (TAT) of the
next request: each allowed request pushes it `emission interval` (period / limit) into the future;
a request is allowed if it arrives no earlier than TAT minus the burst tolerance. Same behaviour as
the token bucket, half the state, and no floating token counts drifting over a long run.
"""

from __future__ import annotations

import math

from .base import Decision, Limiter


class GCRA(Limiter):
    name = "gcra"

    def _hit(self, key, cost, now):
        p = self.policy
        interval = p.period / p.limit  # the emission interval: one request's worth of time
        # A request may run up to one period ahead of schedule: that is the burst of `limit`.
        tat = max(self.storage.get(key) or now, now)
        new_tat = tat + interval * cost
        allow_at = new_tat - p.period
        if now < allow_at - 1e-9:
            retry = allow_at - now
            remaining = max(0, math.floor((now - (tat - p.period)) / interval + 1e-9))
            return Decision(False, min(remaining, p.limit), retry, tat - now)
        self.storage.set(key, new_tat, ttl=max(new_tat - now, 1e-3) + 1)
        remaining = math.floor((now - (new_tat - p.period)) / interval + 1e-9)
        return Decision(True, max(0, min(remaining, p.limit)), 0.0, new_tat - now)

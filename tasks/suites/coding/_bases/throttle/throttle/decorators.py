"""@rate_limited: limit calls of a function, per key computed from its arguments."""

from __future__ import annotations

import functools
import time

from .base import RateLimitExceeded
from .registry import limiter_for


def rate_limited(policy: str, key=lambda *a, **kw: "global", algorithm: str = "token_bucket",
                 wait: bool = False, max_wait: float = 30.0, sleep=time.sleep, **limiter_kw):
    """Refuse (RateLimitExceeded) or, with wait=True, sleep until allowed (at most max_wait seconds)."""
    limiter = limiter_for(policy, algorithm, **limiter_kw)

    def wrap(fn):
        @functools.wraps(fn)
        def inner(*args, **kwargs):
            k = key(*args, **kwargs)
            waited = 0.0
            while True:
                decision = limiter.hit(k)
                if decision.allowed:
                    return fn(*args, **kwargs)
                if not wait or waited + decision.retry_after > max_wait:
                    raise RateLimitExceeded(k, decision)
                sleep(decision.retry_after)
                waited += decision.retry_after
        inner.limiter = limiter
        return inner
    return wrap

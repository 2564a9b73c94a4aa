from __future__ import annotations

from .fixed_window import FixedWindow
from .gcra import GCRA
from .leaky_bucket import LeakyBucket
from .sliding_window import SlidingWindowCounter, SlidingWindowLog
from .token_bucket import TokenBucket

ALGORITHMS = {cls.name: cls for cls in (TokenBucket, LeakyBucket, FixedWindow, SlidingWindowLog,
                                        SlidingWindowCounter, GCRA)}


def limiter_for(policy, algorithm: str = "token_bucket", **kw):
    try:
        cls = ALGORITHMS[algorithm]
    except KeyError:
        raise ValueError(f"unknown algorithm {algorithm!r} (known: {', '.join(sorted(ALGORITHMS))})") from None
    return cls(policy, **kw)

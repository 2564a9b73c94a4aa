from __future__ import annotations

import time


def monotonic() -> float:
    return time.monotonic()


def wall() -> float:
    """Seconds since the epoch, for calendar periods (quotas), where monotonic time means nothing.
    Like monotonic(), the one place that reads it: everything else takes a clock."""
    return time.time()


class FakeClock:
    """A clock for tests: time moves only when told to."""

    def __init__(self, start: float = 1000.0):
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("time only moves forward")
        self.now += seconds

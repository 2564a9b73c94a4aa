from __future__ import annotations

import time


def monotonic() -> float:
    return time.monotonic()


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

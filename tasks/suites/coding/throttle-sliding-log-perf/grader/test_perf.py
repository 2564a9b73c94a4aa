import random
import signal
import time

import pytest

from throttle import limiter_for
from throttle.clock import FakeClock
from throttle.storage import SQLiteStorage


def _decisions(lim, clock, steps, seed=3):
    rnd = random.Random(seed)
    out = []
    for _ in range(steps):
        clock.advance(rnd.choice([0, 0, 0.1, 0.7, 2.0, 5.0]))
        d = lim.hit("k", cost=rnd.choice([1, 1, 1, 2, 3]))
        out.append((d.allowed, d.remaining, round(d.retry_after, 9), round(d.reset_after, 9)))
    return out


def _reference(policy, steps, seed=3):
    """A plain, obviously-correct model of the sliding log's decisions."""
    limit, period = policy
    rnd, now, log, out = random.Random(seed), 1000.0, [], []
    for _ in range(steps):
        now += rnd.choice([0, 0, 0.1, 0.7, 2.0, 5.0])
        cost = rnd.choice([1, 1, 1, 2, 3])
        log = [t for t in log if t > now - period]
        allowed = len(log) + cost <= limit
        if allowed:
            log += [now] * cost
        retry = 0.0 if allowed else log[len(log) + cost - limit - 1] + period - now
        reset = (log[-1] + period - now) if log else 0.0
        out.append((allowed, limit - len(log), round(retry, 9), round(reset, 9)))
    return out


def test_same_decisions_as_before():
    clock = FakeClock(1000.0)
    lim = limiter_for("7/10s", "sliding_log", clock=clock)
    assert _decisions(lim, clock, 3000) == _reference((7, 10.0), 3000)


def test_same_decisions_with_sqlite():
    clock = FakeClock(1000.0)
    lim = limiter_for("7/10s", "sliding_log", clock=clock, storage=SQLiteStorage(clock=clock))
    assert _decisions(lim, clock, 500) == _reference((7, 10.0), 500)


def test_hits_take_constant_time():
    clock = FakeClock(0.0)
    lim = limiter_for("300000/hour", "sliding_log", clock=clock)

    def boom(*_):
        raise TimeoutError("200,000 hits took over 20 s: a hit is not O(1)")

    old = signal.signal(signal.SIGALRM, boom)
    signal.alarm(20)
    try:
        for _ in range(200_000):
            clock.advance(0.001)
            assert lim.hit("k").allowed
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    d = lim.hit("k")
    assert d.remaining == 300_000 - 200_001

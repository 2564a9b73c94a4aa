import threading

import pytest

from throttle.adaptive import AdaptiveLimit
from throttle.clock import FakeClock
from throttle.concurrency import ConcurrencyLimiter, TooManyInFlight


def test_slots_are_counted_per_key_and_released_on_errors():
    limit = ConcurrencyLimiter(2)
    with limit.slot("a"), limit.slot("a"):
        assert limit.in_flight("a") == 2
        with pytest.raises(TooManyInFlight, match="already has 2"):
            with limit.slot("a"):
                pass
        with limit.slot("b"):
            assert limit.in_flight("b") == 1
    with pytest.raises(RuntimeError):
        with limit.slot("a"):
            raise RuntimeError("the work failed")
    assert limit.in_flight("a") == 0


def test_expired_leases_are_reclaimed():
    clock = FakeClock()
    limit = ConcurrencyLimiter(1, lease=30, clock=clock)
    token = limit.acquire("k")
    assert limit.acquire("k") is None
    clock.advance(31)
    assert limit.acquire("k") is not None
    assert limit.release("k", token) is False, "a reclaimed lease is gone"


def test_threads_never_exceed_the_limit():
    limit, peak, now, lock = ConcurrencyLimiter(3), [0], [0], threading.Lock()
    barrier = threading.Barrier(10)

    def worker():
        barrier.wait()
        for _ in range(200):
            token = limit.acquire("k")
            if token is None:
                continue
            with lock:
                now[0] += 1
                peak[0] = max(peak[0], now[0])
            with lock:
                now[0] -= 1
            limit.release("k", token)

    threads = [threading.Thread(target=worker) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert 1 <= peak[0] <= 3 and limit.in_flight("k") == 0


def test_adaptive_limit_grows_and_halves_within_bounds():
    a = AdaptiveLimit(start=4, floor=2, ceiling=6)
    for _ in range(4):
        a.record(True)
    assert a.limit == 5
    for _ in range(5 + 6 + 6):
        a.record(True)
    assert a.limit == 6, "never above the ceiling"
    assert a.record(False) == 3 and a.record(False) == 2 and a.record(False) == 2
    assert a.history == [4, 5, 6, 3, 2]


@pytest.mark.parametrize("kwargs", [{"start": 0}, {"start": 10, "ceiling": 5}, {"decrease": 1.5}])
def test_adaptive_limit_rejects_bad_settings(kwargs):
    with pytest.raises(ValueError):
        AdaptiveLimit(**kwargs)

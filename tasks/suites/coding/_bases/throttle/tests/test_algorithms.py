import pytest

from throttle import ALGORITHMS, limiter_for
from throttle.clock import FakeClock


@pytest.mark.parametrize("algo", sorted(ALGORITHMS))
def test_allows_up_to_the_limit_then_refuses(algo):
    clock = FakeClock(0.0)
    lim = limiter_for("3/10s", algo, clock=clock)
    assert [lim.hit("k").allowed for _ in range(4)] == [True, True, True, False]


@pytest.mark.parametrize("algo", sorted(ALGORITHMS))
def test_recovers_after_the_period(algo):
    clock = FakeClock(0.0)
    lim = limiter_for("3/10s", algo, clock=clock)
    for _ in range(3):
        lim.hit("k")
    clock.advance(20)
    assert lim.hit("k").allowed


def test_keys_are_independent():
    lim = limiter_for("1/minute", "fixed_window", clock=FakeClock())
    assert lim.hit("a").allowed and lim.hit("b").allowed and not lim.hit("a").allowed


def test_token_bucket_retry_after():
    clock = FakeClock(0.0)
    lim = limiter_for("2/10s", "token_bucket", clock=clock)
    lim.hit("k"), lim.hit("k")
    d = lim.hit("k")
    assert not d.allowed and d.retry_after == pytest.approx(5.0)


def test_sliding_log_is_exact():
    clock = FakeClock(0.0)
    lim = limiter_for("2/10s", "sliding_log", clock=clock)
    lim.hit("k")
    clock.advance(6)
    lim.hit("k")
    clock.advance(3)
    d = lim.hit("k")
    assert not d.allowed and d.retry_after == pytest.approx(1.0)
    clock.advance(1)
    assert lim.hit("k").allowed

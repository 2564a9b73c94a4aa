import pytest

from throttle import limiter_for, parse_policy
from throttle.clock import FakeClock


def test_fractional_seconds():
    p = parse_policy("3/2.5s")
    assert (p.limit, p.period) == (3, 2.5)


def test_fractional_minutes():
    assert parse_policy("1/0.5 minute").period == pytest.approx(30.0)


def test_per_syntax_fractional():
    assert parse_policy("10 per 1.5 hours").period == pytest.approx(5400.0)


def test_integers_still_work():
    assert parse_policy("5/10s").period == 10 and parse_policy("100/minute").period == 60


def test_fractional_policy_limits():
    clock = FakeClock(0.0)
    lim = limiter_for("2/0.5s", "sliding_log", clock=clock)
    assert [lim.hit("k").allowed for _ in range(3)] == [True, True, False]
    clock.advance(0.5)
    assert lim.hit("k").allowed


@pytest.mark.parametrize("bad", ["3/0s", "3/0.0s", "3/-1s", "3/1.2.3s"])
def test_still_rejects_bad(bad):
    with pytest.raises(ValueError):
        parse_policy(bad)

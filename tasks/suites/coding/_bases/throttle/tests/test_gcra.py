import pytest

from throttle import limiter_for
from throttle.clock import FakeClock


def test_gcra_spaces_requests_after_a_burst():
    clock = FakeClock(0.0)
    lim = limiter_for("5/10s", "gcra", clock=clock)
    decisions = [lim.hit("k") for _ in range(6)]
    assert [d.allowed for d in decisions] == [True] * 5 + [False]
    assert [d.remaining for d in decisions[:5]] == [4, 3, 2, 1, 0]
    assert decisions[5].retry_after == pytest.approx(2.0)  # one emission interval: 10 s / 5
    clock.advance(2.0)
    assert lim.hit("k").allowed and not lim.hit("k").allowed


def test_gcra_cost_and_full_recovery():
    clock = FakeClock(0.0)
    lim = limiter_for("4/8s", "gcra", clock=clock)
    assert lim.hit("k", cost=3).allowed and not lim.hit("k", cost=2).allowed
    clock.advance(8)
    d = lim.hit("k", cost=4)
    assert d.allowed and d.remaining == 0 and d.reset_after == pytest.approx(8.0)

import pytest

from throttle import ALGORITHMS, limiter_for
from throttle.clock import FakeClock
from throttle.storage import MemoryStorage, SQLiteStorage

ALGOS = sorted(ALGORITHMS)


def _lim(algo, storage, policy="3/10s"):
    clock = FakeClock(1000.0)
    store = MemoryStorage(clock=clock) if storage == "memory" else SQLiteStorage(clock=clock)
    return limiter_for(policy, algo, clock=clock, storage=store), clock


@pytest.mark.parametrize("storage", ["memory", "sqlite"])
@pytest.mark.parametrize("algo", ALGOS)
def test_peek_predicts_hit_and_consumes_nothing(algo, storage):
    lim, clock = _lim(algo, storage)
    for step in range(8):
        p1 = lim.peek("k")
        p2 = lim.peek("k")
        assert p1 == p2
        assert lim.hit("k") == p1
        clock.advance(1.3 if step % 3 else 0.0)


@pytest.mark.parametrize("algo", ALGOS)
def test_peek_on_a_fresh_key(algo):
    lim, _ = _lim(algo, "memory")
    d = lim.peek("new")
    assert d.allowed and d == lim.hit("new")


@pytest.mark.parametrize("algo", ALGOS)
def test_peek_with_cost(algo):
    lim, _ = _lim(algo, "memory", "5/10s")
    lim.hit("k", cost=3)
    assert lim.peek("k", cost=2).allowed and not lim.peek("k", cost=3).allowed
    assert lim.hit("k", cost=3).allowed is False


@pytest.mark.parametrize("algo", ALGOS)
def test_peek_when_refused_does_not_extend_anything(algo):
    lim, clock = _lim(algo, "memory")
    for _ in range(3):
        lim.hit("k")
    for _ in range(50):
        assert not lim.peek("k").allowed
    clock.advance(30)
    assert lim.hit("k").allowed


@pytest.mark.parametrize("cost", [0, -1, 4])
def test_peek_validates_cost(cost):
    lim, _ = _lim("token_bucket", "memory")
    with pytest.raises(ValueError):
        lim.peek("k", cost=cost)


def test_peek_does_not_create_state():
    lim, _ = _lim("fixed_window", "memory")
    lim.peek("ghost")
    assert len(lim.storage) == 0

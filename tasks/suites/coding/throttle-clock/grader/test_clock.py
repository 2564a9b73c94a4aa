import pytest

from throttle import ALGORITHMS, limiter_for
from throttle.clock import FakeClock


@pytest.mark.parametrize("algo", sorted(ALGORITHMS))
@pytest.mark.parametrize("start", [0.0, 1e9 + 3.0])
def test_recovers_on_fake_clock(algo, start):
    clock = FakeClock(start)
    lim = limiter_for("2/10s", algo, clock=clock)
    assert [lim.hit("k").allowed for _ in range(3)] == [True, True, False]
    clock.advance(25)
    assert lim.hit("k").allowed


def test_fixed_window_reset_after_follows_the_clock():
    clock = FakeClock(100.0)
    lim = limiter_for("1/60s", "fixed_window", clock=clock)
    lim.hit("k")
    d = lim.hit("k")
    assert not d.allowed and d.retry_after == pytest.approx(20.0) and d.reset_after == pytest.approx(20.0)


def test_sliding_counter_weights_previous_window():
    clock = FakeClock(0.0)
    lim = limiter_for("10/10s", "sliding_counter", clock=clock)
    for _ in range(10):
        assert lim.hit("k").allowed
    clock.advance(15)  # half of the previous window still overlaps: 5 used
    results = [lim.hit("k").allowed for _ in range(6)]
    assert results == [True] * 5 + [False]


def test_no_real_time_anywhere():
    import ast
    import pathlib

    import throttle

    for path in pathlib.Path(throttle.__file__).parent.glob("*.py"):
        if path.name == "clock.py" or path.name == "decorators.py":
            continue
        tree = ast.parse(path.read_text())
        calls = [n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
                 and n.value.id == "time" and n.attr in ("time", "monotonic", "perf_counter")]
        assert not calls, f"{path.name} reads the real clock"

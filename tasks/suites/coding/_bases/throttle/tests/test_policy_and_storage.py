import pytest

from throttle import limiter_for, parse_policy
from throttle.clock import FakeClock
from throttle.storage import SQLiteStorage


def test_policies():
    assert parse_policy("100/minute").period == 60
    assert parse_policy("5/10s").period == 10
    assert parse_policy("1000 per hour").limit == 1000


@pytest.mark.parametrize("bad", ["", "ten/minute", "5/fortnight", "0/s"])
def test_bad_policies(bad):
    with pytest.raises(ValueError):
        parse_policy(bad)


def test_sqlite_storage_shares_state(tmp_path):
    path = str(tmp_path / "t.db")
    clock = FakeClock(0.0)
    a = limiter_for("2/minute", "sliding_log", storage=SQLiteStorage(path, clock=clock), clock=clock)
    b = limiter_for("2/minute", "sliding_log", storage=SQLiteStorage(path, clock=clock), clock=clock)
    assert a.hit("k").allowed and b.hit("k").allowed
    assert not a.hit("k").allowed

import json
import multiprocessing

from throttle import limiter_for
from throttle.clock import FakeClock
from throttle.storage import FileStorage


def test_two_storages_share_one_file(tmp_path):
    clock = FakeClock(0.0)
    path = tmp_path / "limits.json"
    a = limiter_for("2/minute", "sliding_log", storage=FileStorage(path, clock=clock), clock=clock)
    b = limiter_for("2/minute", "sliding_log", storage=FileStorage(path, clock=clock), clock=clock)
    assert a.hit("k").allowed and b.hit("k").allowed and not a.hit("k").allowed
    clock.advance(61)
    assert b.hit("k").allowed


def test_expiry_sweep_and_a_corrupt_file(tmp_path):
    clock = FakeClock(0.0)
    store = FileStorage(tmp_path / "s.json", clock=clock)
    store.set("a", {"n": 1}, ttl=5)
    store.set("b", [1, 2], ttl=50)
    clock.advance(10)
    assert store.get("a") is None and store.get("b") == [1, 2]
    assert store.sweep() == 0, "expired entries are already dropped when the file is written"
    assert set(json.loads((tmp_path / "s.json").read_text())) == {"b"}
    (tmp_path / "s.json").write_text("{not json")
    assert store.get("b") is None
    store.set("c", 1, ttl=5)
    assert store.get("c") == 1


def _hammer(path, n):
    lim = limiter_for("1000/hour", "fixed_window", storage=FileStorage(path))
    for _ in range(n):
        lim.hit("shared")


def test_processes_do_not_lose_updates(tmp_path):
    path = tmp_path / "shared.json"
    procs = [multiprocessing.Process(target=_hammer, args=(path, 25)) for _ in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(30)
    lim = limiter_for("1000/hour", "fixed_window", storage=FileStorage(path))
    assert lim.hit("shared").remaining == 1000 - 101, "100 hits from four processes, then this one"

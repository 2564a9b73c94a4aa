import datetime as dt

import pytest

from throttle.clock import FakeClock
from throttle.rules import RuleError, RuleSet
from throttle.upstream import quota, retry_after, wait_before_next

CONFIG = {
    "defaults": {"algorithm": "fixed_window", "key": "ip"},
    "rule": [
        {"path": "/login", "methods": ["post"], "policy": "2/minute"},
        {"path": "/api/", "policy": "3/minute", "key": "api_key"},
    ],
}


def env(path, method="GET", ip="192.0.2.1", key=None):
    e = {"PATH_INFO": path, "REQUEST_METHOD": method, "REMOTE_ADDR": ip}
    if key:
        e["HTTP_X_API_KEY"] = key
    return e


def test_first_matching_rule_decides():
    rules = RuleSet.from_dict(CONFIG, clock=FakeClock())
    assert [rules.hit(env("/login", "POST"))[1].allowed for _ in range(3)] == [True, True, False]
    assert rules.hit(env("/login", "GET")) == (None, None), "GET /login matches no rule"
    assert [rules.hit(env("/api/x", key="k1"))[1].allowed for _ in range(4)] == [True, True, True, False]
    assert rules.hit(env("/api/x", key="k2"))[1].allowed, "another key, another bucket"
    assert rules.hit(env("/static/a.css")) == (None, None)


@pytest.mark.parametrize(("rule", "message"), [
    ({"path": "/x"}, "needs `path` and `policy`"), ({"path": "x", "policy": "1/s"}, "must start with '/'"),
    ({"path": "/x", "policy": "lots"}, "cannot read rate limit policy"),
    ({"path": "/x", "policy": "1/s", "algorithm": "magic"}, "unknown algorithm"),
    ({"path": "/x", "policy": "1/s", "key": "cookie"}, "unknown key"),
    ({"path": "/x", "policy": "1/s", "burst": 3}, "unknown field"),
])
def test_bad_rules_name_their_number(rule, message):
    with pytest.raises(RuleError, match=f"rule 1: .*{message}"):
        RuleSet.from_dict({"rule": [rule]})


def test_from_toml(tmp_path):
    path = tmp_path / "limits.toml"
    path.write_text('[[rule]]\npath = "/"\npolicy = "1/second"\n')
    assert len(RuleSet.from_toml(path).rules) == 1
    path.write_text("[[rule]\n")
    with pytest.raises(RuleError, match="limits.toml"):
        RuleSet.from_toml(path)


def test_reading_upstream_headers():
    now = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    assert retry_after({"Retry-After": "7"}) == 7.0
    assert retry_after({"retry-after": "Mon, 01 Jan 2024 00:00:30 GMT"}, now=now) == 30.0
    assert retry_after({"Retry-After": "soon"}) is None and retry_after({}) is None
    q = quota({"RateLimit": "limit=100, remaining=7, reset=30"})
    assert (q.limit, q.remaining, q.reset_in) == (100, 7, 30.0)
    q = quota({"X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1700000060"},
              now=1700000000)
    assert (q.limit, q.remaining, q.reset_in) == (60, 0, 60.0)
    q = quota([("RateLimit-Limit", "5"), ("RateLimit-Remaining", "2"), ("RateLimit-Reset", "4")])
    assert (q.limit, q.remaining, q.reset_in) == (5, 2, 4.0)


def test_wait_before_next():
    assert wait_before_next(429, {"Retry-After": "3"}) == 3.0
    assert wait_before_next(200, {"RateLimit": "limit=10, remaining=0, reset=12"}) == 12.0
    assert wait_before_next(200, {"RateLimit": "limit=10, remaining=4, reset=12"}) == 0.0
    assert wait_before_next(503, {}, floor=1.0) == 1.0

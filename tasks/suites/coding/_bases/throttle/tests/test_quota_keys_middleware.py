import asyncio
import datetime as dt

import pytest

from throttle import limiter_for
from throttle.asgi import AsyncRateLimitMiddleware, scope_environ
from throttle.clock import FakeClock
from throttle.keys import api_key, by_path, client_ip
from throttle.quota import Quota, period_end, period_start
from throttle.stats import Recorded
from throttle.storage import SQLiteStorage

UTC = dt.timezone.utc


def at(*args) -> float:
    return dt.datetime(*args, tzinfo=UTC).timestamp()


@pytest.mark.parametrize(("period", "start", "end"), [
    ("day", dt.datetime(2024, 2, 29, tzinfo=UTC), dt.datetime(2024, 3, 1, tzinfo=UTC)),
    ("week", dt.datetime(2024, 2, 26, tzinfo=UTC), dt.datetime(2024, 3, 4, tzinfo=UTC)),
    ("month", dt.datetime(2024, 2, 1, tzinfo=UTC), dt.datetime(2024, 3, 1, tzinfo=UTC)),
])
def test_period_bounds(period, start, end):
    now = dt.datetime(2024, 2, 29, 17, 30, tzinfo=UTC)  # a leap day, a Thursday
    assert period_start(now, period) == start and period_end(start, period) == end


def test_december_rolls_into_january():
    start = period_start(dt.datetime(2024, 12, 31, 23, 59, tzinfo=UTC), "month")
    assert period_end(start, "month") == dt.datetime(2025, 1, 1, tzinfo=UTC)


def test_quota_counts_refuses_and_resets_at_the_boundary():
    clock = FakeClock(at(2024, 1, 31, 23, 0))
    quota = Quota(3, "month", clock=clock)
    assert [quota.consume("c").used for _ in range(3)] == [1, 2, 3]
    refused = quota.consume("c")
    assert not refused.allowed and refused.used == 3 and refused.remaining == 0
    assert refused.headers()["X-Quota-Reset"] == "2024-02-01T00:00:00Z"
    assert not quota.consume("c", 1).allowed and quota.usage("c").used == 3, "a refusal counts nothing"
    assert quota.refund("c").used == 2
    clock.advance(3600)  # February
    assert quota.consume("c").used == 1 and quota.usage("other").used == 0


def test_quota_shared_through_sqlite(tmp_path):
    clock = FakeClock(at(2024, 5, 10, 12, 0))
    path = str(tmp_path / "q.db")
    a = Quota(2, "day", storage=SQLiteStorage(path, clock=clock), clock=clock)
    b = Quota(2, "day", storage=SQLiteStorage(path, clock=clock), clock=clock)
    assert a.consume("k").allowed and b.consume("k").allowed
    assert not a.consume("k").allowed


def test_quota_rejects_bad_settings():
    with pytest.raises(ValueError):
        Quota(0)
    with pytest.raises(ValueError):
        Quota(5, "year")


def test_client_ip_behind_proxies_and_ipv6_grouping():
    env = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.7, 10.0.0.1"}
    assert client_ip()(env) == "ip:10.0.0.2"
    assert client_ip(trusted_proxies=1)(env) == "ip:10.0.0.1"
    assert client_ip(trusted_proxies=2)(env) == "ip:203.0.113.7"
    assert client_ip()({"REMOTE_ADDR": "2001:db8:1:2::99"}) == "ip:2001:db8:1:2::/64"
    assert client_ip()({"REMOTE_ADDR": "::ffff:192.0.2.1"}) == "ip:192.0.2.1"
    assert client_ip()({"REMOTE_ADDR": "garbage"}) == "ip:unknown"


def test_api_key_is_hashed_and_falls_back():
    k = api_key(fallback=client_ip())
    a = k({"HTTP_X_API_KEY": "secret-1"})
    assert a.startswith("key:") and "secret" not in a and a == k({"HTTP_X_API_KEY": " secret-1 "})
    assert k({"REMOTE_ADDR": "192.0.2.5"}) == "ip:192.0.2.5"
    assert api_key("Authorization")({"HTTP_AUTHORIZATION": "Bearer secret-1"}) == a
    areas = by_path({"/search": "search", "/": "api"}, client_ip())
    assert areas({"PATH_INFO": "/search/q", "REMOTE_ADDR": "192.0.2.5"}) == "search:ip:192.0.2.5"
    assert areas({"PATH_INFO": "/items", "REMOTE_ADDR": "192.0.2.5"}) == "api:ip:192.0.2.5"


def test_recorded_stats():
    clock = FakeClock()
    limiter = Recorded(limiter_for("2/minute", "fixed_window", clock=clock), max_keys=2)
    for key in ("a", "a", "a", "b", "c"):
        limiter.hit(key)
    assert limiter.stats.top_denied() == [("a", 1)]
    assert limiter.stats.allowed == {"a": 2, "b": 1, "(other)": 1}
    assert limiter.stats.summary().startswith("5 decisions, 1 denied (20.0%)")


def run_asgi(app, path="/", client=("198.51.100.1", 1234), headers=()):
    sent = []

    async def receive():
        return {"type": "http.request", "body": b""}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "path": path, "method": "GET", "client": client, "headers": list(headers)}
    asyncio.run(app(scope, receive, send))
    return sent


async def hello(scope, receive, send):
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"hi"})


@pytest.mark.parametrize("offload", [False, True])
def test_asgi_middleware(offload):
    clock = FakeClock()
    app = AsyncRateLimitMiddleware(hello, limiter_for("1/minute", "fixed_window", clock=clock), offload=offload)
    first = run_asgi(app)
    assert first[0]["status"] == 200 and (b"ratelimit-remaining", b"0") in first[0]["headers"]
    second = run_asgi(app)
    assert second[0]["status"] == 429 and any(k == b"retry-after" for k, _ in second[0]["headers"])
    assert run_asgi(app, path="/health")[0]["status"] == 200
    assert run_asgi(app, client=("198.51.100.2", 1))[0]["status"] == 200


def test_scope_environ():
    env = scope_environ({"path": "/x", "client": ("192.0.2.1", 5), "headers": [(b"x-api-key", b"k")]})
    assert env == {"PATH_INFO": "/x", "REQUEST_METHOD": "GET", "REMOTE_ADDR": "192.0.2.1", "HTTP_X_API_KEY": "k"}

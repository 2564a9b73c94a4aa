"""Calendar quotas: "10,000 requests a month" for API plans, reset at calendar boundaries.

Rate limits smooth traffic over seconds or minutes; a quota caps usage over a billing period that
starts at midnight UTC (daily), on Mondays (weekly) or on the first of the month (monthly). Usage
is kept in the same storage as the limiters, so a SQLite storage shares it between processes.

    quota = Quota(10_000, "month")
    usage = quota.consume("customer:42")
    if not usage.allowed:
        ...  # 429, with usage.resets_at in the body
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

from .clock import wall
from .storage.memory import MemoryStorage

PERIODS = ("day", "week", "month")


def period_start(now: dt.datetime, period: str) -> dt.datetime:
    day = now.astimezone(dt.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "day":
        return day
    if period == "week":
        return day - dt.timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    raise ValueError(f"unknown quota period {period!r} (known: {', '.join(PERIODS)})")


def period_end(start: dt.datetime, period: str) -> dt.datetime:
    if period == "day":
        return start + dt.timedelta(days=1)
    if period == "week":
        return start + dt.timedelta(days=7)
    if period == "month":
        return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    raise ValueError(f"unknown quota period {period!r}")


@dataclass(frozen=True)
class Usage:
    allowed: bool
    used: int
    limit: int
    resets_at: dt.datetime

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)

    def headers(self) -> dict[str, str]:
        return {"X-Quota-Limit": str(self.limit), "X-Quota-Remaining": str(self.remaining),
                "X-Quota-Reset": self.resets_at.strftime("%Y-%m-%dT%H:%M:%SZ")}


class Quota:
    def __init__(self, limit: int, period: str = "month", storage=None,
                 clock: Callable[[], float] = wall):
        if limit <= 0:
            raise ValueError("a quota needs a positive limit")
        if period not in PERIODS:
            raise ValueError(f"unknown quota period {period!r} (known: {', '.join(PERIODS)})")
        self.limit, self.period, self.clock = limit, period, clock
        # Wall-clock seconds (calendar periods), unlike the limiters' monotonic clock.
        self.storage = storage if storage is not None else MemoryStorage(clock=clock)

    def _window(self) -> tuple[dt.datetime, dt.datetime]:
        now = dt.datetime.fromtimestamp(self.clock(), dt.timezone.utc)
        start = period_start(now, self.period)
        return start, period_end(start, self.period)

    def _key(self, key: str, start: dt.datetime) -> str:
        return f"quota:{self.period}:{start:%Y%m%d}:{key}"

    def consume(self, key: str, amount: int = 1) -> Usage:
        """Count `amount` against the key's quota, unless that would exceed it (then nothing is counted)."""
        if amount < 1:
            raise ValueError("amount must be at least 1")
        start, end = self._window()
        skey = self._key(key, start)
        with self.storage.lock(skey):
            used = self.storage.get(skey) or 0
            if used + amount > self.limit:
                return Usage(False, used, self.limit, end)
            ttl = (end - dt.datetime.fromtimestamp(self.clock(), dt.timezone.utc)).total_seconds()
            self.storage.set(skey, used + amount, max(ttl, 1.0))
            return Usage(True, used + amount, self.limit, end)

    def usage(self, key: str) -> Usage:
        start, end = self._window()
        used = self.storage.get(self._key(key, start)) or 0
        return Usage(used < self.limit, used, self.limit, end)

    def refund(self, key: str, amount: int = 1) -> Usage:
        """Give back what a failed request consumed (a 5xx should not cost the customer)."""
        start, end = self._window()
        skey = self._key(key, start)
        with self.storage.lock(skey):
            used = max(0, (self.storage.get(skey) or 0) - amount)
            ttl = (end - dt.datetime.fromtimestamp(self.clock(), dt.timezone.utc)).total_seconds()
            self.storage.set(skey, used, max(ttl, 1.0))
            return Usage(used < self.limit, used, self.limit, end)

"""Recurring schedules: every N days/weeks/months from a start date, optionally on business days."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterator

from .arithmetic import add_months
from .business import DEFAULT, Calendar, add_business_days


@dataclass
class Schedule:
    start: dt.date
    every: int = 1
    unit: str = "month"  # day, week or month
    business_days_only: bool = False  # move a date that is not a business day to the next one
    calendar: Calendar = DEFAULT

    def __post_init__(self):
        if self.unit not in ("day", "week", "month"):
            raise ValueError(f"unit must be day, week or month, not {self.unit!r}")
        if self.every < 1:
            raise ValueError("every must be at least 1")

    def nth(self, n: int) -> dt.date:
        if self.unit == "month":
            d = add_months(self.start, n * self.every)  # from the start, so Jan 31 -> Feb 29 -> Mar 31
        else:
            d = self.start + dt.timedelta(days=n * self.every * (7 if self.unit == "week" else 1))
        return add_business_days(d, 0, self.calendar) if self.business_days_only else d

    def __iter__(self) -> Iterator[dt.date]:
        n = 0
        while True:
            yield self.nth(n)
            n += 1

    def between(self, first: dt.date, last: dt.date) -> list[dt.date]:
        out, n = [], 0
        while (d := self.nth(n)) <= last:
            if d >= first:
                out.append(d)
            n += 1
        return out

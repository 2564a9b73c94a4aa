"""Business days: Monday to Friday, minus the calendar's holidays."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

ONE_DAY = dt.timedelta(days=1)


class Calendar:
    def __init__(self, holidays=(), weekend=(5, 6), observe_weekend_holidays: bool = False):
        """`observe_weekend_holidays`: a holiday on Saturday is taken on the Friday before, one on
        Sunday on the Monday after (the US federal rule)."""
        self.weekend = frozenset(weekend)
        self.holidays: set[dt.date] = set()
        for h in holidays:
            self.holidays.add(h)
            if observe_weekend_holidays:
                if h.weekday() == 5:
                    self.holidays.add(h - ONE_DAY)
                elif h.weekday() == 6:
                    self.holidays.add(h + ONE_DAY)

    @classmethod
    def from_file(cls, path: str | Path, **kw) -> Calendar:
        """One ISO date per line; '#' starts a comment."""
        days = []
        for n, line in enumerate(Path(path).read_text().splitlines(), 1):
            text = line.split("#", 1)[0].strip()
            if not text:
                continue
            try:
                days.append(dt.date.fromisoformat(text))
            except ValueError:
                raise ValueError(f"{path}:{n}: not an ISO date: {text!r}") from None
        return cls(days, **kw)

    def is_business_day(self, d: dt.date) -> bool:
        return d.weekday() not in self.weekend and d not in self.holidays


DEFAULT = Calendar()


def is_business_day(d: dt.date, calendar: Calendar = DEFAULT) -> bool:
    return calendar.is_business_day(d)


def business_days_between(start: dt.date, end: dt.date, calendar: Calendar = DEFAULT) -> int:
    """Business days in [start, end): start counted, end not. Negative when end < start."""
    if end < start:
        return -business_days_between(end, start, calendar)
    total = (end - start).days
    weeks, extra = divmod(total, 7)
    count = weeks * (7 - len(calendar.weekend))
    for i in range(extra):
        if (start + dt.timedelta(days=weeks * 7 + i)).weekday() not in calendar.weekend:
            count += 1
    count -= sum(1 for h in calendar.holidays if start <= h < end and h.weekday() not in calendar.weekend)
    return count


def add_business_days(d: dt.date, n: int, calendar: Calendar = DEFAULT) -> dt.date:
    """The n-th business day after d (before it when n < 0); n = 0 rolls forward to a business day."""
    step = ONE_DAY if n >= 0 else -ONE_DAY
    if n == 0:
        while not calendar.is_business_day(d):
            d += ONE_DAY
        return d
    remaining = abs(n)
    while remaining:
        d += step
        if calendar.is_business_day(d):
            remaining -= 1
    return d

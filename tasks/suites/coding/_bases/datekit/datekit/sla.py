"""Service-level deadlines in business hours: "respond within 8 working hours".

A ticket opened Friday at 16:00, with opening hours 09:00–17:00 and an 8-hour target, is due
Monday at 16:00 — or Tuesday, if Monday is a holiday. Time outside opening hours, weekends and the
calendar's holidays does not count; a ticket opened out of hours starts counting at the next
opening.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .business import DEFAULT, Calendar


@dataclass(frozen=True)
class BusinessHours:
    opens: dt.time = dt.time(9, 0)
    closes: dt.time = dt.time(17, 0)
    calendar: Calendar = DEFAULT

    def __post_init__(self):
        if not self.opens < self.closes:
            raise ValueError("opening hours must open before they close (overnight hours are not supported)")

    @property
    def day_length(self) -> dt.timedelta:
        return dt.datetime.combine(dt.date.min, self.closes) - dt.datetime.combine(dt.date.min, self.opens)

    def is_open(self, when: dt.datetime) -> bool:
        return self.calendar.is_business_day(when.date()) and self.opens <= when.time() < self.closes

    def next_opening(self, when: dt.datetime) -> dt.datetime:
        """`when` itself if open; else the start of the next open period."""
        day = when.date()
        if self.calendar.is_business_day(day) and when.time() < self.closes:
            return max(when, dt.datetime.combine(day, self.opens, when.tzinfo))
        day += dt.timedelta(days=1)
        for _ in range(3660):  # ten years of closed days means a misconfigured calendar
            if self.calendar.is_business_day(day):
                return dt.datetime.combine(day, self.opens, when.tzinfo)
            day += dt.timedelta(days=1)
        raise ValueError("no business day within ten years: check the calendar")

    def add(self, start: dt.datetime, duration: dt.timedelta) -> dt.datetime:
        """The moment when `duration` of open time has passed since `start`."""
        if duration < dt.timedelta(0):
            raise ValueError("a duration of business time cannot be negative")
        when, left = self.next_opening(start), duration
        while True:
            closing = dt.datetime.combine(when.date(), self.closes, when.tzinfo)
            available = closing - when
            if left <= available:
                return when + left
            left -= available
            when = self.next_opening(closing)

    def between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Open time from start to end (zero if end is not after start)."""
        total, when = dt.timedelta(0), self.next_opening(start)
        while when < end:
            closing = dt.datetime.combine(when.date(), self.closes, when.tzinfo)
            total += min(closing, end) - when
            when = self.next_opening(closing)
        return total


def deadline(opened: dt.datetime, hours: float, business_hours: BusinessHours | None = None) -> dt.datetime:
    return (business_hours or BusinessHours()).add(opened, dt.timedelta(hours=hours))


def breached(opened: dt.datetime, answered: dt.datetime | None, hours: float, now: dt.datetime,
             business_hours: BusinessHours | None = None) -> bool:
    """Was (or is) the target missed? Unanswered tickets are judged against `now`."""
    return (answered or now) > deadline(opened, hours, business_hours)

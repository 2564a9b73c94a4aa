"""Date ranges: inclusive of both ends, as contracts, bookings and reports count them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .arithmetic import add_months, end_of_month


@dataclass(frozen=True, order=True)
class DateRange:
    start: dt.date
    end: dt.date

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError(f"range ends ({self.end}) before it starts ({self.start})")

    def __len__(self) -> int:
        return (self.end - self.start).days + 1

    def __contains__(self, d: dt.date) -> bool:
        return self.start <= d <= self.end

    def days(self) -> Iterator[dt.date]:
        d = self.start
        while d <= self.end:
            yield d
            d += dt.timedelta(days=1)

    def overlaps(self, other: DateRange) -> bool:
        return self.start <= other.end and other.start <= self.end

    def intersection(self, other: DateRange) -> DateRange | None:
        if not self.overlaps(other):
            return None
        return DateRange(max(self.start, other.start), min(self.end, other.end))

    def split_by_month(self) -> list[DateRange]:
        """One piece per calendar month touched: how a booking across months is invoiced."""
        pieces, start = [], self.start
        while start <= self.end:
            end = min(end_of_month(start), self.end)
            pieces.append(DateRange(start, end))
            start = end + dt.timedelta(days=1)
        return pieces

    def prorate(self, amount_cents: int) -> list[tuple[DateRange, int]]:
        """Split an amount over the months by days, in whole cents that add up exactly (the last
        piece takes the rounding)."""
        pieces = self.split_by_month()
        out, given = [], 0
        for i, piece in enumerate(pieces):
            share = amount_cents - given if i == len(pieces) - 1 else round(amount_cents * len(piece) / len(self))
            out.append((piece, share))
            given += share
        return out


def merge(ranges: Iterable[DateRange]) -> list[DateRange]:
    """Overlapping or touching ranges joined: [1-5, 6-8, 10-12] -> [1-8, 10-12]."""
    out: list[DateRange] = []
    for r in sorted(ranges):
        if out and r.start <= out[-1].end + dt.timedelta(days=1):
            out[-1] = DateRange(out[-1].start, max(out[-1].end, r.end))
        else:
            out.append(r)
    return out


def gaps(ranges: Iterable[DateRange], within: DateRange) -> list[DateRange]:
    """The days of `within` that no range covers: free slots in a booking calendar."""
    out, cursor = [], within.start
    for r in merge(x for x in ranges if x.overlaps(within)):
        if r.start > cursor:
            out.append(DateRange(cursor, r.start - dt.timedelta(days=1)))
        cursor = max(cursor, r.end + dt.timedelta(days=1))
    if cursor <= within.end:
        out.append(DateRange(cursor, within.end))
    return out


def month_range(year: int, month: int) -> DateRange:
    start = dt.date(year, month, 1)
    return DateRange(start, end_of_month(start))


def months(first: dt.date, last: dt.date) -> list[DateRange]:
    out, d = [], first.replace(day=1)
    while d <= last:
        out.append(month_range(d.year, d.month))
        d = add_months(d, 1)
    return out


def age(born: dt.date, on: dt.date) -> int:
    """Whole years; someone born on 29 February turns a year older on 1 March in common years."""
    years = on.year - born.year
    if (on.month, on.day) < (born.month, born.day):
        years -= 1
    return years

"""Month and year arithmetic. Adding months keeps the day of the month when it exists and
clamps to the month's last day when it does not (Jan 31 + 1 month = Feb 28 or 29)."""

from __future__ import annotations

import datetime as dt

_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def is_leap_year(year: int) -> bool:
    return year % 4 == 0


def days_in_month(year: int, month: int) -> int:
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1..12, not {month}")
    return 29 if month == 2 and is_leap_year(year) else _DAYS[month - 1]


def add_months(d: dt.date, months: int) -> dt.date:
    index = d.year * 12 + (d.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise OverflowError(f"{d} + {months} months is out of range")
    try:
        return d.replace(year=year, month=month)
    except ValueError:  # no such day in that month: carry the extra days over
        return d.replace(year=year, month=month, day=1) + dt.timedelta(days=d.day - 1)


def add_years(d: dt.date, years: int) -> dt.date:
    return add_months(d, 12 * years)


def end_of_month(d: dt.date) -> dt.date:
    return d.replace(day=days_in_month(d.year, d.month))


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from start to end (negative when end is earlier)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if months > 0 and add_months(start, months) > end:
        months -= 1
    elif months < 0 and add_months(start, months) < end:
        months += 1
    return months

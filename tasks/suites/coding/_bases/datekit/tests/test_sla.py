import datetime as dt

import pytest

from datekit import Calendar
from datekit.sla import BusinessHours, breached, deadline

T = dt.datetime
HOURS = BusinessHours(calendar=Calendar([dt.date(2024, 5, 27)]))  # Memorial Day, a Monday


@pytest.mark.parametrize(("opened", "hours", "due"), [
    (T(2024, 5, 21, 10, 0), 2, T(2024, 5, 21, 12, 0)),       # within the day
    (T(2024, 5, 21, 16, 0), 2, T(2024, 5, 22, 10, 0)),       # over the evening
    (T(2024, 5, 24, 16, 0), 8, T(2024, 5, 28, 16, 0)),       # Friday -> over the weekend and the holiday
    (T(2024, 5, 25, 11, 0), 1, T(2024, 5, 28, 10, 0)),       # opened on Saturday: counts from Tuesday
    (T(2024, 5, 21, 7, 30), 1, T(2024, 5, 21, 10, 0)),       # before opening
    (T(2024, 5, 21, 17, 0), 0.5, T(2024, 5, 22, 9, 30)),     # at closing time
    (T(2024, 5, 21, 9, 0), 16, T(2024, 5, 22, 17, 0)),       # exactly two days
])
def test_deadlines(opened, hours, due):
    assert deadline(opened, hours, HOURS) == due


def test_between_and_breach():
    assert HOURS.between(T(2024, 5, 24, 16, 0), T(2024, 5, 28, 10, 0)) == dt.timedelta(hours=2)
    assert HOURS.between(T(2024, 5, 28, 10, 0), T(2024, 5, 28, 9, 0)) == dt.timedelta(0)
    opened = T(2024, 5, 24, 16, 0)
    assert not breached(opened, T(2024, 5, 28, 15, 59), 8, now=T(2024, 6, 1), business_hours=HOURS)
    assert breached(opened, None, 8, now=T(2024, 5, 28, 16, 1), business_hours=HOURS)


def test_is_open_and_bad_settings():
    assert HOURS.is_open(T(2024, 5, 21, 9, 0)) and not HOURS.is_open(T(2024, 5, 21, 17, 0))
    assert not HOURS.is_open(T(2024, 5, 27, 12, 0))
    with pytest.raises(ValueError):
        BusinessHours(opens=dt.time(18), closes=dt.time(9))
    with pytest.raises(ValueError):
        HOURS.add(T(2024, 5, 21, 10), dt.timedelta(hours=-1))
    with pytest.raises(ValueError, match="no business day"):
        BusinessHours(calendar=Calendar(weekend=range(7))).next_opening(T(2024, 1, 1))

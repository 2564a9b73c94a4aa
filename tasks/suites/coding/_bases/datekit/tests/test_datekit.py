import datetime as dt

import pytest

from datekit import (Calendar, Duration, Schedule, add_business_days, add_months, business_days_between,
                     humanize)

D = dt.date


def test_add_months_clamps():
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2023, 1, 31), 1) == D(2023, 2, 28)
    assert add_months(D(2024, 3, 15), -3) == D(2023, 12, 15)


def test_business_days():
    assert business_days_between(D(2024, 7, 1), D(2024, 7, 8)) == 5
    cal = Calendar([D(2024, 7, 4)])
    assert business_days_between(D(2024, 7, 1), D(2024, 7, 8), cal) == 4
    assert add_business_days(D(2024, 7, 3), 1, cal) == D(2024, 7, 5)


def test_duration():
    assert str(Duration.parse("2d 3h 15m")) == "2d 3h 15m"
    assert Duration.of(hours=1) + Duration.of(minutes=30) == Duration(5400)


def test_humanize():
    now = dt.datetime(2024, 5, 10, 12, 0)
    assert humanize(now - dt.timedelta(hours=3), now) == "3 hours ago"
    assert humanize(now + dt.timedelta(minutes=10), now) == "in 10 minutes"


def test_schedule():
    s = Schedule(D(2024, 1, 31))
    assert [s.nth(i) for i in range(3)] == [D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 31)]
    with pytest.raises(ValueError):
        Schedule(D(2024, 1, 1), unit="fortnight")

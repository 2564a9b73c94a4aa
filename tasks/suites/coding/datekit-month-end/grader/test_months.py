import datetime as dt

import pytest

from datekit import Schedule, add_months, add_years, days_in_month, end_of_month, is_leap_year
from datekit.arithmetic import months_between

D = dt.date


@pytest.mark.parametrize("start,n,expected", [
    (D(2024, 1, 31), 1, D(2024, 2, 29)),
    (D(2023, 1, 31), 1, D(2023, 2, 28)),
    (D(2024, 3, 31), 1, D(2024, 4, 30)),
    (D(2024, 3, 31), -1, D(2024, 2, 29)),
    (D(2024, 5, 30), -3, D(2024, 2, 29)),
    (D(2024, 8, 31), 6, D(2025, 2, 28)),
    (D(2024, 1, 15), 25, D(2026, 2, 15)),
])
def test_add_months(start, n, expected):
    assert add_months(start, n) == expected


def test_leap_years():
    assert [is_leap_year(y) for y in (1900, 2000, 2023, 2024, 2100)] == [False, True, False, True, False]
    assert days_in_month(1900, 2) == 28 and days_in_month(2000, 2) == 29


def test_end_of_month_1900():
    assert end_of_month(D(1900, 2, 10)) == D(1900, 2, 28)


def test_add_years_on_leap_day():
    assert add_years(D(2024, 2, 29), 1) == D(2025, 2, 28)
    assert add_years(D(2024, 2, 29), 4) == D(2028, 2, 29)


def test_monthly_schedule_from_the_31st():
    s = Schedule(D(2024, 1, 31))
    assert s.between(D(2024, 1, 1), D(2024, 6, 30)) == [
        D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 31), D(2024, 4, 30), D(2024, 5, 31), D(2024, 6, 30)]


def test_months_between():
    assert months_between(D(2024, 1, 31), D(2024, 2, 29)) == 1
    assert months_between(D(2024, 1, 31), D(2024, 2, 28)) == 0

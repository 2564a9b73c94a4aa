import datetime as dt
from pathlib import Path

from datekit import Calendar, add_business_days, business_days_between

D = dt.date
US = Path.cwd() / "holidays" / "us-federal-2026.txt"


def _brute(start, end, cal):
    n, d = 0, start
    while d < end:
        n += cal.is_business_day(d)
        d += dt.timedelta(days=1)
    return n


def test_reported_case():
    cal = Calendar.from_file(US, observe_weekend_holidays=True)
    assert business_days_between(D(2026, 6, 29), D(2026, 7, 6), cal) == 4


def test_saturday_holiday_without_observance():
    cal = Calendar([D(2026, 7, 4)])
    assert business_days_between(D(2026, 6, 29), D(2026, 7, 6), cal) == 5


def test_matches_day_by_day_count_over_a_year():
    for observe in (False, True):
        cal = Calendar.from_file(US, observe_weekend_holidays=observe)
        start = D(2026, 1, 1)
        for offset in range(0, 365, 17):
            for length in (1, 6, 13, 40, 200):
                a, b = start + dt.timedelta(days=offset), start + dt.timedelta(days=offset + length)
                assert business_days_between(a, b, cal) == _brute(a, b, cal), (a, b, observe)


def test_other_weekend():
    cal = Calendar([D(2026, 3, 20), D(2026, 3, 21)], weekend=(4, 5))  # Friday-Saturday weekend
    a, b = D(2026, 3, 15), D(2026, 3, 29)
    assert business_days_between(a, b, cal) == _brute(a, b, cal)


def test_negative_and_add():
    cal = Calendar.from_file(US, observe_weekend_holidays=True)
    assert business_days_between(D(2026, 7, 6), D(2026, 6, 29), cal) == -4
    assert add_business_days(D(2026, 7, 2), 1, cal) == D(2026, 7, 6)

import datetime as dt

import pytest

from datekit import humanize

NOW = dt.datetime(2024, 5, 10, 12, 0)


@pytest.mark.parametrize("delta,expected", [
    (dt.timedelta(hours=1), "1 hour ago"),
    (dt.timedelta(hours=-1), "in 1 hour"),
    (dt.timedelta(minutes=1), "1 minute ago"),
    (dt.timedelta(days=7), "1 week ago"),
    (dt.timedelta(days=-30), "in 1 month"),
    (dt.timedelta(days=365), "1 year ago"),
    (dt.timedelta(hours=2), "2 hours ago"),
    (dt.timedelta(days=-3), "in 3 days"),
    (dt.timedelta(seconds=10), "just now"),
    (dt.timedelta(days=1, hours=2), "yesterday"),
    (dt.timedelta(seconds=50), "1 minute ago"),
])
def test_humanize(delta, expected):
    assert humanize(NOW - delta, NOW) == expected


def test_same_day_one_day_is_hours():
    now = dt.datetime(2024, 5, 10, 23, 59)
    assert humanize(dt.datetime(2024, 5, 10, 0, 1), now) == "24 hours ago"

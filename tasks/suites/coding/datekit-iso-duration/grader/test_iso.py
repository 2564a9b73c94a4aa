import pytest

from datekit import Duration


@pytest.mark.parametrize("text,seconds", [
    ("P1DT2H30M", 86400 + 2 * 3600 + 30 * 60),
    ("PT15M", 900),
    ("PT45S", 45),
    ("P2W", 14 * 86400),
    ("P1W2D", 9 * 86400),
    ("-PT15M", -900),
    ("PT0S", 0),
    ("P0D", 0),
    ("PT36H", 36 * 3600),
])
def test_parse(text, seconds):
    assert Duration.parse_iso(text) == Duration(seconds)


@pytest.mark.parametrize("bad", ["P1Y", "P2M", "P1Y2M3D", "P", "PT", "1D", "P1DT", "PT1D", "P-1D", "P1.5D",
                                 "", "P1H", "pt5m"])
def test_rejects(bad):
    with pytest.raises(ValueError):
        Duration.parse_iso(bad)


@pytest.mark.parametrize("seconds,text", [
    (86400 + 2 * 3600 + 30 * 60, "P1DT2H30M"),
    (14 * 86400, "P14D"),
    (0, "PT0S"),
    (-900, "-PT15M"),
    (90061, "P1DT1H1M1S"),
    (3600, "PT1H"),
    (59, "PT59S"),
])
def test_format(seconds, text):
    assert Duration(seconds).isoformat() == text


def test_round_trip():
    for s in list(range(-5000, 5000, 37)) + [86400 * 400 + 7]:
        assert Duration.parse_iso(Duration(s).isoformat()) == Duration(s)


def test_compact_form_unchanged():
    assert str(Duration.parse("2d 3h 15m")) == "2d 3h 15m"

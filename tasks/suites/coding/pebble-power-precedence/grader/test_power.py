import pytest

from pebble import run


def value(expr):
    lines = []
    run(f"print({expr});", output=lines.append)
    return lines[0]


@pytest.mark.parametrize("expr,expected", [
    ("-2 ** 2", "-4"),
    ("2 ** 3 ** 2", "512"),
    ("(-2) ** 2", "4"),
    ("2 ** -1", "0.5"),
    ("-2 ** -2", "-0.25"),
    ("2 * 3 ** 2", "18"),
    ("2 ** 2 * 3", "12"),
    ("- -3", "3"),
    ("10 - 2 ** 3", "2"),
    ("2 ** 2 ** 0", "2"),
])
def test_power_precedence(expr, expected):
    assert value(expr) == expected


def test_calls_and_indexes_bind_tighter_than_power():
    lines = []
    run("let xs = [3]; let f = fn(x) { return x; }; print(f(2) ** xs[0], -xs[0] ** 2);", output=lines.append)
    assert lines == ["8 -9"]


def test_other_arithmetic_unchanged():
    assert value("1 + 2 * 3 - 4 / 2") == "5" and value("7 // 2 * 2") == "6" and value("-7 % 3") == "2"

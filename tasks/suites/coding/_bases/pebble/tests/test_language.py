from pathlib import Path

import pytest

from pebble import PebbleError, run

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def out(src):
    lines = []
    run(src, output=lines.append)
    return lines


def test_arithmetic():
    assert out("print(1 + 2 * 3, 7 / 2, 7 // 2, 2 ** 10);") == ["7 3.5 3 1024"]


def test_strings_and_lists():
    assert out('let xs = [1, "a"]; push(xs, true); print(xs, len(xs));') == ["[1, a, true] 3"]


def test_if_while():
    assert out("let i = 0; let s = 0; while i < 5 { s = s + i; i = i + 1; } if s == 10 { print(s); }") == ["10"]


def test_functions_and_recursion():
    assert out("let f = fn(n) { if n < 2 { return n; } return f(n - 1) + f(n - 2); }; print(f(15));") == ["610"]


def test_errors_have_lines():
    with pytest.raises(PebbleError, match="line 2: undefined variable 'y'"):
        run("let x = 1;\nprint(y);")


def test_examples():
    assert out((EXAMPLES / "primes.pb").read_text()) == [
        "[2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47]"]
    assert out((EXAMPLES / "counter.pb").read_text()) == ["3 1"]

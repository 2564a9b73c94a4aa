import signal

import pytest

from pebble import run


def out(src):
    lines = []
    run(src, output=lines.append)
    return lines


@pytest.fixture
def budget():
    def boom(*_):
        raise TimeoutError("too slow: push/len are not constant time")
    old = signal.signal(signal.SIGALRM, boom)
    signal.alarm(30)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def test_push_many(budget):
    assert out("let xs = []; let i = 0; while i < 150000 { push(xs, i); i = i + 1; } print(len(xs), xs[149999]);") \
        == ["150000 149999"]


def test_len_in_loop_condition(budget):
    src = "let xs = range(150000); let i = 0; let s = 0; while i < len(xs) { s = s + xs[i]; i = i + 1; } print(s);"
    assert out(src) == [str(sum(range(150000)))]


def test_semantics_unchanged():
    src = """
let a = [1, 2];
let b = a;
push(b, 3);
print(a, len(a));
print(pop(a), a, len("héllo"), [1] + [2], len([]));
"""
    assert out(src) == ["[1, 2, 3] 3", "3 [1, 2] 5 [1, 2] 0"]


def test_push_returns_the_list():
    assert out("let a = []; print(push(push(a, 1), 2));") == ["[1, 2]"]

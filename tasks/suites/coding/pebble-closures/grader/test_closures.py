from pathlib import Path

import pytest

from pebble import PebbleError, run


def out(src):
    lines = []
    run(src, output=lines.append)
    return lines


def test_counter_example():
    src = (Path.cwd() / "examples" / "counter.pb").read_text()
    assert out(src) == ["3 1"]


def test_independent_closures():
    src = """
let make = fn(start) { let n = start; return fn(step) { n = n + step; return n; }; };
let a = make(10); let b = make(100);
a(1); b(5);
print(a(1), b(5));
"""
    assert out(src) == ["12 110"]


def test_callee_cannot_see_caller_locals():
    src = "let peek = fn() { return secret; };\nlet caller = fn() { let secret = 42; return peek(); };\ncaller();"
    with pytest.raises(PebbleError, match="undefined variable 'secret'"):
        run(src, output=lambda s: None)


def test_callee_cannot_assign_caller_locals():
    src = """
let x = "global";
let setx = fn() { x = "changed"; };
let caller = fn() { let x = "local"; setx(); return x; };
print(caller(), x);
"""
    assert out(src) == ["local changed"]


def test_recursion_and_globals_defined_later():
    src = "let f = fn(n) { if n == 0 { return g(); } return f(n - 1); };\nlet g = fn() { return 7; };\nprint(f(5));"
    assert out(src) == ["7"]


def test_closure_sees_later_updates_of_its_scope():
    src = "let v = 1; let get = fn() { return v; }; v = 2; print(get());"
    assert out(src) == ["2"]


def test_closures_in_a_loop_capture_each_iteration():
    src = """
let fns = []; let i = 0;
while i < 3 { let j = i; push(fns, fn() { return j; }); i = i + 1; }
print(fns[0](), fns[1](), fns[2]());
"""
    assert out(src) == ["0 1 2"]


def test_parameters_shadow_outer_names():
    assert out("let x = 1; let f = fn(x) { return x * 10; }; print(f(5), x);") == ["50 1"]

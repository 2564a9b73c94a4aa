from pathlib import Path

import pytest

from pebble import PebbleError
from pebble import ast as A
from pebble.interpreter import Interpreter
from pebble.optimizer import count_nodes, fold, optimize
from pebble.parser import parse

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def run_tree(tree):
    out = []
    interp = Interpreter(output=out.append)
    for stmt in tree:
        interp.execute(stmt, interp.globals)
    return out


def expr(src):
    (stmt,) = parse(src + ";")
    return fold(stmt.expr)


@pytest.mark.parametrize(("src", "value"), [
    ("2 ** 10", 1024), ('"a" + "b"', "ab"), ("not true", False), ("-(3 - 5)", 2), ("1 < 2 and 3", 3),
    ("nil or 7", 7), ("0 or 7", 7), ('"" and 1', ""), ("not 0", True), ("10 // 3 + 10 % 3", 4), ("1 == 1.0", True), ('"b" > "a"', True),
])
def test_folds_constants(src, value):
    node = expr(src)
    assert isinstance(node, A.Literal) and node.value == value and type(node.value) is type(value)


@pytest.mark.parametrize("src", ["1 / 0", '"a" - 1', "x + 1", "2 ** 100000", "0 ** -1", '"x" * 3'])
def test_leaves_what_could_fail_or_is_not_constant(src):
    assert not isinstance(expr(src), A.Literal)


def test_division_by_zero_still_fails_on_its_line():
    tree = optimize(parse("let a = 1;\nprint(1 / 0);"))
    with pytest.raises(PebbleError, match="line 2"):
        run_tree(tree)


def test_branches_and_dead_code():
    src = ('if 1 < 2 { print("yes"); } else { print("no"); }\n'
           "while false { print(1); }\n"
           'let f = fn() { return 1; print("never"); };\n'
           "print(f());")
    tree = optimize(parse(src))
    assert run_tree(tree) == run_tree(parse(src)) == ["yes", "1"]
    assert count_nodes(tree) < count_nodes(parse(src))
    assert not any(isinstance(s, A.While) for s in tree)


def test_zero_and_empty_string_are_false_as_at_run_time():
    src = 'if 0 { print("zero is true"); } else { print("zero is false"); } print("" or "empty is false");'
    assert run_tree(optimize(parse(src))) == run_tree(parse(src)) == ["zero is false", "empty is false"]


def test_a_chosen_branch_keeps_its_scope():
    src = "let x = 1; if true { let x = 2; print(x); } print(x);"
    assert run_tree(optimize(parse(src))) == ["2", "1"]


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.pb")), ids=lambda p: p.name)
def test_examples_behave_the_same(path):
    src = path.read_text()
    assert run_tree(optimize(parse(src))) == run_tree(parse(src))

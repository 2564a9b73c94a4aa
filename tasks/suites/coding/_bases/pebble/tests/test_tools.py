from pathlib import Path

import pytest

from pebble import run
from pebble.checker import check_source
from pebble.formatter import format_source, literal
from pebble.parser import parse
from pebble.repl import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def strip_lines(node):
    """A tree with every line number set to 0, to compare trees from differently laid-out sources."""
    if isinstance(node, list):
        return [strip_lines(n) for n in node]
    if hasattr(node, "__dataclass_fields__"):
        return type(node)(**{k: (0 if k == "line" else strip_lines(getattr(node, k)))
                             for k in node.__dataclass_fields__})
    return node


SOURCES = [
    "print(1+2*3);",
    "let x=-2**2; let y=(-2)**2; let z=2**-1; print(x,y,z);",
    "let a = (1 + 2) * 3 - (4 - 5) - 6;",
    "let b = not (1 < 2) or 3 == 3 and not false;",
    "let c = (1 < 2) == true;",
    'let s = "tab\\there \\"quoted\\" back\\\\slash\\n";',
    "let f = fn(a, b) { if a > b { return a; } else if a == b { return 0; } else { return b; } };",
    "let g = fn() { return fn(x) { return x * 2; }; }; print(g()(21));",
    "let xs = [1, [2, 3], []]; xs[1][0] = 9; while len(xs) > 0 { pop(xs); }",
    "let k = 10 // 3 % 2; let m = 2 ** 3 ** 2; let n = (2 ** 3) ** 2;",
]


@pytest.mark.parametrize("src", SOURCES + [p.read_text() for p in sorted(EXAMPLES.glob("*.pb"))])
def test_formatting_keeps_the_meaning(src):
    formatted = format_source(src)
    assert strip_lines(parse(formatted)) == strip_lines(parse(src))
    assert format_source(formatted) == formatted, "formatting is idempotent"


def test_formatted_layout():
    src = "let f=fn(n){if n<2{return n;}return f(n-1)+f(n-2);};print(f(10));"
    assert format_source(src) == (
        "let f = fn(n) {\n"
        "    if n < 2 {\n"
        "        return n;\n"
        "    }\n"
        "    return f(n - 1) + f(n - 2);\n"
        "};\n"
        "print(f(10));\n")
    lines = []
    run(format_source(src), output=lines.append)
    assert lines == ["55"]


def test_float_literals_stay_readable():
    assert literal(1.5) == "1.5" and literal(1e20) == "100000000000000000000.0"
    with pytest.raises(ValueError):
        literal(float("inf"))


def codes(src):
    return [(d.line, d.code) for d in check_source(src)]


def test_checker_finds_errors():
    src = ("let x = 1;\n"
           "y = 2;\n"
           "print(z);\n"
           "let x = 4;\n"
           "len(1, 2);\n"
           "return 3;\n")
    assert codes(src) == [(2, "undeclared"), (3, "undefined"), (4, "redeclared"), (5, "arity"),
                          (6, "return-outside")]


def test_checker_warnings_and_closures():
    src = ("print(later);\n"
           "let later = 1;\n"
           "let f = fn(n) {\n"
           "    let unused = 1;\n"
           "    return g(n);\n"
           "    print(n);\n"
           "};\n"
           "let g = fn(n) { return f(n); };\n")
    assert codes(src) == [(1, "use-before-let"), (4, "unused"), (6, "unreachable")]


def test_clean_examples_have_no_diagnostics():
    for path in EXAMPLES.glob("*.pb"):
        assert [d for d in check_source(path.read_text()) if d.severity == "error"] == [], path.name


def test_cli_fmt_and_check(tmp_path, capsys):
    bad = tmp_path / "bad.pb"
    bad.write_text("print(nope);\n")
    assert main(["--check", str(bad)]) == 1
    assert "undefined name 'nope'" in capsys.readouterr().out
    good = tmp_path / "good.pb"
    good.write_text("let a=1;print(a);")
    assert main(["--fmt", str(good)]) == 0
    assert capsys.readouterr().out == "let a = 1;\nprint(a);\n"
    assert main(["--fmt"]) == 2

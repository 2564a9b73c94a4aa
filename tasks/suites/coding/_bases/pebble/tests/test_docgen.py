from pathlib import Path

from pebble.docgen import collect, document

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_comments_above_functions_become_docs():
    docs = {d.name: d for d in collect((EXAMPLES / "gcd.pb").read_text())}
    assert docs["gcd"].signature == "gcd(a, b)" and docs["gcd"].line == 3
    assert docs["gcd"].doc == "Greatest common divisor, by Euclid's algorithm.\nBoth arguments must be positive integers."
    assert docs["lcm"].doc == "Least common multiple of two positive integers."


def test_markdown_lists_undocumented_functions():
    src = "let helper = fn(x) { return x; };\n# Adds one.\nlet inc = fn(x) { return helper(x) + 1; };\n"
    text = document(src, title="util")
    assert text.startswith("# util\n\n2 functions, 1 undocumented: helper.")
    assert "### inc(x)\n\nAdds one.\n\nDefined on line 3." in text and "### helper(x)\n\n_Undocumented._" in text
    assert document("print(1);") == "# Functions\n\nNo functions.\n"


def test_nested_functions_are_not_listed():
    src = "# Outer.\nlet outer = fn() { let inner = fn() { return 1; }; return inner(); };"
    assert [d.name for d in collect(src)] == ["outer"]

import pytest

from pebble import PebbleError, run


def line_of(src):
    with pytest.raises(PebbleError) as info:
        run(src, output=lambda s: None)
    return info.value.line


def test_after_comments():
    assert line_of("# one\n# two\nlet x = 1;\nprint(y);\n") == 4


def test_comment_at_end_of_code_line():
    assert line_of("let x = 1; # note\nlet z = 2;\nprint(y);") == 3


def test_after_multiline_string():
    assert line_of('let s = "a\nb\nc";\nprint(y);') == 4


def test_string_error_reports_its_start():
    assert line_of('let a = 1;\nlet s = "never\nclosed;') == 2


def test_builtin_errors_have_the_call_line():
    assert line_of("let a = 1;\n\nlen(5);") == 3
    assert line_of("# c\nlet xs = [];\npop(xs);") == 3
    assert line_of('\nint("x");') == 2


def test_message_format():
    with pytest.raises(PebbleError, match=r"^line 2: len\(\) needs a list or a string, not int$"):
        run("\nlen(5);", output=lambda s: None)


def test_parse_errors_too():
    assert line_of("# header\n\nlet = 3;") == 3


def test_lines_inside_functions():
    src = "let f = fn() {\n  # comment\n  return nope;\n};\nf();"
    assert line_of(src) == 3

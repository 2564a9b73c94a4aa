import pytest

from pebble import Interpreter, PebbleError
from pebble.stdlib import install


def run(src):
    lines = []
    interp = Interpreter(output=lines.append)
    install(interp)
    interp.run(src)
    return lines


def test_strings():
    assert run('print(upper("ab"), lower("CD"), trim("  x "), replace("a-b-c", "-", "+"));') == ["AB cd x a+b+c"]
    assert run('print(join(split("a,b,c", ","), " | "), contains("hello", "ell"), contains([1, 2], 3));') == [
        "a | b | c true false"]


def test_numbers_and_lists():
    assert run("print(abs(-3), min([4, 2, 9]), max([4, 2, 9]), sum([1, 2, 3.5]), round(2.345, 2));") == [
        "3 2 9 6.5 2.35"]
    assert run('print(sorted([3, 1, 2]), sorted(["b", "a"]), reverse([1, 2, 3]));') == ['[1, 2, 3] [a, b] [3, 2, 1]']


def test_higher_order_functions_with_closures():
    src = """
    let factor = 10;
    let scaled = map(fn(x) { return x * factor; }, [1, 2, 3]);
    let odd = filter(fn(x) { return x % 2 == 1; }, range(10));
    let total = reduce(fn(acc, x) { return acc + x; }, odd, 0);
    print(scaled, odd, total);
    print(join(map(upper, split("a b", " ")), "-"));
    """
    assert run(src) == ["[10, 20, 30] [1, 3, 5, 7, 9] 25", "A-B"]


@pytest.mark.parametrize(("src", "message"), [
    ('upper(1);', "upper() needs a string, not int"),
    ('join([1], ",");', "join() needs a list of strings"),
    ("min([]);", "min() of an empty list"),
    ('sorted([1, "a"]);', "sorted() needs a list of numbers or a list of strings"),
    ('split("abc", "");', "non-empty separator"),
    ("map(fn(a, b) { return a; }, [1]);", "takes 2 argument(s), got 1"),
    ("map(5, [1]);", "int is not callable"),
    ("abs(true);", "abs() needs a number, not bool"),
])
def test_errors_name_the_function(src, message):
    with pytest.raises(PebbleError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run(src)


def test_install_lists_names_and_cannot_be_installed_twice():
    interp = Interpreter(output=lambda s: None)
    assert "map" in install(interp)
    with pytest.raises(PebbleError, match="already defined"):
        install(interp)

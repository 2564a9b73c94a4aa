"""An optional standard library: strings, numbers, and lists with higher-order functions.

    interp = Interpreter()
    install(interp)
    interp.run('print(join(map(fn(w) { return upper(w); }, split("a b", " ")), "-"));')   # A-B

Kept out of the core built-ins so that embedders choose what a script may use. Every function
checks its arguments and raises PebbleError with the function's name, as the built-ins do.
"""

from __future__ import annotations

from .builtins import type_name
from .environment import Environment
from .errors import PebbleError, ReturnSignal
from .values import Builtin, Function, PebbleList, truthy

MAX_CALL_DEPTH = 200


def call(interp, fn, args: list):
    """Call a pebble function (or a built-in) from Python, as the interpreter calls one."""
    if isinstance(fn, Builtin):
        return fn.fn(*args)
    if not isinstance(fn, Function):
        raise PebbleError(f"{type_name(fn)} is not callable")
    if len(args) != len(fn.params):
        raise PebbleError(f"{fn.name}() takes {len(fn.params)} argument(s), got {len(args)}")
    if interp.depth >= MAX_CALL_DEPTH:
        raise PebbleError(f"recursion deeper than {MAX_CALL_DEPTH} calls")
    scope = Environment(fn.closure)
    for p, a in zip(fn.params, args):
        scope.define(p, a)
    interp.depth += 1
    try:
        interp.execute_block(fn.body, scope)
    except ReturnSignal as ret:
        return ret.value
    finally:
        interp.depth -= 1
    return None


def _need(name: str, value, *kinds, what: str):
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        raise PebbleError(f"{name}() needs {what}, not {type_name(value)}")
    return value


def _items(name: str, value) -> list:
    return _need(name, value, PebbleList, what="a list").items


def _numbers(name: str, values: list) -> list:
    for v in values:
        _need(name, v, int, float, what="numbers")
    return values


def make_stdlib(interp) -> dict[str, Builtin]:
    def upper(s):
        return _need("upper", s, str, what="a string").upper()

    def lower(s):
        return _need("lower", s, str, what="a string").lower()

    def trim(s):
        return _need("trim", s, str, what="a string").strip()

    def split(s, sep):
        _need("split", s, str, what="a string")
        if _need("split", sep, str, what="a string separator") == "":
            raise PebbleError("split() needs a non-empty separator")
        return PebbleList(s.split(sep))

    def join(lst, sep):
        parts = _items("join", lst)
        for p in parts:
            _need("join", p, str, what="a list of strings")
        return _need("join", sep, str, what="a string separator").join(parts)

    def contains(haystack, needle):
        if isinstance(haystack, str):
            return _need("contains", needle, str, what="a string to look for") in haystack
        return any(x == needle for x in _items("contains", haystack))

    def replace(s, old, new):
        for v in (s, old, new):
            _need("replace", v, str, what="strings")
        return s.replace(old, new)

    def absolute(x):
        return abs(_need("abs", x, int, float, what="a number"))

    def smallest(lst):
        xs = _numbers("min", _items("min", lst))
        if not xs:
            raise PebbleError("min() of an empty list")
        return min(xs)

    def largest(lst):
        xs = _numbers("max", _items("max", lst))
        if not xs:
            raise PebbleError("max() of an empty list")
        return max(xs)

    def total(lst):
        return sum(_numbers("sum", _items("sum", lst)))

    def rounded(x, digits):
        _need("round", x, int, float, what="a number")
        return round(x, _need("round", digits, int, what="a whole number of digits"))

    def sort(lst):
        xs = _items("sorted", lst)
        if not (all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in xs)
                or all(isinstance(x, str) for x in xs)):
            raise PebbleError("sorted() needs a list of numbers or a list of strings")
        return PebbleList(sorted(xs))

    def reverse(lst):
        return PebbleList(list(reversed(_items("reverse", lst))))

    def mapped(fn, lst):
        return PebbleList([call(interp, fn, [x]) for x in _items("map", lst)])

    def filtered(fn, lst):
        return PebbleList([x for x in _items("filter", lst) if truthy(call(interp, fn, [x]))])

    def reduced(fn, lst, start):
        acc = start
        for x in _items("reduce", lst):
            acc = call(interp, fn, [acc, x])
        return acc

    table = {"upper": (upper, 1), "lower": (lower, 1), "trim": (trim, 1), "split": (split, 2),
             "join": (join, 2), "contains": (contains, 2), "replace": (replace, 3), "abs": (absolute, 1),
             "min": (smallest, 1), "max": (largest, 1), "sum": (total, 1), "round": (rounded, 2),
             "sorted": (sort, 1), "reverse": (reverse, 1), "map": (mapped, 2), "filter": (filtered, 2),
             "reduce": (reduced, 3)}
    return {name: Builtin(name, fn, arity) for name, (fn, arity) in table.items()}


def install(interp) -> list[str]:
    """Define the library's functions in the interpreter's global scope; returns their names."""
    lib = make_stdlib(interp)
    for name, fn in lib.items():
        interp.globals.define(name, fn)
    return sorted(lib)

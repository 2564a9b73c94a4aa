"""Functions every program starts with."""

from __future__ import annotations

from .errors import PebbleError
from .values import Builtin, PebbleList, show


def _len(value):
    if isinstance(value, PebbleList):
        return value.length()
    if isinstance(value, str):
        return len(value)
    raise PebbleError(f"len() needs a list or a string, not {type_name(value)}")


def _push(lst, value):
    if not isinstance(lst, PebbleList):
        raise PebbleError(f"push() needs a list, not {type_name(lst)}")
    lst.push(value)
    return lst


def _pop(lst):
    if not isinstance(lst, PebbleList) or not lst.items:
        raise PebbleError("pop() needs a non-empty list")
    return lst.items.pop()


def _range(*args):
    if not 1 <= len(args) <= 3 or not all(isinstance(a, int) for a in args):
        raise PebbleError("range() takes 1 to 3 integers")
    return PebbleList(range(*args))


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise PebbleError(f"cannot convert {show(value)!r} to int") from None


def type_name(value) -> str:
    from .values import Builtin as B, Function

    if value is None:
        return "nil"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    if isinstance(value, PebbleList):
        return "list"
    if isinstance(value, (Function, B)):
        return "function"
    return type(value).__name__


def make_builtins(output) -> dict[str, Builtin]:
    def _print(*args):
        output(" ".join(show(a) for a in args))

    table = {
        "print": (_print, None),
        "len": (_len, 1),
        "push": (_push, 2),
        "pop": (_pop, 1),
        "range": (_range, None),
        "str": (show, 1),
        "int": (_int, 1),
        "type": (type_name, 1),
    }
    return {name: Builtin(name, fn, arity) for name, (fn, arity) in table.items()}

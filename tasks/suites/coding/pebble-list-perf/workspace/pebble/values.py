"""Runtime values that are not plain Python ones."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(eq=False)
class Function:
    name: str
    params: list[str]
    body: list
    closure: object  # the Environment the function was defined in

    def __repr__(self) -> str:
        return f"<fn {self.name}>"


@dataclass(eq=False)
class Builtin:
    name: str
    fn: object
    arity: int | None  # None: any number of arguments

    def __repr__(self) -> str:
        return f"<builtin {self.name}>"


class PebbleList:
    """A mutable list."""

    __slots__ = ("items",)

    def __init__(self, items=None):
        self.items = list(items or [])

    def push(self, value) -> None:
        self.items = self.items + [value]

    def length(self) -> int:
        return sum(1 for _ in self.items)

    def __eq__(self, other) -> bool:
        return isinstance(other, PebbleList) and self.items == other.items

    def __repr__(self) -> str:
        return "[" + ", ".join(show(v) for v in self.items) + "]"


def show(value) -> str:
    if value is None:
        return "nil"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(value)
    return repr(value)


def truthy(value) -> bool:
    return value not in (None, False, 0, "") and not (isinstance(value, PebbleList) and not value.items)

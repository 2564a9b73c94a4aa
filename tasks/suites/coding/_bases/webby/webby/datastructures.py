from __future__ import annotations

from typing import Iterable


class MultiDict:
    """A mapping where a key may hold several values (query strings, form posts).

    `d[key]` and `d.get(key)` give the first value; `getlist(key)` gives them all.
    """

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()):
        self._data: dict[str, list[str]] = {}
        for k, v in pairs:
            self._data.setdefault(k, []).append(v)

    def __getitem__(self, key: str) -> str:
        return self._data[key][0]

    def get(self, key: str, default=None, type=None):
        if key not in self._data:
            return default
        value = self._data[key][0]
        if type is None:
            return value
        try:
            return type(value)
        except (TypeError, ValueError):
            return default

    def getlist(self, key: str) -> list[str]:
        return list(self._data.get(key, []))

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __iter__(self):
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def items(self, multi: bool = False):
        for k, values in self._data.items():
            if multi:
                for v in values:
                    yield k, v
            else:
                yield k, values[0]

    def to_dict(self) -> dict[str, str]:
        return {k: v[0] for k, v in self._data.items()}


class Headers:
    """Case-insensitive headers that keep their original spelling and order."""

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()):
        self._items: list[tuple[str, str]] = []
        for k, v in pairs:
            self.add(k, v)

    def add(self, key: str, value: str) -> None:
        self._items.append((key, str(value)))

    def __setitem__(self, key: str, value: str) -> None:
        self._items = [(k, v) for k, v in self._items if k.lower() != key.lower()]
        self.add(key, value)

    def __getitem__(self, key: str) -> str:
        for k, v in self._items:
            if k.lower() == key.lower():
                return v
        raise KeyError(key)

    def get(self, key: str, default=None):
        try:
            return self[key]
        except KeyError:
            return default

    def __delitem__(self, key: str) -> None:
        self._items = [(k, v) for k, v in self._items if k.lower() != key.lower()]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and any(k.lower() == key.lower() for k, _ in self._items)

    def items(self) -> list[tuple[str, str]]:
        return list(self._items)

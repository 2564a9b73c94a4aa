from __future__ import annotations

from .errors import PebbleError


class Environment:
    """A scope: its own names, and the scope it is nested in."""

    def __init__(self, parent: Environment | None = None):
        self.vars: dict[str, object] = {}
        self.parent = parent

    def define(self, name: str, value, line: int | None = None) -> None:
        if name in self.vars:
            raise PebbleError(f"'{name}' is already defined in this scope", line)
        self.vars[name] = value

    def _owner(self, name: str) -> Environment | None:
        env = self
        while env is not None:
            if name in env.vars:
                return env
            env = env.parent
        return None

    def get(self, name: str, line: int | None = None):
        owner = self._owner(name)
        if owner is None:
            raise PebbleError(f"undefined variable '{name}'", line)
        return owner.vars[name]

    def set(self, name: str, value, line: int | None = None) -> None:
        owner = self._owner(name)
        if owner is None:
            raise PebbleError(f"assignment to undefined variable '{name}' (use let)", line)
        owner.vars[name] = value

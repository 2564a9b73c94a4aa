"""Routes: patterns like /users/<int:id>/posts/<slug>, matched most specific first."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

CONVERTERS: dict[str, tuple[str, Callable[[str], object]]] = {
    "str": (r"[^/]+", str),
    "int": (r"-?\d+", int),
    "path": (r".+", str),
    "slug": (r"[a-z0-9]+(?:-[a-z0-9]+)*", str),
}
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


@dataclass
class Route:
    pattern: str
    handler: Callable
    methods: frozenset[str]
    name: str
    regex: re.Pattern = field(init=False)
    converters: dict[str, Callable] = field(init=False)
    static_parts: int = field(init=False)

    def __post_init__(self):
        self.converters, regex, pos = {}, "", 0
        for m in PARAM.finditer(self.pattern):
            conv = m.group(1) or "str"
            if conv not in CONVERTERS:
                raise ValueError(f"unknown converter '{conv}' in route {self.pattern!r}")
            regex += re.escape(self.pattern[pos:m.start()]) + f"(?P<{m.group(2)}>{CONVERTERS[conv][0]})"
            self.converters[m.group(2)] = CONVERTERS[conv][1]
            pos = m.end()
        regex += re.escape(self.pattern[pos:])
        self.regex = re.compile(f"^{regex}$")
        # Specificity: more literal segments first, then fewer parameters, then no catch-all path.
        segments = [s for s in self.pattern.strip("/").split("/") if s]
        self.static_parts = sum(1 for s in segments if not PARAM.search(s))

    def sort_key(self):
        return (-self.static_parts, len(self.converters), "<path:" in self.pattern)

    def match(self, path: str) -> dict[str, object] | None:
        m = self.regex.match(path)
        if not m:
            return None
        return {k: self.converters[k](v) for k, v in m.groupdict().items()}

    def build(self, **params) -> str:
        def sub(m):
            if m.group(2) not in params:
                raise KeyError(f"route {self.name!r} needs parameter '{m.group(2)}'")
            return str(params[m.group(2)])
        return PARAM.sub(sub, self.pattern)


class Router:
    def __init__(self):
        self.routes: list[Route] = []

    def add(self, pattern: str, handler: Callable, methods=("GET",), name: str | None = None) -> Route:
        if not pattern.startswith("/"):
            raise ValueError(f"route pattern must start with '/': {pattern!r}")
        methods = frozenset(m.upper() for m in methods)
        if "GET" in methods:
            methods |= {"HEAD"}
        route = Route(pattern, handler, methods, name or handler.__name__)
        self.routes.append(route)
        return route

    def match(self, method: str, path: str):
        """(route, params) for the method; (None, allowed methods) when only other methods match."""
        allowed: set[str] = set()
        for route in self.routes:
            params = route.match(path)
            if params is None:
                continue
            if method in route.methods:
                return route, params
            allowed |= route.methods
        return None, allowed

    def url_for(self, name: str, /, **params) -> str:
        for route in self.routes:
            if route.name == name:
                return route.build(**params)
        raise KeyError(f"no route named {name!r}")

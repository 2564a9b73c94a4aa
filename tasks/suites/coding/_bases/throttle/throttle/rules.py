"""Limits from a configuration file instead of code: which policy applies to which requests.

    # limits.toml
    [defaults]
    algorithm = "token_bucket"
    key = "ip"

    [[rule]]
    path = "/login"
    methods = ["POST"]
    policy = "5/minute"
    key = "ip"

    [[rule]]
    path = "/api/"
    policy = "100/minute"
    key = "api_key"

The first rule whose path prefix and method match a request decides; a request no rule matches is
not limited. Every problem in the file is reported with its rule number.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .keys import api_key, client_ip
from .policy import parse_policy
from .registry import ALGORITHMS, limiter_for

KEYS: dict[str, Callable[[], Callable[[dict], str]]] = {
    "ip": client_ip, "api_key": lambda: api_key(fallback=client_ip()), "global": lambda: (lambda env: "all")}
RULE_FIELDS = {"path", "methods", "policy", "algorithm", "key", "trusted_proxies"}


class RuleError(ValueError):
    pass


@dataclass
class Rule:
    path: str
    methods: frozenset[str] | None
    limiter: object
    key: Callable[[dict], str]
    number: int

    def matches(self, environ: dict) -> bool:
        method = environ.get("REQUEST_METHOD", "GET").upper()
        return environ.get("PATH_INFO", "/").startswith(self.path) and (self.methods is None or method in self.methods)


class RuleSet:
    def __init__(self, rules: list[Rule]):
        self.rules = rules

    @classmethod
    def from_toml(cls, path: str | Path, clock=None, storage=None) -> RuleSet:
        try:
            data = tomllib.loads(Path(path).read_text())
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise RuleError(f"{path}: {exc}") from exc
        return cls.from_dict(data, clock=clock, storage=storage, source=str(path))

    @classmethod
    def from_dict(cls, data: dict, clock=None, storage=None, source: str = "rules") -> RuleSet:
        defaults = data.get("defaults", {})
        rules = []
        for n, raw in enumerate(data.get("rule", []), 1):
            where = f"{source}: rule {n}"
            unknown = set(raw) - RULE_FIELDS
            if unknown:
                raise RuleError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
            if "policy" not in raw or "path" not in raw:
                raise RuleError(f"{where}: needs `path` and `policy`")
            if not str(raw["path"]).startswith("/"):
                raise RuleError(f"{where}: path must start with '/'")
            try:
                policy = parse_policy(raw["policy"])
            except ValueError as exc:
                raise RuleError(f"{where}: {exc}") from None
            algorithm = raw.get("algorithm", defaults.get("algorithm", "token_bucket"))
            if algorithm not in ALGORITHMS:
                raise RuleError(f"{where}: unknown algorithm {algorithm!r} (known: {', '.join(sorted(ALGORITHMS))})")
            key_name = raw.get("key", defaults.get("key", "ip"))
            if key_name not in KEYS:
                raise RuleError(f"{where}: unknown key {key_name!r} (known: {', '.join(KEYS)})")
            key = client_ip(raw.get("trusted_proxies", defaults.get("trusted_proxies", 0))) if key_name == "ip" \
                else KEYS[key_name]()
            kwargs = {k: v for k, v in (("clock", clock), ("storage", storage)) if v is not None}
            methods = frozenset(m.upper() for m in raw["methods"]) if "methods" in raw else None
            rules.append(Rule(raw["path"], methods, limiter_for(policy, algorithm, **kwargs), key, n))
        return cls(rules)

    def match(self, environ: dict) -> Rule | None:
        return next((r for r in self.rules if r.matches(environ)), None)

    def hit(self, environ: dict):
        """(rule, decision) for a request, or (None, None) when no rule limits it."""
        rule = self.match(environ)
        if rule is None:
            return None, None
        # Each rule counts apart: the same client has one bucket for /login and another for /api/.
        return rule, rule.limiter.hit(f"rule{rule.number}:{rule.key(environ)}")

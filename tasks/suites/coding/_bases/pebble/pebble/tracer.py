"""Tracing and profiling a pebble program: which statements ran, how often, how deep.

    tracer = Tracer(output=print)
    tracer.run(source)
    tracer.hot_lines(3)        # [(line, times run), ...]
    print(tracer.listing(source))

The trace is capped (`max_events`) so that tracing a long loop cannot exhaust memory; counts
keep going after the cap.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .interpreter import Interpreter


@dataclass(frozen=True)
class Event:
    line: int
    kind: str  # the statement's node type: Let, Assign, If, While, Return, ExprStmt
    depth: int  # function-call depth when it ran


class Tracer(Interpreter):
    def __init__(self, output=print, max_events: int = 10_000):
        super().__init__(output)
        self.events: list[Event] = []
        self.counts: Counter[int] = Counter()
        self.max_events = max_events
        self.dropped = 0

    def execute(self, node, env):
        self.counts[node.line] += 1
        if len(self.events) < self.max_events:
            self.events.append(Event(node.line, type(node).__name__, self.depth))
        else:
            self.dropped += 1
        return super().execute(node, env)

    def hot_lines(self, n: int = 5) -> list[tuple[int, int]]:
        return self.counts.most_common(n)

    def max_depth(self) -> int:
        return max((e.depth for e in self.events), default=0)

    def listing(self, source: str) -> str:
        """The source with each line's execution count in a margin, like a coverage report."""
        width = max((len(str(c)) for c in self.counts.values()), default=1)
        out = []
        for number, text in enumerate(source.splitlines(), 1):
            count = self.counts.get(number)
            margin = str(count).rjust(width) if count else " " * (width - 1) + "-"
            out.append(f"{margin} | {text}")
        return "\n".join(out)

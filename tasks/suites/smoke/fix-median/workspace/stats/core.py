"""Descriptive statistics over plain lists of numbers."""

from collections import Counter


def _check(values):
    if not values:
        raise ValueError("need at least one value")
    return list(values)


def mean(values):
    values = _check(values)
    return sum(values) / len(values)


def median(values):
    values = _check(values)
    mid = len(values) // 2
    return values[mid]


def mode(values):
    values = _check(values)
    counts = Counter(values)
    best = max(counts.values())
    return min(v for v, c in counts.items() if c == best)


def spread(values):
    values = _check(values)
    return max(values) - min(values)

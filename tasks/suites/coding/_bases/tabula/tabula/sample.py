"""Samples of a table: for eyeballing a big file, or for a test fixture that keeps its shape.

`random_sample` is reproducible (a seed), and `stratified` keeps each group's share, so a 1% sample
of orders still has the rare country in it (at least `min_per_group` rows of every group).
"""

from __future__ import annotations

import math
import random
from collections import defaultdict

from .errors import PipelineError


def head(rows: list[dict], n: int = 10) -> list[dict]:
    return rows[:max(0, n)]


def tail(rows: list[dict], n: int = 10) -> list[dict]:
    return rows[-n:] if n > 0 else []


def random_sample(rows: list[dict], n: int, seed: int = 0) -> list[dict]:
    """n rows chosen at random, in their original order."""
    if n >= len(rows):
        return list(rows)
    picked = sorted(random.Random(seed).sample(range(len(rows)), n))
    return [rows[i] for i in picked]


def stratified(rows: list[dict], by: str, fraction: float, seed: int = 0, min_per_group: int = 1) -> list[dict]:
    if not 0 < fraction <= 1:
        raise PipelineError("stratified sample: fraction must be in (0, 1]")
    if rows and all(by not in r for r in rows):
        raise PipelineError(f"stratified sample: no column '{by}'")
    groups: dict[object, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        groups[r.get(by)].append(i)
    rng = random.Random(seed)
    chosen: list[int] = []
    for key in sorted(groups, key=lambda k: (k is None, str(k))):  # a fixed order, so the seed decides
        members = groups[key]
        k = min(len(members), max(min_per_group, math.ceil(len(members) * fraction)))
        chosen += rng.sample(members, k)
    return [rows[i] for i in sorted(chosen)]

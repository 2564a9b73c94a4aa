"""The numbers behind one scenario's eight weeks, and every trap planted in them.

A figure a file states may be wrong: a weekly summary with a mistake that a later mail corrects (or a summary-v2
that replaces it), a preliminary figure in chat, an estimate a report supersedes, a price a memo announces and a
mail revises, a rule a wiki page states and a newer page replaces. `World` knows each figure's right value *as
known in a given week* (a correction that arrives in week 5 does not exist for a week-4 task), so each task's
answer is computed from the same facts its sources state."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .scenarios import Scenario

WEEKS = 8
OLD_RULE, NEW_RULE = 4, 10  # vendor score = on-time % - RULE x defect %: the archived wiki page, the current one
OVERHEAD = {1: 0.12, 5: 0.15}  # share of revenue: the wiki's rate, then the week-5 memo's from week 5 on


@dataclass(frozen=True)
class Correction:
    week: int  # the week whose figure is wrong
    unit: str
    field: str  # "volume" or "cost"
    raw: float  # what the summary says
    right: float
    known: int  # the week the correction arrives in
    how: str  # "mail" (a correction mail) or "v2" (a summary-v2.xlsx that replaces the summary)


@dataclass
class Delivery:
    vendor: str
    day: int  # 0..4 within its week
    units: int
    defects: int
    on_time: bool


@dataclass
class World:
    sc: Scenario
    volume_raw: dict[int, dict[str, int]] = field(default_factory=dict)
    cost_raw: dict[int, dict[str, float]] = field(default_factory=dict)
    old_price: dict[str, float] = field(default_factory=dict)
    new_price_announced: dict[str, float] = field(default_factory=dict)
    new_price: dict[str, float] = field(default_factory=dict)  # after the week-5 correction mail
    corrections: list[Correction] = field(default_factory=list)
    prelims: list[tuple[int, str, int]] = field(default_factory=list)  # (week, unit, a wrong early figure in chat)
    incident: dict[str, dict] = field(default_factory=dict)  # unit -> lost (final), estimate, unit_cost
    owner: str = ""
    due_first: str = ""
    due_moved: str = ""
    deliveries: dict[int, list[Delivery]] = field(default_factory=dict)  # as the weekly export has them
    late_fixed: tuple[str, int] = ("", 0)  # week 3's corrected export: this vendor's n deliveries were on time
    files: dict[str, str] = field(default_factory=dict)  # a planted fact -> the source file that states it (pile.py)

    # ------------------------------------------------------------------ figures as known in week `as_of`
    def volume(self, week: int, unit: str, as_of: int) -> int:
        return int(self._fixed(week, unit, "volume", self.volume_raw[week][unit], as_of))

    def cost(self, week: int, unit: str, as_of: int) -> float:
        return self._fixed(week, unit, "cost", self.cost_raw[week][unit], as_of)

    def _fixed(self, week: int, unit: str, what: str, raw: float, as_of: int) -> float:
        for c in self.corrections:
            if (c.week, c.unit, c.field) == (week, unit, what) and c.known <= as_of:
                return c.right
        return raw

    def price(self, week: int, unit: str) -> float:
        return self.new_price[unit] if week >= 5 else self.old_price[unit]

    def revenue(self, week: int, unit: str, as_of: int) -> float:
        return round(self.volume(week, unit, as_of) * self.price(week, unit), 2)

    def overhead_rate(self, week: int) -> float:
        return OVERHEAD[5] if week >= 5 else OVERHEAD[1]

    def vendor_rows(self, weeks: range, corrected: bool = True) -> list[Delivery]:
        rows = []
        for w in weeks:
            for d in self.deliveries[w]:
                rows.append(d)
        if corrected and 3 in weeks:  # the corrected export: the vendor's first n late deliveries were on time
            vendor, n = self.late_fixed
            late = [d for d in self.deliveries[3] if d.vendor == vendor and not d.on_time][:n]
            rows = [Delivery(d.vendor, d.day, d.units, d.defects, True) if d in late else d for d in rows]
        return rows

    def scorecard(self, weeks: range, rule: int = NEW_RULE, corrected: bool = True) -> dict[str, dict]:
        out = {}
        for v in self.sc.vendors:
            rows = [d for d in self.vendor_rows(weeks, corrected) if d.vendor == v]
            on_time = round(100 * sum(d.on_time for d in rows) / len(rows), 1)
            defects = round(100 * sum(d.defects for d in rows) / sum(d.units for d in rows), 2)
            out[v] = {"deliveries": len(rows), "on_time": on_time, "defects": defects,
                      "score": round(on_time - rule * defects, 1)}
        return out


def build_world(sc: Scenario) -> World:
    """The scenario's numbers, from its seed; drawn again until every trap tells the careless from the careful."""
    for attempt in range(200):
        w = _draw(sc, random.Random(f"pertask-briefcase-{sc.key}-{attempt}"))
        if _traps_bite(w):
            return w
    raise RuntimeError(f"{sc.key}: no draw plants traps that bite")


def _draw(sc: Scenario, rnd: random.Random) -> World:
    w = World(sc)
    base = {u: rnd.randint(*sc.base_volume) for u in sc.units}
    share = {u: rnd.uniform(*sc.cost_share) for u in sc.units}
    w.old_price = {u: round(rnd.uniform(*sc.base_price), 2) for u in sc.units}
    pct = {u: rnd.choice([3, 4, 5, 6, 8]) for u in sc.units}
    w.new_price_announced = {u: round(w.old_price[u] * (1 + pct[u] / 100), 2) for u in sc.units}
    revised = sc.units[2]
    w.new_price = dict(w.new_price_announced)
    w.new_price[revised] = round(w.old_price[revised] * (1 + (pct[revised] - 2) / 100), 2)
    for week in range(1, WEEKS + 1):
        w.volume_raw[week] = {u: int(base[u] * rnd.uniform(0.9, 1.12)) for u in sc.units}
        w.cost_raw[week] = {u: round(w.volume_raw[week][u] * w.old_price[u] * share[u] * rnd.uniform(0.95, 1.05), 2)
                            for u in sc.units}
    plan = [(1, 0, "volume", 1, "mail"), (3, 3, "volume", 3, "v2"), (4, 1, "cost", 5, "mail"),
            (6, 4, "volume", 6, "mail"), (7, 2, "volume", 7, "v2")]
    for week, ui, what, known, how in plan:
        u = sc.units[ui]
        raw = w.volume_raw[week][u] if what == "volume" else w.cost_raw[week][u]
        factor = rnd.choice([0.86, 0.9, 1.08, 1.12])
        right = int(raw * factor) if what == "volume" else round(raw * factor, 2)
        w.corrections.append(Correction(week, u, what, raw, right, known, how))
    for week in range(1, WEEKS + 1):
        for u in rnd.sample(sc.units, 2):
            w.prelims.append((week, u, int(w.volume_raw[week][u] * rnd.choice([0.93, 0.95, 1.05, 1.07]))))
    for u in sc.units[1:4]:
        lost = rnd.randint(120, 480)
        w.incident[u] = {"lost": lost, "estimate": int(lost * rnd.choice([1.2, 1.3, 0.75])),
                         "unit_cost": round(w.old_price[u] * share[u], 2)}
    w.owner = "Priya Raman" if sc.key != "lattice" else "Tomas Lind"
    w.due_first, w.due_moved = _day(sc, 2, 4), _day(sc, 3, 2)
    for week in range(1, WEEKS + 1):
        rows = []
        for v in sc.vendors:
            reliability = rnd.uniform(0.8, 0.97)
            quality = rnd.uniform(0.004, 0.03)
            for _ in range(rnd.randint(5, 9)):
                units = rnd.randint(80, 400)
                rows.append(Delivery(v, rnd.randrange(5), units, int(units * quality * rnd.uniform(0.5, 1.5)),
                                     rnd.random() < reliability))
        rows.sort(key=lambda d: (d.day, d.vendor, d.units))
        w.deliveries[week] = rows
    fixed_vendor = sc.vendors[1]
    late3 = [d for d in w.deliveries[3] if d.vendor == fixed_vendor and not d.on_time]
    w.late_fixed = (fixed_vendor, min(len(late3), 2))
    return w


def _traps_bite(w: World) -> bool:
    """The scorecard's worst vendor differs by rule, the corrected week-3 export changes the vendor's figure, and
    every correction moves a figure by more than the checks' tolerance."""
    weeks = range(1, 5)
    worst = {r: min(w.scorecard(weeks, r).items(), key=lambda kv: kv[1]["score"])[0] for r in (OLD_RULE, NEW_RULE)}
    fixed = w.late_fixed[1] > 0
    scores = sorted(s["score"] for s in w.scorecard(weeks).values())
    return worst[OLD_RULE] != worst[NEW_RULE] and fixed and scores[1] - scores[0] >= 1.0


def _day(sc: Scenario, week: int, weekday: int) -> str:
    import datetime as dt

    d = dt.date.fromisoformat(sc.start) + dt.timedelta(weeks=week - 1, days=weekday)
    return d.isoformat()

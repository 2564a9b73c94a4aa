"""Demand forecasts from shipment history: how long will stock last, and how much to order?

Demand per day is a moving average of shipments over a window (28 days by default), so one big
order does not dominate for long. Days of cover = on hand ÷ daily demand. A suggested order brings
stock up to `target_days` of cover plus the supplier's lead time, minus what is already on order,
rounded up to the supplier's pack size.
"""

from __future__ import annotations

import datetime as dt
import math
import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class Forecast:
    sku: str
    on_hand: int
    daily_demand: float
    days_of_cover: float | None  # None when nothing ships: stock lasts forever
    suggested_order: int


def daily_demand(conn: sqlite3.Connection, product_id: int, today: dt.date, window_days: int = 28) -> float:
    since = (today - dt.timedelta(days=window_days)).isoformat()
    shipped = conn.execute(
        "SELECT COALESCE(SUM(-delta), 0) FROM movements WHERE product_id = ? AND kind = 'shipment' "
        "AND substr(at, 1, 10) > ? AND substr(at, 1, 10) <= ?", (product_id, since, today.isoformat())).fetchone()[0]
    return shipped / window_days


def suggested_order(on_hand: int, on_order: int, demand: float, target_days: int, lead_days: int,
                    pack_size: int = 1) -> int:
    if pack_size < 1:
        raise ValueError("pack size must be at least 1")
    need = math.ceil(demand * (target_days + lead_days)) - on_hand - on_order
    if need <= 0:
        return 0
    return math.ceil(need / pack_size) * pack_size


def forecast(conn: sqlite3.Connection, today: dt.date | None = None, window_days: int = 28, target_days: int = 30,
             lead_days: int = 7, pack_sizes: dict[str, int] | None = None,
             on_order: dict[str, int] | None = None) -> list[Forecast]:
    today = today or dt.date.today()
    pack_sizes, on_order = pack_sizes or {}, on_order or {}
    rows = conn.execute("SELECT p.id, p.sku, COALESCE(SUM(s.quantity), 0) AS on_hand FROM products p "
                        "LEFT JOIN stock s ON s.product_id = p.id GROUP BY p.id ORDER BY p.sku").fetchall()
    out = []
    for pid, sku, on_hand in rows:
        demand = daily_demand(conn, pid, today, window_days)
        cover = on_hand / demand if demand > 0 else None
        order = suggested_order(on_hand, on_order.get(sku, 0), demand, target_days, lead_days,
                                pack_sizes.get(sku, 1))
        out.append(Forecast(sku, on_hand, round(demand, 3), None if cover is None else round(cover, 1), order))
    return out


def running_out(forecasts: list[Forecast], within_days: float) -> list[Forecast]:
    """Products that will run out before a reorder placed today could arrive, soonest first."""
    risky = [f for f in forecasts if f.days_of_cover is not None and f.days_of_cover < within_days]
    return sorted(risky, key=lambda f: f.days_of_cover)

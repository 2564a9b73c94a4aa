"""How the reports write a figure."""

from __future__ import annotations


def money(x: float | None) -> str:
    if x is None:
        return "null"
    if x < 0:  # a difference: the sign before the dollar
        return "-" + money(-x)
    return f"${x:.4f}" if x < 1 else f"${x:.2f}"

"""How the reports write a figure."""

from __future__ import annotations


def money(x: float | None) -> str:
    if x is None:
        return "null"
    return f"${x:.4f}" if x < 1 else f"${x:.2f}"

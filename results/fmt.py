"""How the reports write a figure."""

from __future__ import annotations


def money(x: float | None) -> str:
    if x is None:
        return "null"
    if x < 0:  # a difference: the sign before the dollar
        return "-" + money(-x)
    return f"${x:.4f}" if x < 1 else f"${x:.2f}"


def pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.0%}"


def ci(interval: list | None, fmt) -> str:
    """An interval after its figure, as the terminal and Markdown write it: " [low, high]"; "" when there is none."""
    return f" [{fmt(interval[0])}, {fmt(interval[1])}]" if interval else ""


def scored(m: dict) -> str:
    """How many samples a model's accuracy scores, of how many ran ("4/5": one was not scored, an infra error)."""
    return f"{m['n_scored']}/{m['n_samples']}"


def tamper(m: dict) -> str:
    """The share of scored samples whose verdict was forced or forged; '-' when none was scored."""
    return pct(m.get("tamper_rate"))

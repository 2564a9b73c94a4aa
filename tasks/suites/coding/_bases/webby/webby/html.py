"""HTML escaping: the one place that decides how text becomes safe markup."""

from __future__ import annotations

_TABLE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


class Markup(str):
    """Text that is already safe HTML: escape() leaves it alone."""


def escape(value) -> Markup:
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    return Markup(str(value).translate(_TABLE))

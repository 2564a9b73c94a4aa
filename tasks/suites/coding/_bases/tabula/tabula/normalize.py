"""Cleaning text before it is compared: the same customer written five ways is one customer.

Each function takes a cell's text (or None) and returns the normal form (or None); `normalize_rows`
applies them per column, so a pipeline can clean before it joins or deduplicates.

    normalize_rows(rows, {"email": "email", "name": "name", "phone": "phone"})
"""

from __future__ import annotations

import re
import unicodedata

from .errors import PipelineError

_SPACE = re.compile(r"\s+")
_COMPANY_SUFFIX = re.compile(r"[\s,]+(inc|incorporated|ltd|limited|llc|gmbh|co|corp|corporation|plc)\.?$", re.I)


def text(value: str | None) -> str | None:
    """Unicode NFKC (full-width letters, ligatures), collapsed spaces, trimmed; empty -> None."""
    if value is None:
        return None
    cleaned = _SPACE.sub(" ", unicodedata.normalize("NFKC", value)).strip()
    return cleaned or None


def name(value: str | None) -> str | None:
    """Person or company names compared without case, accents or a legal suffix."""
    cleaned = text(value)
    if cleaned is None:
        return None
    stripped = "".join(c for c in unicodedata.normalize("NFKD", cleaned) if not unicodedata.combining(c))
    while True:
        shorter = _COMPANY_SUFFIX.sub("", stripped).strip()
        if shorter == stripped:
            break
        stripped = shorter
    return stripped.casefold() or None


def email(value: str | None) -> str | None:
    """Lower-cased, trimmed; `mailto:` and angle brackets removed. The local part's case is kept by
    the standard, but almost every provider ignores it, and so does this."""
    cleaned = text(value)
    if cleaned is None:
        return None
    cleaned = cleaned.removeprefix("mailto:").strip("<>").strip().lower()
    return cleaned if re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", cleaned) else None


def phone(value: str | None, default_country: str = "1") -> str | None:
    """Digits with a leading + and country code: "(555) 010-2000" -> "+15550102000". A number that
    is too short or too long to be real becomes None rather than a wrong match."""
    cleaned = text(value)
    if cleaned is None:
        return None
    cleaned = re.split(r"\s*(?:x|ext\.?)\s*\d+$", cleaned, flags=re.I)[0]
    digits = re.sub(r"\D", "", cleaned)
    if cleaned.startswith("+"):
        number = digits
    elif cleaned.startswith("00"):
        number = digits[2:]
    else:
        number = default_country + digits.lstrip("0") if len(digits) <= 10 else digits
    return f"+{number}" if 8 <= len(number) <= 15 else None


NORMALIZERS = {"text": text, "name": name, "email": email, "phone": phone}


def normalize_rows(rows: list[dict], columns: dict[str, str]) -> list[dict]:
    unknown = {k for k in columns.values() if k not in NORMALIZERS}
    if unknown:
        raise PipelineError(f"normalize: unknown kind(s) {', '.join(sorted(unknown))} "
                            f"(known: {', '.join(NORMALIZERS)})")
    out = []
    for r in rows:
        row = dict(r)
        for column, kind in columns.items():
            if column in row:
                value = row[column]
                row[column] = NORMALIZERS[kind](None if value is None else str(value))
        out.append(row)
    return out

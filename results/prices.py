"""Price catalog and per-token API cost.

Cost = uncached input x input price + cached input x cache-read price
     + cache-write tokens x cache-write price + output x output price.
Reasoning tokens are inside output and are not billed again.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from .records import PriceEntry, Usage


class PriceFileError(ValueError):
    pass


def _read(path_or_text: Path | str, name: str) -> list[PriceEntry]:
    try:
        data = tomllib.loads(path_or_text if isinstance(path_or_text, str) else path_or_text.read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PriceFileError(f"{name}: {exc}") from exc
    out = []
    for i, row in enumerate(data.get("price", [])):
        try:
            out.append(PriceEntry.model_validate(row))
        except ValueError as exc:
            field = exc.errors()[0]["loc"][0] if hasattr(exc, "errors") else "?"
            raise PriceFileError(f"{name}: [[price]] #{i + 1}: field '{field}': {exc}") from exc
    return out


class Catalog:
    def __init__(self, entries: list[PriceEntry]):
        self._by_key: dict[tuple[str, str], PriceEntry] = {}
        for e in entries:  # later entries (user files) override earlier ones
            self._by_key[(e.provider.lower(), e.model.lower())] = e

    @classmethod
    def load(cls, extra: Path | None = None) -> Catalog:
        text = resources.files("results").joinpath("data/prices.toml").read_text()
        entries = _read(text, "results/data/prices.toml")
        if extra is not None:
            entries += _read(Path(extra), str(extra))
        return cls(entries)

    def entries(self) -> list[PriceEntry]:
        return list(self._by_key.values())

    def lookup(self, provider: str, model: str) -> PriceEntry | None:
        # Exact match only: the same model name at another host (or on your own GPUs) has another price.
        return self._by_key.get((provider.lower(), model.lower()))


def cost_usd(usage: Usage, price: PriceEntry | None) -> float | None:
    """None when the price is unknown or when some call's tokens were not reported."""
    if price is None or usage.calls_without_usage:
        return None
    # No published cache-read or cache-write price means no discount: those tokens bill as input.
    cached = price.input if price.cached_input is None else price.cached_input
    write = price.input if price.cache_write is None else price.cache_write
    return (
        usage.input_uncached * price.input
        + usage.input_cached * cached
        + usage.cache_write * write
        + usage.output * price.output
    ) / 1_000_000

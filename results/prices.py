"""Price catalog and per-token API cost.

Cost = uncached input x input price + cached input x cache-read price
     + cache-write tokens x cache-write price + output x output price.
Reasoning tokens are inside output and are not billed again.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from .records import ModelInfo, PriceEntry, Usage


class PriceFileError(ValueError):
    pass


def _read(path_or_text: Path | str, name: str) -> list[PriceEntry]:
    try:
        data = tomllib.loads(path_or_text if isinstance(path_or_text, str) else path_or_text.read_text())
    except (OSError, UnicodeError, tomllib.TOMLDecodeError) as exc:
        raise PriceFileError(f"{name}: {exc}") from exc
    unknown = sorted(set(data) - {"price"})
    if unknown:
        raise PriceFileError(f"{name}: unknown table(s) {', '.join(unknown)} (a price file holds [[price]] entries)")
    rows = data.get("price", [])
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise PriceFileError(f"{name}: 'price' must be an array of tables: [[price]]")
    out = []
    for i, row in enumerate(rows):
        try:
            out.append(PriceEntry.model_validate(row))
        except ValidationError as exc:
            e = exc.errors()[0]
            field = ".".join(map(str, e["loc"])) or "?"
            what = "unknown key" if e["type"] == "extra_forbidden" else e["msg"]
            raise PriceFileError(f"{name}: [[price]] #{i + 1} ({row.get('provider', '?')}/{row.get('model', '?')}): "
                                 f"field '{field}': {what}") from None
    return out


def price_key(kind: str, model_name: str) -> tuple[str, str]:
    """The (provider, model) a spec is priced under: built-ins under "pertask", others under their kind."""
    return {"oracle": "pertask", "null": "pertask", "local": "vllm"}.get(kind, kind), model_name


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

    def price_of(self, info: ModelInfo) -> PriceEntry | None:
        return self.lookup(*price_key(info.kind, info.model_name))

    def lookup(self, provider: str, model: str) -> PriceEntry | None:
        # Exact match only: the same model name at another host (or on your own GPUs) has another price.
        return self._by_key.get((provider.lower(), model.lower()))


def _rates(price: PriceEntry, prompt_tokens: int) -> tuple[float, float, float, float]:
    """(input, cache read, cache write, output) $/M for a call with this many prompt tokens."""
    long = price.long_context_above is not None and prompt_tokens > price.long_context_above
    inp = (price.long_input if long and price.long_input is not None else price.input)
    out = (price.long_output if long and price.long_output is not None else price.output)
    cached = price.long_cached_input if long else price.cached_input
    write = price.long_cache_write if long else price.cache_write
    # No published cache-read or cache-write price means no discount: those tokens bill as input.
    return inp, inp if cached is None else cached, inp if write is None else write, out


def cost_usd(usage: Usage, price: PriceEntry | None, batch: bool = False) -> float | None:
    """Dollars of ONE call (the long-context tier depends on that call's prompt length).

    None when the price is unknown or the call's tokens were not reported: never 0.
    """
    if price is None or usage.calls_without_usage:
        return None
    inp, cached, write, out = _rates(price, usage.input_total)
    usd = (usage.input_uncached * inp + usage.input_cached * cached + usage.cache_write * write
           + usage.output * out) / 1_000_000
    if batch:
        if price.batch_discount is None:
            return None  # a batch price that is not published is unknown, not the list price
        usd *= 1 - price.batch_discount
    return usd


def sample_usd(calls: list[dict], price: PriceEntry | None) -> float | None:
    """A sample's dollars: the sum of its calls' dollars; unknown if the price or any call's is."""
    if price is None or any(c.get("usd") is None for c in calls):
        return None
    return sum(c["usd"] for c in calls)

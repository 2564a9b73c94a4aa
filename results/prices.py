"""Price catalog and per-token API cost.

Cost = uncached input x input price + cached input x cache-read price
     + cache-write tokens x cache-write price (1-hour writes at their own) + output x output price.
Reasoning tokens are inside output and are not billed again.
"""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
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


def _utc(when: str) -> str:
    """ISO 8601 in UTC, comparable as text: '2026-05-31T15:59' and '...+00:00' alike."""
    if not when:
        return ""
    dt = datetime.fromisoformat(when.replace("Z", "+00:00"))
    return (dt.astimezone(UTC) if dt.tzinfo else dt.replace(tzinfo=UTC)).isoformat(timespec="seconds")


def in_force(entry: PriceEntry, at: str) -> bool:
    t = _utc(at)
    return (not entry.valid_from or _utc(entry.valid_from) <= t) and (not entry.valid_until or t < _utc(entry.valid_until))


class Catalog:
    def __init__(self, entries: list[PriceEntry], overrides: list[PriceEntry] = ()):
        self._by_key: dict[tuple[str, str], list[PriceEntry]] = {}
        for e in entries:
            self._by_key.setdefault((e.provider.lower(), e.model.lower()), []).append(e)
        replaced: set[tuple[str, str]] = set()
        for e in overrides:  # a user file's entries for a model replace all of the catalog's for it
            key = (e.provider.lower(), e.model.lower())
            if key not in replaced:
                self._by_key[key], replaced = [], replaced | {key}
            self._by_key[key].append(e)

    @classmethod
    def load(cls, extra: Path | None = None) -> Catalog:
        text = resources.files("results").joinpath("data/prices.toml").read_text()
        entries = _read(text, "results/data/prices.toml")
        return cls(entries, _read(Path(extra), str(extra)) if extra is not None else [])

    def entries(self) -> list[PriceEntry]:
        return [e for group in self._by_key.values() for e in group]

    def price_of(self, info: ModelInfo, at: str | None = None) -> PriceEntry | None:
        """The entry in force at `at` (default: now); sets info.price_windows when the price is dated."""
        key = (info.prices_as, info.model_name) if info.prices_as else price_key(info.kind, info.model_name)
        group = self._by_key.get((key[0].lower(), key[1].lower()), [])
        info.price_windows = group if len(group) > 1 else []
        return self.lookup(*key, at=at)

    def lookup(self, provider: str, model: str, at: str | None = None) -> PriceEntry | None:
        # Exact match only: the same model name at another host (or on your own GPUs) has another price.
        group = self._by_key.get((provider.lower(), model.lower()), [])
        return price_at(group, at)


def price_at(group: list[PriceEntry], at: str | None = None) -> PriceEntry | None:
    """Of one model's entries, the one in force at `at` (UTC ISO; default now); the last of several."""
    at = at or datetime.now(UTC).isoformat(timespec="seconds")
    live = [e for e in group if in_force(e, at)]
    return live[-1] if live else None


def call_price(info: ModelInfo, at: str | None = None) -> PriceEntry | None:
    """The price of a call made at `at` by this model: its dated entries when it has them."""
    return price_at(info.price_windows, at) if info.price_windows else info.price


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
    write_1h = 0.0
    if usage.cache_write_1h:
        if price.cache_write_1h is None:
            return None  # a 1-hour write costs more than a 5-minute one: unpublished is unknown, not cheap
        write_1h = usage.cache_write_1h * price.cache_write_1h
    usd = (usage.input_uncached * inp + usage.input_cached * cached
           + (usage.cache_write - usage.cache_write_1h) * write + write_1h + usage.output * out) / 1_000_000
    if batch:
        if price.batch_discount is None:
            return None  # a batch price that is not published is unknown, not the list price
        usd *= 1 - price.batch_discount
    return usd


def node_usd(gpus: float, gpu_hour_usd: float, seconds: float) -> float:
    """Dollars of a node's time: its GPUs at their hourly price for `seconds`. Every place that prices node time calls
    this (the run's attribution, projections onto other hardware, $/Mtok at the best throughput seen)."""
    return gpus * gpu_hour_usd * seconds / 3600


def call_usd(info: ModelInfo, usage: Usage, at: str | None = None) -> float | None:
    """Dollars of one call this model made at `at` (UTC ISO; default now): the entry in force then (dated windows),
    the tier its prompt length falls in, and the batch discount when the run was priced as a batch. Every place
    that prices a call made by a model of a run calls this; cost_usd above is the formula under it."""
    return cost_usd(usage, call_price(info, at), info.batch)


def priced(info: ModelInfo) -> bool:
    """Whether any price is known for this model (its entry now, or dated entries for some time)."""
    return info.price is not None or bool(info.price_windows)


def sample_usd(calls: list[dict], known: bool = True) -> float | None:
    """A sample's dollars: the sum of its calls' dollars; unknown if any call's is, or if it made none and its model
    has no known price (a sample that called nothing costs $0 only where a price is known at all)."""
    if any(c.get("usd") is None for c in calls) or not (calls or known):
        return None
    return sum(c["usd"] for c in calls)

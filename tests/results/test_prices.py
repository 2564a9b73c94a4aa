from __future__ import annotations

import json

import pytest

from results.prices import Catalog, PriceFileError, call_price, cost_usd
from results.records import ModelInfo, PriceEntry, Usage


def test_cost_by_hand():
    p = PriceEntry(model="m", provider="x", input=1.40, cached_input=0.26, output=4.40)
    u = Usage(input_uncached=10_000, input_cached=90_000, output=2_000, reasoning=500)
    assert cost_usd(u, p) == pytest.approx((10_000 * 1.40 + 90_000 * 0.26 + 2_000 * 4.40) / 1e6)


def test_unknown_price_or_missing_usage_is_none_not_zero():
    p = PriceEntry(model="m", provider="x", input=1.0, output=1.0)
    assert cost_usd(Usage(output=10), None) is None
    assert cost_usd(Usage(output=10, calls=2, calls_without_usage=1), p) is None


def test_no_published_cache_price_bills_as_input():
    p = PriceEntry(model="m", provider="x", input=2.0, output=0.0)
    assert cost_usd(Usage(input_cached=1_000_000, cache_write=1_000_000), p) == pytest.approx(4.0)


def test_catalog_lookup_is_exact_and_user_file_overrides(tmp_path):
    cat = Catalog.load()
    assert cat.lookup("zai", "GLM-5.2").output == 4.40
    assert cat.lookup("openai-compatible", "glm-5.2") is None, "your own server is not priced as Z.ai"
    f = tmp_path / "p.toml"
    f.write_text('[[price]]\nprovider = "zai"\nmodel = "glm-5.2"\ninput = 1\noutput = 2\n')
    assert Catalog.load(f).lookup("zai", "glm-5.2").output == 2


def test_bad_price_file_names_file_and_field(tmp_path):
    f = tmp_path / "p.toml"
    f.write_text('[[price]]\nprovider = "zai"\nmodel = "m"\noutput = 2\n')
    with pytest.raises(PriceFileError, match=r"p.toml: \[\[price\]\] #1 \(zai/m\): field 'input'"):
        Catalog.load(f)


def test_prices_command(cli):
    code, out, _ = cli("prices", "glm")
    assert code == 0 and "glm-5.2" in out and "4.400" in out


@pytest.mark.parametrize("columns", [80, 100, 120, 200])
def test_the_price_table_fits_its_width_and_never_cuts_a_number(columns, monkeypatch):
    """Piped, the table takes $COLUMNS; at 80 columns every figure is whole (gpt-5's input is 1.250, not "1.2"), the
    prices in force only by default, the other columns left to --wide with a note."""
    import subprocess

    from tests.conftest import PERTASK, ROOT, subprocess_env

    def run(*args: str) -> str:
        env = {**subprocess_env(), "COLUMNS": str(columns)}
        return subprocess.run([*PERTASK, "prices", *args], cwd=ROOT, env=env, capture_output=True, text=True).stdout

    out = run()
    assert max(len(line) for line in out.splitlines()) <= columns
    row = next(line for line in out.splitlines() if "│   gpt-5 " in line)
    cells = [c.strip() for c in row.split("│")]
    assert cells[2:4] == ["1.250", "0.125"] and "10.000" in cells, row
    assert sum(line.startswith("│   deepseek-v4-pro ") for line in out.splitlines()) == 1, "only the price in force"
    assert ("--wide" in out) == (columns < 120)
    every = run("deepseek-v4-pro", "--all")
    assert sum(line.startswith("│   deepseek-v4-pro ") for line in every.splitlines()) == 3
    assert len(json.loads(run("deepseek-v4-pro", "--json"))) == 1


GPT55 = PriceEntry(model="gpt-5.5", provider="openai", input=5.0, cached_input=0.5, output=30.0,
                   long_context_above=272_000, long_input=10.0, long_cached_input=1.0, long_output=45.0,
                   batch_discount=0.5)


def test_cache_write_is_billed_at_its_own_price():
    opus = PriceEntry(model="o", provider="anthropic", input=5.0, cached_input=0.5, cache_write=6.25, output=25.0)
    u = Usage(input_uncached=1_000, input_cached=50_000, cache_write=10_000, output=500)
    assert cost_usd(u, opus) == pytest.approx((1_000 * 5 + 50_000 * 0.5 + 10_000 * 6.25 + 500 * 25) / 1e6)


def test_long_context_tier_is_chosen_per_call_by_its_prompt_length():
    short = Usage(input_uncached=2_000, input_cached=270_000, output=1_000)  # 272,000 prompt tokens: base tier
    long = Usage(input_uncached=2_001, input_cached=270_000, output=1_000)  # 272,001: long tier for the whole call
    assert cost_usd(short, GPT55) == pytest.approx((2_000 * 5 + 270_000 * 0.5 + 1_000 * 30) / 1e6)
    assert cost_usd(long, GPT55) == pytest.approx((2_001 * 10 + 270_000 * 1.0 + 1_000 * 45) / 1e6)


def test_sample_dollars_are_the_sum_of_its_calls_not_a_price_of_summed_tokens():
    from results.prices import sample_usd

    calls = [{"usd": cost_usd(Usage(input_uncached=200_000, output=10), GPT55)},
             {"usd": cost_usd(Usage(input_uncached=100_000, input_cached=200_000, output=10), GPT55)}]
    assert sample_usd(calls) == pytest.approx((200_000 * 5 + 10 * 30 + 100_000 * 10 + 200_000 * 1 + 10 * 45) / 1e6)
    assert sample_usd(calls + [{"usd": None}]) is None
    # Priced calls sum whether or not the model has a price now (a dated entry may have ended); a sample that made no
    # call costs $0 where a price is known, and is unknown where none is.
    assert sample_usd(calls, known=False) == sample_usd(calls)
    assert sample_usd([], known=True) == 0 and sample_usd([], known=False) is None


def test_batch_discount_and_unknown_batch_price():
    u = Usage(input_uncached=10_000, output=1_000)
    assert cost_usd(u, GPT55, batch=True) == pytest.approx((10_000 * 5 + 1_000 * 30) / 1e6 * 0.5)
    no_batch = GPT55.model_copy(update={"batch_discount": None})
    assert cost_usd(u, no_batch, batch=True) is None, "an unpublished batch price is unknown, not the list price"


def test_reasoning_tokens_are_inside_output_and_not_billed_twice():
    p = PriceEntry(model="m", provider="x", input=1.0, output=10.0)
    assert cost_usd(Usage(output=1_000, reasoning=800), p) == cost_usd(Usage(output=1_000), p) == pytest.approx(0.01)


def test_catalog_has_the_comparison_models_with_dates_and_sources():
    cat = Catalog.load()
    for provider, model in [("zai", "glm-5.2"), ("zai", "glm-4.5"), ("deepseek", "deepseek-chat"), ("deepseek", "deepseek-v4-pro"),
                            ("moonshot", "kimi-k2.6"), ("openai", "gpt-5.5"), ("anthropic", "claude-opus-4-8"),
                            ("anthropic", "claude-fable-5"), ("google", "gemini-2.5-pro")]:
        e = cat.lookup(provider, model)
        assert e is not None and e.date and e.source.startswith(("http", "developer.")), (provider, model)
    # "85% cheaper than GPT-5.5" is true of the output price: 1 - 4.40/30
    assert 1 - cat.lookup("zai", "glm-5.2").output / cat.lookup("openai", "gpt-5.5").output == pytest.approx(0.8533, abs=1e-4)


def test_dated_entries_price_each_call_by_when_it_was_made():
    # DeepSeek V4 Pro: launch list, a 75% promotion, then the promotion's rate as the list price.
    cat = Catalog.load()
    assert cat.lookup("deepseek", "deepseek-v4-pro", at="2026-04-25T00:00:00Z").input == 1.74
    promo = cat.lookup("deepseek", "deepseek-v4-pro", at="2026-05-01T00:00:00+00:00")
    assert (promo.input, promo.output, promo.cached_input) == (0.435, 0.87, 0.003625) and "promotion" in promo.note
    assert "list price" in cat.lookup("deepseek", "deepseek-v4-pro").note  # now
    info = ModelInfo(spec="d", kind="deepseek", model_name="deepseek-v4-pro")
    info.price = cat.price_of(info)
    assert len(info.price_windows) == 3
    u = Usage(input_uncached=1_000_000, output=1_000_000, calls=1)
    assert cost_usd(u, call_price(info, "2026-04-25T00:00:00Z")) == pytest.approx(1.74 + 3.48)
    assert cost_usd(u, call_price(info, "2026-06-01T00:00:00Z")) == pytest.approx(0.435 + 0.87)


def test_call_usd_is_the_one_chooser_dated_windows_batch_and_tiers_together():
    from results.prices import call_usd

    cat = Catalog.load()
    info = ModelInfo(spec="d", kind="deepseek", model_name="deepseek-v4-pro")
    info.price = cat.price_of(info)
    u = Usage(input_uncached=1_000_000, output=1_000_000, calls=1)
    for at in ("2026-04-25T00:00:00Z", "2026-05-01T00:00:00+00:00", "2026-06-01T00:00:00Z"):
        assert call_usd(info, u, at) == cost_usd(u, call_price(info, at))
    assert call_usd(info, u, "2026-04-25T00:00:00Z") != call_usd(info, u, "2026-05-01T00:00:00+00:00")
    gpt = ModelInfo(spec="g", kind="openai", model_name="gpt", price=GPT55, batch=True)
    long = Usage(input_uncached=300_000, output=1_000, calls=1)
    assert call_usd(gpt, long) == pytest.approx((300_000 * 10 + 1_000 * 45) / 1e6 * 0.5)  # long tier, then batch
    assert call_usd(ModelInfo(spec="x", kind="x", model_name="x"), long) is None  # no price: null, never 0


def test_a_user_file_replaces_every_dated_entry_of_its_model(tmp_path):
    f = tmp_path / "p.toml"
    f.write_text('[[price]]\nprovider = "deepseek"\nmodel = "deepseek-v4-pro"\ninput = 9.0\noutput = 9.0\n')
    cat = Catalog.load(f)
    assert cat.lookup("deepseek", "deepseek-v4-pro", at="2026-04-25T00:00:00Z").input == 9.0
    bad = tmp_path / "bad.toml"
    bad.write_text('[[price]]\nprovider = "x"\nmodel = "y"\ninput = 1.0\noutput = 1.0\nvalid_from = "soon"\n')
    with pytest.raises(PriceFileError, match="valid_from"):
        Catalog.load(bad)

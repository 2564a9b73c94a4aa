from __future__ import annotations

import pytest

from results.prices import Catalog, PriceFileError, cost_usd
from results.records import PriceEntry, Usage


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
    with pytest.raises(PriceFileError, match=r"p.toml: \[\[price\]\] #1: field 'input'"):
        Catalog.load(f)


def test_prices_command(cli):
    code, out, _ = cli("prices", "glm")
    assert code == 0 and "glm-5.2" in out and "4.400" in out

"""Every profile's usage mapping against hand computations on bodies shaped as each provider documents
them, and the per-model settings a spec may and may not carry."""

from __future__ import annotations

import pytest

from providers.base import SpecError
from providers.profiles import profiles
from providers.registry import build_model, model_key
from providers.retry import MalformedResponse
from providers.usage import map_usage, usage_maps
from results.prices import Catalog


def fields(u) -> tuple[int, int, int, int, int]:
    return u.input_uncached, u.input_cached, u.cache_write, u.output, u.reasoning


BODIES = {
    # OpenAI Chat Completions: cached_tokens is part of prompt_tokens.
    "openai": ({"prompt_tokens": 2006, "completion_tokens": 300, "prompt_tokens_details": {"cached_tokens": 1920},
                "completion_tokens_details": {"reasoning_tokens": 128}}, (86, 1920, 0, 300, 128)),
    # DeepSeek: hit + miss = prompt; no prompt_tokens_details at all.
    "deepseek": ({"prompt_tokens": 5000, "completion_tokens": 700, "prompt_cache_hit_tokens": 4032,
                  "prompt_cache_miss_tokens": 968, "completion_tokens_details": {"reasoning_tokens": 500}},
                 (968, 4032, 0, 700, 500)),
    # Moonshot: the cached count is top-level.
    "moonshot": ({"prompt_tokens": 3000, "completion_tokens": 90, "total_tokens": 3090, "cached_tokens": 2048},
                 (952, 2048, 0, 90, 0)),
    # Responses: input_tokens includes the cached part; reasoning inside output_tokens.
    "responses": ({"input_tokens": 9000, "input_tokens_details": {"cached_tokens": 8704}, "output_tokens": 1500,
                   "output_tokens_details": {"reasoning_tokens": 1200}}, (296, 8704, 0, 1500, 1200)),
    # Anthropic: input_tokens excludes cache reads and writes.
    "anthropic": ({"input_tokens": 50, "cache_creation_input_tokens": 1200, "cache_read_input_tokens": 20000,
                   "cache_creation": {"ephemeral_5m_input_tokens": 200, "ephemeral_1h_input_tokens": 1000},
                   "output_tokens": 400}, (50, 20000, 1200, 400, 0)),
    "openrouter": ({"prompt_tokens": 1000, "completion_tokens": 10, "prompt_tokens_details": {"cached_tokens": 900},
                    "cost": 0.000123}, (100, 900, 0, 10, 0)),
}


@pytest.mark.parametrize("name", sorted(BODIES))
def test_each_mapping_matches_a_hand_computation(name):
    body, want = BODIES[name]
    u = map_usage(body, name)
    assert fields(u) == want
    if name == "anthropic":
        assert u.cache_write_1h == 1000 and u.input_total == 21250
    if name == "openrouter":
        assert u.billed_usd == 0.000123


def test_every_profile_names_a_mapping_that_exists():
    assert {p.usage for p in profiles().values()} <= set(usage_maps()) == set(BODIES)


def test_reasoning_above_output_is_counted_apart_not_clipped():
    u = map_usage({"prompt_tokens": 10, "completion_tokens": 40, "completion_tokens_details": {"reasoning_tokens": 300}})
    assert (u.output, u.reasoning) == (340, 300)


@pytest.mark.parametrize("body", [{"prompt_tokens": 10, "completion_tokens": 1, "prompt_tokens_details": {"cached_tokens": 11}},
                                  {"prompt_tokens": -1, "completion_tokens": 1}])
def test_counts_no_server_can_mean_are_malformed(body):
    with pytest.raises(MalformedResponse):
        map_usage(body)


def build(spec: str, monkeypatch):
    for p in profiles().values():
        monkeypatch.setenv(p.key_env, "k")
    return build_model(spec, Catalog.load())


def test_settings_are_typed_kept_in_the_key_and_checked_against_the_profile(monkeypatch):
    m = build("openai:gpt-5.5#reasoning_effort=xhigh,max_tokens=4000,temperature=0.5", monkeypatch)
    assert m.info.settings == {"reasoning_effort": "xhigh", "max_tokens": 4000, "temperature": 0.5}
    assert m.info.wire == "responses" and m.info.price is not None
    assert model_key("openai:gpt-5.5@http://x/v1#reasoning_effort=xhigh,client=sdk") == "openai:gpt-5.5#reasoning_effort=xhigh"
    assert build("anthropic-compat:claude-opus-4-8", monkeypatch).info.price.provider == "anthropic"
    for spec, needle in [("zai:glm-5.2#reasoning_effort=high", "takes no reasoning_effort="),
                         ("openai:gpt-5.5#reasoning_effort=extreme", "must be one of"),
                         ("anthropic:claude-opus-4-8#thinking_budget=lots", "must be a number"),
                         ("anthropic:claude-opus-4-8#cache_ttl=2h", "5m or 1h"),
                         ("anthropic:claude-opus-4-8#client=sdk", "client=direct"),
                         ("deepseek:deepseek-v4-pro#wire=responses", "pick another profile"),
                         ("oracle#temperature=0", "not served over HTTP")]:
        with pytest.raises(SpecError, match=needle):
            build(spec, monkeypatch)

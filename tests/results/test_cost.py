"""Self-hosted attribution: per-sample dollars add up to the node cost, always."""

from __future__ import annotations

import random

import pytest

from results.cost import NANO, allocate, attribute_session, gpu_seconds, token_weights
from results.prices import node_usd
from results.records import Usage


def test_property_attributed_dollars_sum_to_the_node_cost():
    rng = random.Random(42)
    for _ in range(300):
        n = rng.randint(1, 60)
        usages = {f"s{i}": Usage(input_uncached=rng.randint(0, 50_000), input_cached=rng.randint(0, 200_000),
                                 cache_write=rng.choice([0, rng.randint(0, 5_000)]), output=rng.randint(0, 8_000))
                  for i in range(n)}
        bill_from = rng.choice(["launch", "ready"])
        node = {"gpus": rng.choice([1, 2, 4, 8]), "gpu_hour_usd": round(rng.uniform(0.5, 12), 2), "bill_from": bill_from}
        # start-up (absent for an attached server), serving, idle tail (absent when nothing was stopped)
        time = {"startup_s": rng.choice([None, rng.uniform(30, 3600)]), "serving_s": rng.uniform(1, 48 * 3600),
                "tail_s": rng.choice([None, rng.uniform(0, 30)])}
        billed = [v for k, v in time.items() if v is not None and not (k == "startup_s" and bill_from == "ready")]
        node_time = sum(billed)
        cost = attribute_session(usages, node, time, None, None)
        parts = cost["per_sample_nano_usd"]
        assert set(parts) == set(usages) and all(p >= 0 for p in parts.values())
        assert sum(parts.values()) == round(node_usd(node["gpus"], node["gpu_hour_usd"], node_time) * NANO)
        assert cost["node_cost_usd"] == pytest.approx(node_usd(node["gpus"], node["gpu_hour_usd"], node_time))
        # each billed part is its own line, and the lines add up to the node cost
        assert ("startup" in cost["time_s"]) == (time["startup_s"] is not None and bill_from == "launch")
        assert sum(cost["parts_usd"].values()) == pytest.approx(cost["node_cost_usd"], abs=1e-9)


def test_allocation_follows_gpu_time_and_handles_zero_work():
    assert allocate(1.0, {"a": 3.0, "b": 1.0}) == {"a": 750_000_000, "b": 250_000_000}
    assert allocate(0.000000002, {"a": 1.0, "b": 1.0, "c": 1.0}) in ({"a": 1, "b": 1, "c": 0},)
    assert sum(allocate(10.0, {"a": 0.0, "b": 0.0}).values()) == 10 * NANO, "no tokens: an even split"


def test_weights_from_server_metrics():
    before = {"values": {"vllm:request_prefill_time_seconds_sum": 0.0, "vllm:request_decode_time_seconds_sum": 0.0,
                         "vllm:prompt_tokens_total": 0.0, "vllm:prompt_tokens_cached_total": 0.0,
                         "vllm:generation_tokens_total": 0.0}}
    after = {"values": {"vllm:request_prefill_time_seconds_sum": 2.0, "vllm:request_decode_time_seconds_sum": 10.0,
                        "vllm:prompt_tokens_total": 5000.0, "vllm:prompt_tokens_cached_total": 1000.0,
                        "vllm:generation_tokens_total": 500.0}}
    w = token_weights(before, after)
    assert w["uncached_prefill"] == pytest.approx(2.0 / 4000) and w["decode"] == pytest.approx(10.0 / 500)
    assert w["cached_prefill"] == pytest.approx(w["uncached_prefill"] * 0.1) and "metrics" in w["source"]
    # cache-write tokens were computed: they weigh as uncached prefill
    assert gpu_seconds(Usage(cache_write=100), w) == gpu_seconds(Usage(input_uncached=100), w)
    assert "no server timing" in token_weights(None, None)["source"]


def test_no_node_price_means_no_attribution():
    assert attribute_session({"a": Usage(output=1)}, {"gpus": 8}, {"serving_s": 3600}, None, None) is None

"""Presets, spec parsing and /metrics arithmetic: no server needed."""

from __future__ import annotations

import json

import pytest

from providers.base import SpecError
from providers.registry import build_model
from providers.vllm.metrics import metrics_url, parse_prometheus
from providers.vllm.presets import detect_preset, get_preset, presets
from providers.vllm.process import check_parsers
from results.prices import Catalog
from results.vllm_metrics import histogram_quantile, summarize_session


@pytest.mark.parametrize("model,preset", [
    ("zai-org/GLM-5.2-FP8", "glm-5"), ("/models/GLM-4.7", "glm-5"), ("zai-org/GLM-4.6", "glm-4.5"),
    ("Qwen/Qwen3-Coder-480B-A35B-Instruct", "qwen3-coder"), ("Qwen/Qwen3-235B-A22B-Thinking-2507", "qwen3"),
    ("deepseek-ai/DeepSeek-V3.2-Exp", "deepseek-v3.2"), ("deepseek-ai/DeepSeek-V3.1-Terminus", "deepseek-v3.1"),
    ("deepseek-ai/DeepSeek-V3-0324", "deepseek-v3"), ("moonshotai/Kimi-K2-Instruct", "kimi-k2"),
    ("openai/gpt-oss-120b", "gpt-oss"), ("MiniMaxAI/MiniMax-M2", "minimax-m2"), ("SmolLM2-135M", "generic"),
])
def test_detect_preset_by_name(model, preset):
    assert detect_preset(model).name == preset


def test_detect_preset_by_config_model_type(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "kimi_k2"}))
    assert detect_preset(str(tmp_path)).name == "kimi-k2"


def test_every_preset_caches_prefixes_and_reports_cached_tokens():
    for p in presets().values():
        flags = p.server_flags()
        assert "--enable-prefix-caching" in flags and "--enable-prompt-tokens-details" in flags
        assert ("--enable-auto-tool-choice" in flags) == bool(p.tool_call_parser)
        assert p.protocol == ("tools" if p.tool_call_parser else "text")
    glm5 = get_preset("glm-5.2")
    assert glm5.server_flags()[2:] == ["--enable-auto-tool-choice", "--tool-call-parser", "glm47",
                                       "--reasoning-parser", "glm45", "--chat-template-content-format", "string"]


def test_missing_parser_fails_clearly():
    with pytest.raises(SpecError, match="has no tool parser 'glm47'.*preset glm-5"):
        check_parsers(get_preset("glm-5"), {"version": "0.1", "tool_parsers": ["hermes"], "reasoning_parsers": []})
    with pytest.raises(SpecError, match="unknown vLLM preset 'nope'"):
        get_preset("nope")


def test_attach_spec_needs_no_server():
    m = build_model("vllm:GLM-5.2@http://10.0.0.5:8000/v1", Catalog.load())
    assert (m.info.model_name, m.info.base_url, m.info.protocol) == ("GLM-5.2", "http://10.0.0.5:8000/v1", "tools")
    assert m.model_path is None and m.preset.name == "glm-5" and m.info.price is None
    text = build_model("vllm:x@http://h:1/v1#preset=generic,port=9", Catalog.load())
    assert text.info.protocol == "text" and text.port == 9
    with pytest.raises(SpecError, match="only vLLM models take"):
        build_model("oracle#port=3", Catalog.load())


EXPOSITION = """# HELP vllm:prompt_tokens_total Number of prefill tokens processed.
# TYPE vllm:prompt_tokens_total counter
vllm:prompt_tokens_total{engine="0",model_name="m"} 700.0
vllm:prompt_tokens_total{engine="1",model_name="m"} 300.0
vllm:generation_tokens_total{engine="0",model_name="m"} 50.0
vllm:prefix_cache_queries_total{engine="0",model_name="m"} 1000.0
vllm:prefix_cache_hits_total{engine="0",model_name="m"} 250.0
vllm:time_to_first_token_seconds_bucket{engine="0",le="0.1",model_name="m"} 2.0
vllm:time_to_first_token_seconds_bucket{engine="0",le="1.0",model_name="m"} 8.0
vllm:time_to_first_token_seconds_bucket{engine="0",le="+Inf",model_name="m"} 10.0
process_cpu_seconds_total 12.0
"""


def test_parse_sums_label_sets_and_keeps_buckets():
    snap = parse_prometheus(EXPOSITION)
    assert snap["values"]["vllm:prompt_tokens_total"] == 1000.0
    assert "process_cpu_seconds_total" not in snap["values"]
    assert snap["buckets"]["vllm:time_to_first_token_seconds"] == {"0.1": 2.0, "1.0": 8.0, "+Inf": 10.0}
    assert metrics_url("http://h:8000/v1") == "http://h:8000/metrics"


def test_histogram_quantile_interpolates_within_the_bucket():
    after = {"0.1": 2.0, "1.0": 8.0, "+Inf": 10.0}
    # the 5th of 10 observations lies in (0.1, 1.0]: 3 of its 6 -> 0.1 + 0.9 * 3/6
    assert histogram_quantile(0.5, {}, after) == pytest.approx(0.55)
    assert histogram_quantile(0.5, {"0.1": 2.0, "1.0": 8.0, "+Inf": 10.0}, after) is None  # nothing new


def test_session_summary_compares_harness_and_server():
    before = {"t": 0.0, **parse_prometheus(EXPOSITION)}
    after = json.loads(json.dumps(before))
    after["t"] = 10.0
    after["values"]["vllm:prompt_tokens_total"] += 400
    after["values"]["vllm:generation_tokens_total"] += 20
    session = {"snapshots": [before, after], "harness_tokens": {"prompt": 400, "output": 21}}
    s = summarize_session(session)
    assert s["prompt_tokens_diff"] == 0 and s["generation_tokens_diff"] == 1
    assert s["prompt_tokens_per_s"] == 40.0 and s["prefix_cache_hit_rate"] is None  # no new queries

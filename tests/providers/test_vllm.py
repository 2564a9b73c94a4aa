"""Against a real vLLM server (the CPU build) with real models: the tiny random-weight MoE and
SmolLM2-135M-Instruct, both built locally from installed packages (no hub).

Each test starts its own server (about 45 s on 2 cores), so these are marked `vllm`:
`pytest -m "not vllm"` runs the rest alone; CI runs everything.
"""

from __future__ import annotations

import json

import pytest

from providers.vllm.models import smollm2, tiny_moe
from providers.vllm.presets import presets
from providers.vllm.process import check_parsers, probe_vllm
from results.fmt import money as _money
from results.store import RunStore
from tests.conftest import ROOT, load_samples, run_json
from tests.providers.test_vllm_server import listening

pytestmark = pytest.mark.vllm

SHORT = ["--max-turns", "3", "--max-tokens", "24"]


@pytest.fixture(scope="module")
def tiny() -> str:
    return str(tiny_moe())


def test_tiny_moe_tokens_match_the_server_counters(cli, tmp_path, tiny):
    out = tmp_path / "run"
    code, stdout, err = cli("run", "--suite", "smoke", "--model", f"vllm:{tiny}#preset=generic",
                            "--task", "fix-median", "--task", "meeting-actions", "--concurrency", "2", *SHORT,
                            "--gpu-type", "H200", "--gpus", "8", "--gpu-hour-usd", "3.59", "--out", out, "--json")
    assert code == 0, err
    summary = json.loads(stdout)
    # Said to be 8 x H200, served on this CPU: one warning, kept in the manifest, repeated by the report.
    assert err.count("stated hardware does not match this node") == 1 and "this node has no GPU" in err, err
    manifest = json.loads((out / "manifest.json").read_text())
    check = manifest["node"]["hardware_check"]
    # The window the built-in agent compacts within: the served max_model_len, as the server reports it.
    (info,) = manifest["models"]
    assert isinstance(info["context"], int) and info["context"] > 0 and info["compaction"] is True
    assert check["stated"] == "H200 x8" and "no GPU" in check["mismatch"]
    assert any("stated hardware does not match" in w for w in summary["warnings"])
    (m,) = summary["models"]
    assert m["n_samples"] == 2 and m["errors"]["infra"] == 0
    (srv,) = summary["servers"]
    assert srv["complete"] and srv["launched"] and srv["vllm"]
    # The harness's totals, summed from each response's usage, equal the server's own counters.
    assert srv["harness_prompt_tokens"] == srv["server_prompt_tokens"] > 0
    assert srv["harness_generation_tokens"] == srv["server_generation_tokens"] > 0
    assert srv["prompt_tokens_diff"] == 0 and srv["generation_tokens_diff"] == 0
    # Multi-turn, append-only messages: later turns hit the prefix cache.
    assert m["tokens_per_task"]["input_cached"] > 0
    assert all(s["turns"] == 3 for s in load_samples(out))
    record = json.loads(next((out / "servers").glob("*.json")).read_text())
    assert "--enable-prompt-tokens-details" in record["argv"] and record["startup_s"] > 0
    assert (out / record["log"]).stat().st_size > 0, "the server's log is kept in the run directory"
    # Self-hosted dollars: the node's cost over the session, split by GPU time, adds up exactly.
    (session,) = record["sessions"]
    cost = session["cost"]
    assert cost["node_cost_usd"] == pytest.approx(8 * 3.59 * session["node_time_s"] / 3600, abs=1e-9)
    assert "metrics" in cost["weights"]["source"] and cost["weights"]["decode"] > 0
    # The renter's bill: start-up (launch to ready), serving, and the idle tail until the server was stopped.
    t = session["node_time"]
    assert t["startup_s"] == record["startup_s"] > 0 and t["serving_s"] > 0 and t["tail_s"] >= 0
    assert session["node_time_s"] == pytest.approx(t["startup_s"] + t["serving_s"] + t["tail_s"], abs=2e-3)
    assert cost["time_s"] == {"startup": t["startup_s"], "serving": t["serving_s"], "tail": t["tail_s"]}
    assert cost["parts_usd"]["startup"] == pytest.approx(8 * 3.59 * t["startup_s"] / 3600)
    code, text, err = cli("report", out)
    assert code == 0 and f"{t['startup_s']:.1f} s start-up" in text and "billed from launch" in text, text
    raw = [json.loads(x) for x in (out / "samples.jsonl").read_text().splitlines()]
    assert len(raw) == 2 and all(r["usd"] is None and r["cost_basis"] == "gpu-hour" for r in raw), \
        "each record is written once; its dollars live with the server session and are joined when read"
    samples = [json.loads(r.to_json()) for r in RunStore(out).load_samples()]
    assert all(s["cost_basis"] == "gpu-hour" for s in samples)
    assert round(sum(s["usd"] for s in samples) * 1e9) == sum(cost["per_sample_nano_usd"].values())
    assert m["usd_per_task"] == pytest.approx(cost["node_cost_usd"] / 2)
    # Re-pricing the node needs no server: the same tokens and node time at twice the rate.
    code, _, err = cli("reprice", out, "--gpu-hour-usd", "7.18")
    assert code == 0, err
    doubled = {r.sample_id: r.usd for r in RunStore(out).load_samples()}
    for s in samples:
        assert doubled[s["sample_id"]] == pytest.approx(2 * s["usd"], abs=2e-9)
    # Billed from ready instead: the start-up leaves the bill, and the samples' dollars still add up to it.
    code, _, err = cli("reprice", out, "--bill-from", "ready")
    assert code == 0, err
    ready = json.loads(next((out / "servers").glob("*.json")).read_text())["sessions"][0]["cost"]
    assert "startup" not in ready["time_s"] and ready["node_cost_usd"] == pytest.approx(
        8 * 7.18 * (t["serving_s"] + t["tail_s"]) / 3600, abs=1e-9)
    assert round(sum(r.usd for r in RunStore(out).load_samples()) * 1e9) == sum(ready["per_sample_nano_usd"].values())
    code, _, err = cli("reprice", out, "--bill-from", "launch")
    assert code == 0, err
    # Projection: same hardware at the same price costs the same; H100 scales by the bandwidth ratio.
    code, stdout, err = cli("report", out, "--project-on", "h200x8@7.18,h100x8@2.69,mi300x-x8", "--json")
    assert code == 2 and "no sourced $/GPU-hour for mi300x" in err
    code, stdout, err = cli("report", out, "--project-on", "h200x8@7.18,h100x8@2.69", "--json")
    rows = {r["target"]: r for r in json.loads(stdout)["projections"]}
    assert rows["h200x8@7.18"]["usd_total"] == pytest.approx(rows["h200x8@7.18"]["measured_usd_total"], rel=1e-6)
    assert rows["h100x8@2.69"]["usd_total"] == pytest.approx(  # serving scaled; start-up and tail as they were
        8 * 2.69 * (t["startup_s"] + t["serving_s"] / (3.35 / 4.8) + t["tail_s"]) / 3600, rel=1e-5)
    # The model folder's weights (a few MB) fit anywhere: the fit check ran on the measured size.
    assert record["weights_gb"] > 0 and rows["h100x8@2.69"]["fit"]["fits"] is True
    assert "throughput ratio 0.6979" in rows["h100x8@2.69"]["basis"]
    port = int(record["base_url"].rsplit(":", 1)[1].split("/")[0])
    assert not listening(port), "the server is stopped when the run ends"
    # The manifest holds the model as it was called: the launched server's address, its wire and profile.
    (info,) = json.loads((out / "manifest.json").read_text())["models"]
    assert info["base_url"] == record["base_url"] and info["wire"] == "chat" and info["profile"] == "vllm/generic"


def _demo_command() -> list[str]:
    """The `pertask run …` line of the Makefile's demo target, as make runs it."""
    import shlex

    recipe = (ROOT / "Makefile").read_text().split("\ndemo:\n", 1)[1].split("\n\n", 1)[0].replace("\\\n", " ")
    line = next(x.strip() for x in recipe.splitlines() if "pertask run" in x)
    return shlex.split(line)[1:]


def test_the_demo_prints_dollars_per_task_for_local_and_labelled_projections(cli, tmp_path):
    """`make demo`'s own command (read from the Makefile), on two of its tasks: the CPU node is priced from the
    2-vCPU VM profile, so `local` has a $/task, and the same tokens are projected onto 8 x H200 and GLM-5.2."""
    smollm2()
    args = _demo_command()
    assert args[:1] == ["run"] and "--node" in args and "--project-on" in args
    out = tmp_path / "run"
    code, stdout, err = cli(*args, "--task", "meeting-actions", "--task", "fix-median", "--out", out)
    assert code in (0, 1), err
    assert "local" in stdout and "projection: the same measured tokens priced elsewhere" in stdout
    summary = run_json(cli, "report", out, "--project-on", args[args.index("--project-on") + 1])
    local = next(m for m in summary["models"] if m["model"] == "local")
    assert local["usd_per_task"] is not None and local["usd_per_task"] > 0, "the main job's headline number"
    (srv,) = summary["servers"]
    assert srv["node"]["unit"] == "VM" and "profile cpu2 on-demand (2026-06)" in srv["node"]["price_source"]
    rows = {r["target"]: r for r in summary["projections"] if r["model"] == "local"}
    assert rows["h200x8"]["usd_per_task"] > 0 and rows["h200x8"]["fit"]["fits"] is True
    assert rows["zai:glm-5.2"]["usd_per_task"] > 0 and "list price" in rows["zai:glm-5.2"]["basis"]
    assert f"{_money(local['usd_per_task'])}" in stdout
    # SmolLM2 itself answered, through the text protocol (one fenced command a turn): a sample scored, not infra.
    s = next(r for r in load_samples(out) if r["model"] == "local" and r["task_id"] == "meeting-actions")
    assert s["protocol"] == "text" and s["error"] in ("none", "limit") and s["score"] is not None
    assert s["usage"]["output"] > 0
    messages = json.loads((out / s["transcript"]).read_text())["messages"]
    assert messages[2]["role"] == "assistant" and messages[2]["content"], "SmolLM2 answered"




def test_every_preset_parser_exists_in_the_installed_vllm():
    info = probe_vllm()
    assert info["version"] and info["tool_parsers"] and info["reasoning_parsers"]
    for preset in presets().values():
        check_parsers(preset, info)  # raises, naming the missing parser, if any is gone


# Renders earlier turns' reasoning_content the way GLM-, Kimi- and Qwen3-style templates do.
REASONING_TEMPLATE = """{%- for m in messages -%}
{%- if m.role == 'assistant' -%}
<|im_start|>assistant
{% if m.reasoning_content %}<think>
{{ m.reasoning_content }}
</think>
{% endif %}{{ m.content or '' }}<|im_end|>
{% else -%}
<|im_start|>{{ m.role }}
{{ m.content }}<|im_end|>
{% endif -%}
{%- endfor -%}
{%- if add_generation_prompt %}<|im_start|>assistant
{% endif -%}"""


# One family that drops reasoning and one that sends it back, each on a real server: a server start is ~45 s
# of the suite's 30 minutes. Every preset's parser is checked against the installed vLLM
# (test_every_preset_parser_exists_in_the_installed_vllm), and each hosted family's policy on its provider
# fake (tests/providers/test_wires.py).
@pytest.mark.parametrize(("preset", "sent_back"), [("deepseek-v3", False), ("glm-4.5", True)])
def test_reasoning_goes_back_by_the_family_policy_and_the_prefix_cache_still_hits(cli, tmp_path, preset, sent_back):
    # The real server's reasoning parser splits each answer's reasoning off; the family's policy sends it
    # back (DeepSeek: only on tool-call turns, and this random model calls none) and the server's own prompt
    # count equals the template rendered with exactly that history: the reasoning is in the prompt
    # byte for byte, and the previous prompt is still read from the prefix cache.
    from transformers import AutoTokenizer

    from providers.vllm.models import tiny_moe_think

    model = tiny_moe_think()
    template = tmp_path / "template.jinja"
    template.write_text(REASONING_TEMPLATE)
    out = tmp_path / "run"
    run_json(cli, "run", "--suite", "smoke", "--task", "fix-median", "--model", f"vllm:{model}#preset={preset}",
             *SHORT, "--out", out, f"--vllm-arg=--chat-template={template}")
    (s,) = load_samples(out)
    t = json.loads((out / s["transcript"]).read_text())
    tok = AutoTokenizer.from_pretrained(model)
    prompts = []
    for c in t["calls"]:
        history = []
        for m in t["messages"][: c["message_index"]]:
            if m["role"] == "assistant":
                (part,) = m["reasoning_parts"]  # every answer's reasoning, kept in the transcript as it came
                history.append({"role": "assistant", "content": m["content"],
                                **({"reasoning_content": part["value"]} if sent_back else {})})
            else:
                history.append(m)
        text = tok.apply_chat_template(history, chat_template=REASONING_TEMPLATE, add_generation_prompt=True,
                                       tokenize=False)
        u = c["usage"]
        prompts.append(u["input_uncached"] + u["input_cached"] + u["cache_write"])
        assert prompts[-1] == len(tok(text, add_special_tokens=False)["input_ids"]), (preset, c["turn"])
        if len(prompts) > 1:  # the block-aligned previous prompt (128-token blocks on the CPU build)
            assert u["input_cached"] >= prompts[-2] // 128 * 128 > 0, (preset, c["turn"])
    assert len(prompts) == 3

"""The node a self-hosted run is billed for: profiles with dated, sourced price tiers, the stated hardware
checked against the detected, and projections that depend on the target node's size, bandwidth and memory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from results.hardware import hardware_check, hardware_profiles, node_config, parse_node
from results.prices import Catalog
from results.projection import ProjectionError, project

CPU = {"gpus": [], "gpu_count": 0, "gpu_type": None, "cpu": "AMD EPYC", "cpu_count": 2, "accelerator": "cpu"}


def _gpus(name: str, n: int) -> dict:
    return {"gpus": [{"name": name}] * n, "gpu_count": n, "gpu_type": name, "cpu": "x", "cpu_count": 64}


def test_every_profile_states_its_spec_and_each_price_its_date_and_source():
    for name, prof in hardware_profiles().items():
        assert prof["kind"] in ("gpu", "cpu") and prof["memory_gb"] > 0 and prof["bandwidth_tbs"] > 0, name
        assert prof["spec_source"], name
        for tier in ("on_demand", "spot", "committed"):
            if tier in prof:
                p = prof[tier]
                assert p["usd"] > 0 and p["date"] and p["source"], (name, tier)
                assert "range" not in p or p["range"][0] <= p["usd"] <= p["range"][1], (name, tier)
        assert prof.get("default") in (None, *(t for t in ("on_demand", "spot", "committed") if t in prof)), name


def test_a_profile_price_says_which_tier_it_is_and_the_range_beside_it():
    node = node_config("H200", 8, None)
    assert node["gpu_hour_usd"] == hardware_profiles()["h200"]["on_demand"]["usd"] and node["unit"] == "GPU"
    assert node["gpu_hour_source"].startswith("profile h200 on-demand (2026-05)")
    assert "offers $2.5-7" in node["prices"] and "spot $3.59" in node["prices"] and "committed $2.4" in node["prices"]
    assert node_config("H200", 8, 3.59)["gpu_hour_usd"] == 3.59, "a given price wins"
    assert node_config("mi300x", 8, None)["gpu_hour_usd"] is None, "no sourced price: unknown, not 0"
    assert node_config("cpu2", 1, None)["unit"] == "VM"
    assert parse_node("h200x8@3.59") == ("h200", 8, 3.59) and parse_node("cpu2") == ("cpu2", 1, None)
    with pytest.raises(ValueError, match="expected PROFILE"):
        parse_node("tpu9x4")


def test_the_stated_hardware_is_checked_against_the_detected():
    h200x8 = node_config("H200", 8, None)
    assert "this node has no GPU (CPU: AMD EPYC, 2 cores)" in hardware_check(h200x8, CPU)["mismatch"]
    assert hardware_check(h200x8, _gpus("NVIDIA H200", 8))["mismatch"] is None
    assert "8 GPUs were stated, but this node has 4" in hardware_check(h200x8, _gpus("NVIDIA H200", 4))["mismatch"]
    assert "this node has 8 x NVIDIA H100 80GB HBM3" in hardware_check(h200x8, _gpus("NVIDIA H100 80GB HBM3", 8))["mismatch"]
    assert hardware_check(node_config("cpu2", 1, None), CPU)["mismatch"] is None, "a 2-vCPU VM on 2 cores"
    assert "has 2 vCPUs; this node has 16 cores" in hardware_check(node_config("cpu2", 1, None),
                                                                   {**CPU, "cpu_count": 16})["mismatch"]
    assert "A100" in hardware_check(node_config("A100", 8, 1.5), _gpus("NVIDIA H200", 8))["mismatch"], \
        "a GPU type with no profile is compared by name"


def _run(tmp: Path, weights_gb: float | None, time_s: dict, gpus: int = 8, gpu_type: str = "H200") -> Path:
    """A run directory with one self-hosted session as ServerWatch writes it (the cost record's parts)."""
    run = tmp / "run"
    (run / "servers").mkdir(parents=True)
    cost = {"gpus": gpus, "gpu_hour_usd": 4.0, "gpu_type": gpu_type, "time_s": time_s,
            "node_time_s": sum(time_s.values()), "node_cost_usd": gpus * 4.0 * sum(time_s.values()) / 3600}
    rec = {"spec": "vllm:glm", "weights_gb": weights_gb, "sessions": [{"cost": cost, "samples": {"a": {}, "b": {}}}]}
    (run / "servers" / "glm.json").write_text(json.dumps(rec))
    return run


def test_projections_follow_the_node_size_its_bandwidth_and_its_memory(tmp_path):
    run = _run(tmp_path, 1500.0, {"startup": 600.0, "serving": 3000.0, "tail": 10.0})
    rows = {r["target"]: r for r in project(run, ["h200x8@4", "h200x16@4", "h200x12@4", "b200x12"], Catalog.load())}
    # 1,500 GB of weights + a 10% KV reserve do not fit in 90% of 8 x 141 GB: no figure, and it says so.
    assert rows["h200x8@4"]["usd_total"] is None and rows["h200x8@4"]["fit"]["fits"] is False
    assert rows["h200x8@4"]["basis"].startswith("DOES NOT FIT: weights 1,500 GB")
    # 16 GPUs: serving time halves (twice the bandwidth), start-up and tail are the same wall time at twice the GPUs.
    assert rows["h200x16@4"]["usd_total"] == pytest.approx(16 * 4 * (600 + 3000 / 2 + 10) / 3600)
    assert rows["h200x12@4"]["usd_total"] != rows["h200x16@4"]["usd_total"], "the GPU count changes the figure"
    b200 = rows["b200x12"]  # at its own profile's price and bandwidth
    assert b200["fit"]["fits"] and b200["usd_total"] == pytest.approx(
        12 * 6.03 * (600 + 3000 / (12 * 8.0 / (8 * 4.8)) + 10) / 3600)
    assert "on-demand (2026-03" in b200["basis"]


def test_ascend_is_priced_by_its_own_profile_on_its_node_size_as_a_labelled_assumption(tmp_path):
    run = _run(tmp_path, 700.0, {"startup": 600.0, "serving": 3000.0, "tail": 10.0})
    targets = ["ascend910c-x8", "ascend910c-x16", "ascend910c-x8:ratio=0.5", "ascend910c-x4"]
    rows = {r["target"]: r for r in project(run, targets, Catalog.load())}
    ratio8 = 8 * 3.2 / (8 * 4.8)
    assert rows["ascend910c-x8"]["usd_total"] == pytest.approx(8 * 3.0 * 4.0 * (600 + 3000 / ratio8 + 10) / 3600)
    assert len({rows[t]["usd_total"] for t in targets[:3]}) == 3, "node size and a measured ratio both count"
    assert "ASSUMPTION taken from the press claim" in rows["ascend910c-x8"]["basis"]
    assert rows["ascend910c-x4"]["usd_total"] is None, "700 GB + KV do not fit in 4 x 128 GB"


def test_a_projection_without_weights_says_fit_was_not_checked_and_an_unprofiled_node_needs_a_ratio(tmp_path):
    run = _run(tmp_path, None, {"serving": 100.0})
    (row,) = project(run, ["h100x8@2.69"], Catalog.load())
    assert row["fit"]["fits"] is None and "fit not checked" in row["basis"] and row["usd_total"] is not None
    other = _run(tmp_path / "o", None, {"serving": 100.0}, gpu_type="TPU v5")
    with pytest.raises(ProjectionError, match="has no profile"):
        project(other, ["h100x8"], Catalog.load())

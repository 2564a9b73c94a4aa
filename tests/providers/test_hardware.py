"""GPU detection parses nvidia-smi's CSV. The line below is what nvidia-smi printed on a real
H100 node (2026-11-22); a stand-in nvidia-smi on PATH replays it, and CPU-only machines must
report no GPU."""

from __future__ import annotations

import os
import stat

from providers.hardware import detect_hardware

H100_LINE = "NVIDIA H100 80GB HBM3, 81559, 580.159.04"


def test_gpus_from_nvidia_smi(tmp_path, monkeypatch):
    smi = tmp_path / "nvidia-smi"
    smi.write_text(f"#!/bin/sh\necho '{H100_LINE}'\necho '{H100_LINE}'\n")
    smi.chmod(smi.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    hw = detect_hardware()
    assert hw["gpu_count"] == 2 and hw["gpu_type"] == "NVIDIA H100 80GB HBM3" and hw["accelerator"] == "gpu"
    assert hw["gpus"][0] == {"name": "NVIDIA H100 80GB HBM3", "memory_mib": 81559, "driver": "580.159.04"}


def test_no_gpu_means_cpu(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no nvidia-smi anywhere
    hw = detect_hardware()
    assert hw["gpu_count"] == 0 and hw["accelerator"] == "cpu" and hw["cpu_count"] >= 1

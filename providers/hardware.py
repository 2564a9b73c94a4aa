"""What the serving node has: GPUs from nvidia-smi where present, else the CPU."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
from typing import Any


def _gpus() -> list[dict[str, Any]]:
    smi = shutil.which("nvidia-smi")
    if not smi:
        return []
    try:
        out = subprocess.run([smi, "--query-gpu=name,memory.total,driver_version", "--format=csv,noheader,nounits"],
                             capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return []
    gpus = []
    for line in out.stdout.strip().splitlines() if out.returncode == 0 else []:
        parts = [p.strip() for p in line.split(",")]
        if len(parts) >= 2:
            gpus.append({"name": parts[0], "memory_mib": int(float(parts[1])) if parts[1].replace(".", "").isdigit()
                         else None, "driver": parts[2] if len(parts) > 2 else ""})
    return gpus


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def detect_hardware() -> dict[str, Any]:
    gpus = _gpus()
    return {"gpus": gpus, "gpu_count": len(gpus), "gpu_type": gpus[0]["name"] if gpus else None,
            "cpu": _cpu_model(), "cpu_count": os.cpu_count(), "accelerator": "gpu" if gpus else "cpu"}

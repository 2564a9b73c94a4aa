"""The node a run's self-hosted models are billed for, from --node or --gpu-type/--gpus/--gpu-hour-usd: its
price (given, or a profile's dated tier), checked against this machine when pertask launches the servers
here, and a warning for each model whose dollars will be null."""

from __future__ import annotations

from typing import Any

from providers.base import Model
from providers.hardware import detect_hardware
from results.hardware import hardware_check, node_config, parse_node

from .console import UsageError, err


def run_node(a: Any, models: list[Model]) -> dict[str, Any]:
    if a.node:
        if a.gpu_type or a.gpus:
            raise UsageError("--node gives the type and count: leave out --gpu-type and --gpus")
        a.gpu_type, a.gpus, usd = parse_node(a.node)
        a.gpu_hour_usd = a.gpu_hour_usd if a.gpu_hour_usd is not None else usd
    node = {**node_config(a.gpu_type, a.gpus, a.gpu_hour_usd), "bill_from": a.bill_from}
    if node.get("gpu_type") and any(m.launches for m in models):  # its servers run here: check what was said
        node["hardware_check"] = check = hardware_check(node, detect_hardware())
        if check["mismatch"]:  # once, here; the manifest keeps it and the report repeats it
            err.print(f"warning: stated hardware does not match this node: {check['mismatch']}; dollars are "
                      "priced as stated (recorded in the manifest)", style="yellow", highlight=False)
    for m in models:
        served = m.info.kind in ("local", "vllm")
        priced = bool((node.get("gpus") or m.serving_gpus()) and node.get("gpu_hour_usd") is not None)
        if (served and not priced) or (not served and m.info.price is None):
            why = ("self-hosted: it is priced by the hour of its node; give --node (e.g. h200x8, cpu2) or --gpus and "
                   "--gpu-hour-usd" if served else "no price known")
            err.print(f"warning: {m.info.spec}: {why}; its dollars will be null, not 0", style="yellow",
                      highlight=False)
    return node

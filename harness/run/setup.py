"""What a run settles before its first sample, each a one-line error when it cannot: the node its self-hosted models
are billed for, where each task runs (the sandbox, the images), whether the external agent suits the models, and a
preflight call per model. Warnings go to `warn`: said once, here; the manifest keeps what they were about."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from harness.agents.base import Agent
from harness.agents.external import parse_agent
from harness.sandboxes import backend_class, choose_backend, engines
from harness.sandboxes.images import Image
from harness.sandboxes.per_task import prepare_images
from providers.base import Model
from providers.hardware import detect_hardware
from providers.registry import build_model
from results.hardware import hardware_check, node_config, parse_node
from results.prices import Catalog, call_usd, priced
from results.records import now_iso
from results.store import RunStore, sample_id
from tasks import Task

from .plan import RunError

Say = Callable[[str], None]


def run_node(node: str | None, gpu_type: str | None, gpus: int | None, gpu_hour_usd: float | None,
             bill_from: str | None, models: list[Model], warn: Say) -> dict[str, Any]:
    """The node from --node or --gpu-type/--gpus/--gpu-hour-usd: its price (given, or a profile's dated tier), checked
    against this machine when pertask launches the servers here; a warning for each model whose dollars will be null."""
    if node:
        if gpu_type or gpus:
            raise RunError("--node gives the type and count: leave out --gpu-type and --gpus")
        gpu_type, gpus, usd = parse_node(node)
        gpu_hour_usd = gpu_hour_usd if gpu_hour_usd is not None else usd
    config = {**node_config(gpu_type, gpus, gpu_hour_usd), "bill_from": bill_from}
    if config.get("gpu_type") and any(m.launches for m in models):  # its servers run here: check what was said
        config["hardware_check"] = check = hardware_check(config, detect_hardware())
        if check["mismatch"]:
            warn(f"stated hardware does not match this node: {check['mismatch']}; dollars are priced as stated "
                 "(recorded in the manifest)")
    for m in models:
        priced = bool((config.get("gpus") or m.serving_gpus()) and config.get("gpu_hour_usd") is not None)
        if (m.info.self_hosted and not priced) or (not m.info.self_hosted and m.info.price is None):
            why = ("self-hosted: it is priced by the hour of its node; give --node (e.g. h200x8, cpu2) or --gpus and "
                   "--gpu-hour-usd" if m.info.self_hosted else "no price known")
            warn(f"{m.info.spec}: {why}; its dollars will be null, not 0")
    return config


def judge(spec: str, catalog: Catalog, warn: Say) -> Model:
    """--judge: a model like the others, its dollars kept apart from theirs."""
    model = build_model(spec, catalog)
    if not priced(model.info):
        warn(f"judge {spec}: no price known; judge dollars will be null")
    return model


def sandboxes(tasks: list[Task], asked: str | None, subs: dict[str, str], warn: Say,
              note: Say) -> tuple[str, dict[str, Image]]:
    """--sandbox (or this machine's default) and the images of the tasks that run in containers, built now."""
    sandbox = choose_backend(asked)
    images = prepare_images(tasks, asked, subs, note)
    if images and not engines.root_mapped():
        warn(f"{engines.engine().name}: a container's root is the host's root (its capabilities dropped): start "
             "dockerd with --userns-remap=default to map it to an unprivileged user")
    if lacking := missing_stack([t for t in tasks if t.id not in images]):
        warn(f"the task prompts promise tools this machine's sandbox lacks: {', '.join(lacking)} (a deliverable that "
             "needs them will be missing; scripts/setup.sh documents installs them)")
    if not backend_class(sandbox).isolated and any(t.id not in images for t in tasks):
        why = f"--sandbox {sandbox}" if asked else "bubblewrap is not installed"
        warn(f"{why}: model-written commands run WITHOUT isolation (network, whole filesystem)"
             + ("" if asked else "; install it with apt-get install bubblewrap"))
    return sandbox, images


def missing_stack(tasks: list[Task]) -> list[str]:
    """Of the tools the tasks' prompts promise (Task.stack), those the host sandboxes cannot offer: a module pertask's
    interpreter (every sandbox's python3) cannot import, a command not on the sandbox's PATH."""
    import importlib.util
    import shutil

    from harness.sandboxes.local import PATH
    wanted = dict.fromkeys(item for t in tasks for item in t.stack)
    return [item.split(":", 1)[1] for item in wanted
            if (item.startswith("python:") and importlib.util.find_spec(item[7:]) is None)
            or (item.startswith("command:") and shutil.which(item[8:], path=PATH) is None)]


def agent(spec: str | None, models: list[Model], images: dict[str, Image], note: Say) -> Agent:
    """--agent: checked against every model under test (before anything is installed), then installed."""
    chosen = parse_agent(spec)
    if unsuitable := [why for m in models if (why := chosen.unsuitable(m))]:
        raise RunError(f"--agent {spec}: {unsuitable[0]}")
    if images and (why := chosen.container_problem()):
        raise RunError(f"--agent {spec}: {why}")
    chosen.prepare(note)
    return chosen


async def preflight(models: list[Model], store: RunStore) -> None:
    """One small request per model over HTTP, all at once, before any sample: a wrong key, model name or endpoint
    stops the run in seconds with one line, instead of a run of retries. The calls are paid for and go to the ledger."""
    checked = [m for m in models if m.over_http]
    results = await asyncio.gather(*(m.preflight() for m in checked))
    for m, res in zip(checked, results, strict=True):
        if res.output is not None:
            store.append_call({"sample_id": sample_id(m.info.spec, "_preflight", 0), "preflight": True, "turn": 0,
                               "usage": res.output.usage.model_dump(), "raw_usage": res.output.raw_usage,
                               "usd": call_usd(m.info, res.output.usage), "at": now_iso()})
    if problems := [r.problem for r in results if r.problem]:
        raise RunError("preflight: " + "; ".join(problems) + " (no sample was run; --no-preflight skips the check)")

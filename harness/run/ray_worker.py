"""What a Ray worker runs for one sample (harness/run/ray_executor.py): the same run_sample as the local executor,
in a scratch run directory of the worker's own, its model reached through the coordinator's proxy with the
sample's key. What it returns (the record and the transcript) is all the coordinator keeps; the scratch
directory goes."""

from __future__ import annotations

import asyncio
import json
import platform
import shutil
import tempfile
from pathlib import Path
from typing import Any


def _images_here(job: dict[str, Any]) -> None:
    """The task's image on this node: the coordinator's tag, built here the first time (the same Dockerfile, digest and
    substitutions give the same tag), then found in this node's engine store."""
    from harness.sandboxes.images import image_id
    from harness.sandboxes.per_task import prepare_images

    env = job["task"].host_env  # SWE-bench on the host: the repository's environment, built here if this node lacks it
    if env is not None and (env.home is None or not (env.home / ".built").is_file()):
        from tasks.swebench_env import build

        build(env)
    image = job["images"].get(job["task"].id)
    if image is not None and image_id(image.name) is None:
        from harness.sandboxes.bases import Substitutions

        prepare_images([job["task"]], job["sandbox"], Substitutions(job["substitutions"]))


def run_job(job: dict[str, Any]) -> dict[str, Any]:
    return asyncio.run(_run(job))


async def _run(job: dict[str, Any]) -> dict[str, Any]:
    from providers.client import HTTPModel
    from results.store import RunStore

    from .budget import Slot
    from .plan import RunContext, RunPlan
    from .sample import run_sample

    _images_here(job)  # before anything needs closing: a build that fails here is the node's trouble
    if job["key"] is None:  # the oracle or null: nothing to call
        from providers.registry import build_model
        from results.prices import Catalog

        model = build_model(job["info"].spec, Catalog.load())
    else:
        info = job["info"].model_copy(update={"base_url": job["proxy"], "replicas": []})
        model = HTTPModel(info, api_key=job["key"], profile=job["profile"])
    # The judges, through the coordinator's proxy too: their calls are metered there (the ledger written here goes).
    judges = [HTTPModel(info.model_copy(update={"base_url": job["proxy"], "replicas": []}), api_key=key, profile=profile)
              for info, profile, key in job["judges"]]
    root = Path(tempfile.mkdtemp(prefix="pertask-ray-"))
    try:
        store = RunStore(root)
        store.create()
        scratch = root / "workspaces"
        scratch.mkdir()
        plan = RunPlan(job["suite"], [job["task"]], [model], root, sampling=job["sampling"],
                       max_turns=job["max_turns"], sandbox=job["sandbox"], images=job["images"], judges=judges,
                       panel=job["panel"], **({"agent": job["agent"]} if job["agent"] else {}))
        slot = Slot(asyncio.Semaphore(1))
        async with slot:
            ctx = RunContext(store, scratch, job["hidden"], job["session_id"])
            rec = await run_sample(model, job["task"], job["epoch"], plan, ctx, slot)
        transcript = json.loads((root / rec.transcript).read_text())
        import ray

        rec.node = f"{platform.node()}/{ray.get_runtime_context().get_node_id()[:12]}"  # the Ray node it ran on
        rec.executor = "ray"
        return {"record": rec.to_json(), "transcript": transcript}
    finally:
        for m in [model, *judges, *([job["agent"]] if job["agent"] else [])]:
            await m.aclose()
        shutil.rmtree(root, ignore_errors=True)

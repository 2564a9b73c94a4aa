"""Executors: where a sample's agent and grading run. The coordinator (harness/run/coordinator.py) alone owns the run
directory, its lock, the budget, resume and the report; an executor runs one admitted sample and hands its
record back.

    local   in this process, on this machine (the default)
    ray     as a Ray task on a node of a Ray cluster (harness/run/ray_executor.py; `pip install 'pertask[ray]'`)

Looked up by name, imported only when chosen.
"""

from __future__ import annotations

import importlib
from typing import Any

from providers.base import SpecError

from .plan import Executor
from .sample import run_sample

EXECUTORS = {"local": "harness.run.executors:LocalExecutor", "ray": "harness.run.ray_executor:RayExecutor"}


class LocalExecutor:
    name = "local"

    def unsuitable(self, plan: Any) -> str:
        return ""

    async def start(self, plan: Any, store: Any, session_id: str) -> None:
        return None

    async def run_sample(self, model, task, epoch, plan, ctx, slot):
        return await run_sample(model, task, epoch, plan, ctx, slot)

    async def close(self) -> None:
        return None

    def describe(self) -> dict[str, Any]:
        return {"name": "local"}


def make_executor(name: str, address: str | None = None) -> Executor:
    if name not in EXECUTORS:
        raise SpecError(f"unknown executor '{name}' (valid: {', '.join(EXECUTORS)})")
    module, _, cls = EXECUTORS[name].partition(":")
    try:
        kind = getattr(importlib.import_module(module), cls)
    except ImportError as exc:
        raise SpecError(f"--executor {name}: {exc} (pip install 'pertask[{name}]')") from None
    return kind(address) if name == "ray" else kind()

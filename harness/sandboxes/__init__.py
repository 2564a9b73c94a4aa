"""Where a sample's commands run: the Sandbox contract (base.py), its backends looked up by name in SANDBOXES and
imported on use, and what they share (limits, output, quotas, overlays, images, the grading copy).

A new backend is one file with a class that meets the contract, and one line in SANDBOXES."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING

from .base import Sandbox, SandboxError

if TYPE_CHECKING:
    from tasks import Task

    from .images import Image
    from .limits import ResourceLimits

# name -> "module:Class". In the order a default is chosen: the first that isolates, runs pertask's own tasks and
# is available here; else the first available.
SANDBOXES: dict[str, str] = {
    "bwrap": "harness.sandboxes.bwrap:BwrapSandbox",
    "container": "harness.sandboxes.container:ContainerSandbox",
    "none": "harness.sandboxes.none:PlainSandbox",
}

__all__ = ["SANDBOXES", "Sandbox", "SandboxError", "backend_class", "default_backend", "make_sandbox"]


def backend_class(name: str) -> type[Sandbox]:
    if name not in SANDBOXES:
        raise SandboxError(f"unknown sandbox '{name}' (valid: {', '.join(SANDBOXES)})")
    module, _, cls = SANDBOXES[name].partition(":")
    return getattr(importlib.import_module(module), cls)


def default_backend() -> str:
    backends = [backend_class(n) for n in SANDBOXES]
    fits = [b for b in backends if b.available() and not b.runs_images]
    return next((b.name for b in fits if b.isolated), fits[0].name if fits else "none")


def backend_for(name: str, image: Image | None) -> type[Sandbox]:
    """The backend a task runs in under --sandbox `name`: a task with an image runs where images run."""
    cls = backend_class(name)
    if image is None or cls.runs_images:
        return cls
    return next(b for b in map(backend_class, SANDBOXES) if b.runs_images)


def make_sandbox(task: Task, root: Path, hidden: list[Path], backend: str, image: Image | None,
                 limits: ResourceLimits | None = None, agent: Path | None = None) -> Sandbox:
    return backend_for(backend, image).create(task, root, hidden, image, limits, agent)


def choose_backend(asked: str | None) -> str:
    """--sandbox `asked`, or this machine's default; a backend this machine lacks stops the run with what it needs."""
    name = asked or default_backend()
    cls = backend_class(name)
    if not cls.available():
        raise SandboxError(f"--sandbox {name} needs {cls.needs}")
    return name

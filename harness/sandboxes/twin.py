"""A Harbor verifier beside what the agent left running: the twin container.

Harbor leaves the agent's processes running while its verifier runs (a reference solution may start a web server
or a package index that the tests then query), in the same container. There, a process the agent left could also
rewrite the verifier's reward file. pertask keeps the processes and moves the verifier instead:

- the twin is a container of its own: its own writable layer on top of the agent's container's files (podman: an
  overlay on that container's root, `--rootfs PATH:O`; docker: a container of the image `persist` committed), its own
  /tests and /logs (copied in, and out, as always), its own processes and its own network namespace;
- each TCP port something listens on in the agent's container when grading starts is relayed onto the twin's
  loopback (two relays through a Unix socket on the host, each joined to one namespace: harness/sandboxes/relay.py),
  so the tests reach the services there as they would on the same loopback;
- nothing in the agent's container can see the twin's files, processes or ports: the reward is read where none of
  its processes can write, and no port of the twin's (the verifier's package proxy among them) can be taken first.

At most MAX_PORTS ports are relayed (the lowest): an agent that leaves thousands listening would otherwise have the host
start two processes for each. What is not carried over: UDP, Unix sockets and abstract sockets of the agent's services, and ports opened after
grading starts. The relays join namespaces with nsenter, so this takes pertask run as root; without root the
sandbox kills what the agent left running before its verifier starts instead (ContainerSandbox.__init__).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import tempfile
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import engines

MAX_PORTS = 16

if TYPE_CHECKING:
    from .output import CommandResult


async def in_twin(box: Any, command: str, *, timeout_s: float, binds: list[Path] | None,
                  env: dict[str, str] | None, mounts: dict[str, Path], index: set[str] | None) -> CommandResult:
    """The verifier's command in a twin of `box` (a ContainerSandbox: its own class makes the twin), removed after."""
    twin = type(box)(box.root / f"twin-{uuid.uuid4().hex[:8]}", box.saved, box.workdir, box.limits, cpus=box.cpus,
                     memory_mb=box.memory_mb)
    if engines.engine().twin_overlay:
        cfg = json.loads(await asyncio.to_thread(box.inspect, "{{json .Config}}"))
        path = (await asyncio.to_thread(box._podman, "mount", box.container)).stdout.decode().strip()
        twin.overlay_on = (path, cfg.get("Env") or [], cfg.get("User") or "")
    try:
        await asyncio.to_thread(twin._start, box.saved)
        async with contextlib.AsyncExitStack() as stack:
            bridge = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="pertask-br-")))
            ports = await asyncio.to_thread(box.listening)
            for port in ports[:MAX_PORTS]:
                await stack.enter_async_context(box.relayed(bridge / f"{port}.sock", port, to_port=True))
                await stack.enter_async_context(twin.relayed(bridge / f"{port}.sock", port))
            res = await twin.run(command, timeout_s=timeout_s, binds=binds, env=env, mounts=mounts, index=index)
            if len(ports) > MAX_PORTS:
                res.output += (f"\n[pertask: {len(ports)} ports were listening in the agent's container; the verifier "
                               f"reached the lowest {MAX_PORTS}: {', '.join(map(str, ports[:MAX_PORTS]))}]")
            return res
    finally:
        await twin.destroy()

"""The container sandbox: a sample's commands run in a podman container of its task's own image
(harness/sandboxes/images.py), as Harbor runs Terminal-Bench tasks, with pertask's command server inside it
(harness/sandboxes/command_server.py, started once per sample with the image's own python3: a command costs a
fork and an exec in the container, not a `podman exec`).

What the container gets: no network unless the task allows it, root's file and process capabilities
only (no mount, raw socket, device or chroot), no new privileges, its root mapped to an unprivileged
range of host ids, no host mount at all (the tests, the solution and
the logs are copied in and out), a process cap, and the task's CPUs and memory. Its environment is
the image's (ENV, WORKDIR, HOME): nothing of pertask's, so no key reaches it.

The verifier runs as Harbor runs it: after the agent, on the container as the agent left it, its files copied to
/tests just then, a fresh /logs, the verdict copied out to the host and read there. What the agent left running
keeps running, as in Harbor (a task may say `[pertask] verifier_needs_processes = false` to have it killed); the
verifier then runs in a twin container that reaches only the ports the agent's processes listen on (see `run`), so
none of them can write the reward. With `index`, the verifier reaches the package indexes through pertask's proxy.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import engines, overlay, quota
from .base import SandboxError
from .container_life import AGENT_DIR, EngineContainer
from .grading_copy import Graded, copy_workspace
from .images import engine_cli
from .limits import ResourceLimits
from .output import READ_LIMIT, CommandResult, command_result
from .session import SERVER, Session, SessionError
from .twin import in_twin

if TYPE_CHECKING:
    from tasks import Task

    from .images import Image



class ContainerSandbox(EngineContainer):
    name = "container"
    isolated = True
    runs_images = True
    traces_reads = False
    needs = "podman (apt-get install podman runc)"
    # The verifier's relay joins the container's network namespace with nsenter, which takes root.
    verifier_index = os.geteuid() == 0

    @classmethod
    def available(cls) -> bool:
        return engines.available()

    @classmethod
    def workspaces(cls, keep: bool) -> str:
        return "copy"

    @classmethod
    def create(cls, task: Task, root: Path, hidden: list[Path], image: Image | None, limits: ResourceLimits | None,
               agent: Path | None) -> ContainerSandbox:
        if image is None:
            raise SandboxError(f"task {task.id} brings no container image")
        env = task.environment
        return cls(root, image.name, task.workdir, limits, network=env.network, cpus=env.cpus, memory_mb=env.memory_mb,
                   keep_processes=env.keep_processes, agent=agent)

    def __init__(self, root: Path, image: str, workdir: str | None, limits: ResourceLimits | None = None, *,
                 network: bool = False, cpus: float | None = None, memory_mb: int | None = None,
                 keep_processes: bool = False, agent: Path | None = None):
        self.root = root
        self.agent = agent  # an external agent's installation on the host: bound read-only at AGENT_DIR
        self.workspace = root / "ws"  # the working directory as copied out after the agent (see persist)
        self.tmp = root / "tmp"
        self.image, self.workdir = image, workdir or "/app"
        self.limits = limits or ResourceLimits()
        self.network, self.cpus, self.memory_mb = network, cpus, memory_mb
        # Kept only where the verifier can run in a twin (its relays take root): else they die before it, as before.
        self.keep_processes = keep_processes and self.verifier_index
        self.container = f"pertask-{uuid.uuid4().hex[:16]}"
        self.files = overlay.DirView(self.workspace)
        self.session: Session | None = None
        self.started = False
        self.python: bool | None = None  # whether the image has a python3 for the command server
        self.upper: Path | None = None  # the container's writable layer on the host (its disk quota is measured there)
        self.saved: str | None = None  # the image `persist` made of it after the agent's phase

    # -- the container's life ---------------------------------------------------------------------
    def prepare(self, source: Path, copies: list[tuple[Path, str]] | None = None,
                checkout: tuple[Path, str] | None = None, cow: bool = True, solution: Path | None = None) -> None:
        """The container of the task's image: its build already holds the environment's files. The oracle
        gets the task's solution/ at /solution, as Harbor's oracle agent does."""
        self._start(self.image)
        if solution is not None:
            self.upload(solution, "/solution")
        self.tmp.mkdir(parents=True, exist_ok=True)

    def persist(self, dest: Path) -> None:
        """The whole container saved as an image (files outside the working directory included), so a
        resumed run grades it without calling the model again; its working directory copied out too."""
        dest.mkdir(parents=True)
        tag = f"localhost/pertask-sample/{self.container}:agent"
        self._podman("commit", *engines.engine().commit_args, self.container, tag, timeout=600)
        self.saved = tag
        (dest / "container.json").write_text(json.dumps({"image": tag, "workdir": self.workdir}))
        # Saved beside it, so --keep-workspaces keeps it and a judge reads it; the scratch root is deleted.
        self.workspace = dest / "ws"
        self.files = overlay.DirView(self.workspace)
        self.download(self.workdir, self.workspace)

    def restore(self, saved: Path, source: Path, copies: list[tuple[Path, str]] | None) -> None:
        try:
            image = json.loads((saved / "container.json").read_text())["image"]
        except (OSError, ValueError, KeyError) as exc:
            raise SandboxError(f"the saved container of this sample is unreadable: {exc}") from None
        self._start(image)
        self.tmp.mkdir(parents=True, exist_ok=True)

    def for_grading(self, dest: Path) -> Graded:
        """The environment is the deliverable: the verifier runs in this container, as the benchmark's authors run it,
        its verdict copied out and read on the host. The judge reads a capped copy of the working directory."""
        if not self.workspace.is_dir():  # a regrade after a resume: the working directory as the container has it
            self.download(self.workdir, self.workspace)
        return Graded(self, dest / "ws", copy_workspace(self.files.entries(), dest / "ws", self.workdir))

    # -- commands ----------------------------------------------------------------------------------
    def to_workspace(self, path: str) -> str:
        return path  # the server resolves it: relative to the working directory, absolute anywhere

    def _session(self) -> Session:
        if self.session is None:
            argv = [*engine_cli(), "exec", "-i", "--workdir", self.workdir, self.container,
                    "python3", "-I", "-S", "-c", SERVER.read_text()]
            self.session = Session(None, self.root, None, argv=argv, env=engines.client_env())
        return self.session

    async def run(self, command: str, *, timeout_s: float, binds: list[Path] | None = None,
                  env: dict[str, str] | None = None, mounts: dict[str, Path] | None = None,
                  ro_binds: list[Path] | None = None, fresh: bool = False,
                  index: set[str] | None = None) -> CommandResult:
        """An agent's command in the sample's session; a verifier's (with `mounts`: /tests, /logs) in a
        fresh exec of its own, the folders copied in before and /logs copied out after. `fresh`: in a new
        container of the task's image instead (SWE-bench grades the agent's patch there), removed after.
        `index`: with pertask's proxy to the package indexes and these hosts (harness/sandboxes/index_proxy.py).

        Where the agent's processes were kept (Harbor's way: the verifier may query what the agent started), the
        verifier runs in a twin (harness/sandboxes/twin.py): a container of its own on this one's files, to whose
        loopback each TCP port listening here is relayed; the reward is read where no process of the agent's can
        write, and no port of the twin's (the proxy's among them) can be taken by them."""
        if mounts and self.keep_processes and self.saved:  # kept only where a twin can be made (__init__)
            return await in_twin(self, command, timeout_s=timeout_s, binds=binds, env=env, mounts=mounts,
                                 index=index)
        if index is not None and mounts:
            async with self.indexed(index) as (proxy, proxy_env):
                res = await self.run(command, timeout_s=timeout_s, binds=binds, env={**(env or {}), **proxy_env},
                                     mounts=mounts)
            if proxy.denied:
                res.output += f"\n[pertask's verifier proxy refused: {', '.join(sorted(proxy.denied))}]"
            return res
        if fresh:
            box = ContainerSandbox(self.root / f"fresh-{uuid.uuid4().hex[:8]}", self.image, self.workdir, self.limits,
                                   cpus=self.cpus, memory_mb=self.memory_mb, keep_processes=True)
            try:
                await asyncio.to_thread(box._start, self.image)
                return await box.run(command, timeout_s=timeout_s, binds=binds, env=env, mounts=mounts)
            finally:
                await box.destroy()
        # A grader's host folders (bubblewrap binds them) that its command names are copied in at their own paths,
        # the writable ones back out after: it reads and writes where it would on the host. One that reaches its
        # folders through `mounts` (Harbor's verifier, at /tests) names none, and nothing is copied twice.
        own = {str(p): p for p in [*(ro_binds or []), *(binds or [])] if str(p) in command}
        if not mounts and not own and not env and self._has_python():
            return await self._session_run(command, timeout_s)
        await self.end_session()
        for target, src in own.items():
            await asyncio.to_thread(self.upload, src, target)
        for target, src in (mounts or {}).items():
            if target == "/logs":
                self._podman("exec", self.container, "sh", "-c", "rm -rf /logs && mkdir -p /logs/verifier /logs/agent")
            else:
                await asyncio.to_thread(self.upload, src, target)
        res, over = await self._watched(self._exec(command, timeout_s, env or {}, verifier=bool(mounts)), self.kill_all,
                                        on_top=True)
        res = res or CommandResult(-1, "")
        if over:
            res.output += quota.message(over, self.limits.disk_bytes)
        if mounts and "/logs" in mounts:
            await asyncio.to_thread(self.download, "/logs", mounts["/logs"])
        for b in binds or []:
            if str(b) in own:
                await asyncio.to_thread(self.download, str(b), b)
        return res

    async def _watched(self, work, kill, on_top: bool = False) -> tuple[Any, int]:
        """`on_top`: the quota counts from what is there now (a verifier's writes, after the agent's)."""
        if self.upper is None:
            return await work, 0
        base = await asyncio.to_thread(quota.usage, [self.upper]) if on_top else 0
        return await quota.watched(work, [self.upper], self.limits.disk_bytes + base, kill)

    async def _session_run(self, command: str, timeout_s: float) -> CommandResult:
        session = self._session()
        try:
            reply, over = await self._watched(session.request(
                {"op": "run", "command": command, "timeout": timeout_s, "read_limit": READ_LIMIT,
                 "output_limit": self.limits.output_bytes, "gate": False, "reap": not self.keep_processes}, timeout_s),
                session.kill)
        except SessionError as exc:
            return CommandResult(-1, f"[the sandbox stopped: {exc}; the next command starts a new one]")
        res = CommandResult(-1, "") if reply is None else command_result(
            reply[1], reply[0]["size"], reply[0]["exit"], reply[0]["timed_out"], reply[0]["flooded"], timeout_s,
            self.limits)
        if over:
            await asyncio.to_thread(self.kill_all)  # the command's children too (the server's session is gone)
            res.output += quota.message(over, self.limits.disk_bytes)
            res.exit_code = res.exit_code or 1
        return res

    def agent_path(self, host: Path) -> Path:
        return AGENT_DIR / host.relative_to(self.agent) if self.agent else host  # bound there, read-only

    async def launch_agent(self, command: str, *, instruction: str, env: dict[str, str], sock: Path, port: int,
                           timeout_s: float, mounts: list[Path], log: str | None) -> CommandResult:
        """The relay on the host in the container's network namespace only (nsenter): the container gets no host
        folder and keeps nothing but its loopback. The instruction copied in, the agent run by the engine's exec
        with the sample's environment, its log copied out."""
        (self.tmp / "instruction.md").write_text(instruction)
        await asyncio.to_thread(self.copy_in, self.tmp / "instruction.md", "/tmp/instruction.md")
        async with self.relayed(sock, port):
            res = await self.run(command, timeout_s=timeout_s, env=env)
        if log:
            await asyncio.to_thread(self.copy_out, f"/tmp/{log}", self.tmp / log)
        return res

    async def read_text(self, rel: str, errors: str = "replace") -> str | None:
        h, data = await self._file_op({"op": "read", "path": rel, "anywhere": True})
        return None if h.get("missing") else data.decode("utf-8", errors)

    async def write_text(self, rel: str, text: str) -> None:
        await self._file_op({"op": "write", "path": rel, "text": text, "anywhere": True})

    async def _file_op(self, req: dict) -> tuple[dict, bytes]:
        if not self._has_python():
            raise OSError("this image has no python3: use shell commands to read and write files")
        h, data = await self._session().request(req, 30)
        if "error" in h:
            raise OSError(h["error"])
        return h, data

    async def end_session(self) -> None:
        if self.session is not None:
            await self.session.close()
            self.session = None

    async def close(self) -> None:
        """The agent's phase is over: its session ends, and what it left running dies unless kept."""
        await self.end_session()
        if not self.keep_processes:
            await asyncio.to_thread(self.kill_all)

    def opened(self) -> set[str] | None:
        return None

    async def destroy(self) -> None:
        await self.end_session()
        if self.started:
            await asyncio.to_thread(subprocess.run, [*engine_cli(), "rm", *engines.engine().rm_args, self.container],
                                    capture_output=True, cwd=self.here())
            self.started = False


    @staticmethod
    def forget(saved: Path) -> None:
        """Remove the image `persist` committed for a sample that is now recorded."""
        try:
            image = json.loads((saved / "container.json").read_text())["image"]
        except (OSError, ValueError, KeyError):
            return
        subprocess.run([*engine_cli(), "rmi", "--force", image], capture_output=True)

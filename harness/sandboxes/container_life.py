"""A container of the engine (podman or docker, harness/sandboxes/engines.py) for one sample: how it is created
(no network unless the task allows it, root's file and process capabilities only, no new privileges, an
unprivileged id range, a process cap, the task's CPUs and memory, no writable host folder), started, entered with
an exec, and how files are copied in and out. ContainerSandbox (container.py) is the Sandbox made of it."""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

from . import engines
from .base import SandboxError
from .images import CA_BUNDLE, engine_cli
from .index_proxy import IndexProxy, allowed_hosts, verifier_env
from .limits import ResourceLimits
from .output import CommandResult, Output, command_result
from .session import RELAY

# What makes root inside behave as root towards its own files and processes (tasks expect it), held in the
# container's user namespace only: no mount, no raw socket, no device node, no module, no chroot.
CAPS = "CHOWN,DAC_OVERRIDE,FOWNER,FSETID,KILL,SETGID,SETUID,NET_BIND_SERVICE"
AGENT_DIR = Path("/opt/pertask-agent")  # an external agent's installation, read-only (harness/agents/external.py)
VERIFIER_FILE_BYTES = 1 << 40  # the hard file-size limit a verifier may raise itself to (an engine takes a number)
CA_INSIDE = "/pertask-ca"  # where a verifier with the package indexes finds the host's CA bundle


class EngineContainer:
    """Every engine command of a sample runs in the sample's own folder: the engine's monitor (conmon) writes a file
    named `oom` into its working directory once the container has had an out-of-memory kill, which must not land in
    the user's current directory."""
    root: Path  # the sample's folder on the host (removed with the sample)
    container: str  # its name in the engine
    image: str
    workdir: str
    limits: ResourceLimits
    network: bool
    cpus: float | None
    memory_mb: int | None
    agent: Path | None
    started: bool
    python: bool | None
    upper: Path | None
    # A verifier's twin on podman: the agent's container's root (its host path), its ENV and USER, under an overlay of
    # the twin's own. (podman 4 commits an id-mapped container's changes with host ids: a container of the committed
    # image sees them as nobody's.)
    overlay_on: tuple[str, list[str], str] | None = None

    def here(self) -> Path | None:
        """Where the engine's commands run: the sample's folder while it exists."""
        return self.root if self.root.is_dir() else None

    def _create_argv(self, image: str) -> list[str]:
        memory = self.memory_mb * (1 << 20) if self.memory_mb else self.limits.memory_bytes
        eng = engines.engine()
        argv = [*engine_cli(), "create", "--name", self.container, "--network", eng.network_on if self.network else "none",
                "--cap-drop", "ALL", *(a for cap in CAPS.split(",") for a in ("--cap-add", cap)),
                "--security-opt", "no-new-privileges", *eng.id_map,
                "--pids-limit", str(self.limits.max_processes), "--memory", str(memory), "--memory-swap", str(memory),
                "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=4096:4096",  # not above the host's hard limits
                # In bytes (ulimit -f counts KiB); a soft limit, which the agent's commands get as a hard one and the
                # verifier lifts for its own installs (large wheels).
                "--ulimit", f"fsize={self.limits.file_bytes}:{VERIFIER_FILE_BYTES}", *eng.create_args,
                "--workdir", "/", "--entrypoint", "sleep", "--label", "pertask=sample"]  # made below if missing
        if self.cpus:
            argv += ["--cpus", str(self.cpus)]
        if self.agent is not None:  # the one host folder a container sees, and only to read
            argv += ["--volume", f"{self.agent}:{AGENT_DIR}:ro"]
        if self.overlay_on is not None:
            path, env, user = self.overlay_on
            argv += [*(a for kv in env for a in ("--env", kv)), *(["--user", user] if user else [])]
            return [*argv, "--rootfs", f"{path}:O", "infinity"]
        return [*argv, image, "infinity"]

    def _podman(self, *args: str, timeout: float = 120, input: bytes | None = None) -> subprocess.CompletedProcess:
        try:
            proc = subprocess.run([*engine_cli(), *args], capture_output=True, timeout=timeout, input=input, cwd=self.here())
        except subprocess.TimeoutExpired:
            raise SandboxError(f"podman {args[0]} timed out after {timeout:.0f}s") from None
        if proc.returncode != 0:
            raise SandboxError(f"podman {' '.join(args[:2])}: {proc.stderr.decode(errors='replace').strip()[-500:]}")
        return proc

    def _start(self, image: str) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        try:
            subprocess.run(self._create_argv(image), capture_output=True, check=True, timeout=120, cwd=self.here())
            self._podman("start", self.container)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            err = getattr(exc, "stderr", b"") or b""
            raise SandboxError(f"the container could not start: {err.decode(errors='replace').strip()[-500:]}") from None
        self.started = True
        self._podman("exec", self.container, "mkdir", "-p", self.workdir)
        # The container's writable layer on the host, where the disk quota is measured (overlay storage: podman's
        # and docker's default); without one the quota is not watched and the manifest's engine says which driver.
        upper = self.inspect("{{with .GraphDriver.Data}}{{.UpperDir}}{{end}}").strip()
        self.upper = Path(upper) if upper and Path(upper).is_dir() else None

    def upload(self, src: Path, target: str) -> None:
        """A host folder's contents at `target` in the container (what was there before goes)."""
        self._podman("exec", self.container, "sh", "-c", f"rm -rf {shlex.quote(target)} && mkdir -p {shlex.quote(target)}")
        self._podman("cp", f"{src}/.", f"{self.container}:{target}")

    def copy_in(self, src: Path, target: str) -> None:
        self._podman("cp", str(src), f"{self.container}:{target}")

    def copy_out(self, target: str, dest: Path) -> None:
        """One file out (the engine resolves links inside the container's root); nothing there: nothing."""
        with contextlib.suppress(SandboxError):
            self._podman("cp", f"{self.container}:{target}", str(dest))

    def inspect(self, fmt: str) -> str:
        return self._podman("inspect", "--format", fmt, self.container).stdout.decode()

    def download(self, target: str, dest: Path) -> None:
        dest.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(SandboxError):  # nothing there: the verifier wrote nothing
            self._podman("cp", f"{self.container}:{target}/.", str(dest))

    def _has_python(self) -> bool:
        if self.python is None:
            probe = subprocess.run([*engine_cli(), "exec", self.container, "sh", "-c", "command -v python3"], capture_output=True,
                                   cwd=self.here())
            self.python = probe.returncode == 0
        return self.python

    async def _exec(self, command: str, timeout_s: float, env: dict[str, str], verifier: bool = False) -> CommandResult:
        """One `exec`: the file-size cap made hard, or for the harness's verifier (`verifier`) lifted."""
        cap = '-S -f "$(ulimit -H -f)"' if verifier else f"-f {self.limits.file_bytes >> 10}"
        command = f"ulimit {cap} 2>/dev/null; {command}"
        argv = [*engine_cli(), "exec", "--workdir", self.workdir]
        for k, v in env.items():
            argv += ["--env", f"{k}={v}"]
        proc = await asyncio.create_subprocess_exec(*argv, self.container, "bash", "-c", command, cwd=self.here(),
                                                    stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
                                                    stderr=asyncio.subprocess.STDOUT)
        out = Output(self.limits.output_bytes, proc.kill)  # flooding: the exec goes, and its reading with it
        timed_out = False
        try:
            await asyncio.wait_for(out.collect(proc), timeout_s)
        except TimeoutError:
            timed_out = True
            await asyncio.to_thread(self.kill_all)
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            await proc.wait()
        return command_result(out.data, out.size, 124 if timed_out else proc.returncode, timed_out, out.flooded,
                              timeout_s, self.limits)

    def kill_all(self) -> None:
        """Every process in the container but its init (and the sleep it keeps alive)."""
        if self.started:
            subprocess.run([*engine_cli(), "exec", self.container, "bash", "-c", "kill -9 -1"], capture_output=True, timeout=60,
                           cwd=self.here())

    def listening(self) -> list[int]:
        """The TCP ports something listens on in the container's network namespace (its loopback or all addresses)."""
        pid = self.inspect("{{.State.Pid}}").strip()
        ports = set()
        for name in ("tcp", "tcp6"):
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/net/{name}").read_text().splitlines()[1:]:
                    local, state = line.split()[1], line.split()[3]
                    if state == "0A":  # LISTEN
                        ports.add(int(local.rsplit(":", 1)[1], 16))
        return sorted(ports)

    async def _relay(self, sock: Path, port: int, to_port: bool = False) -> asyncio.subprocess.Process:
        """A loopback port in the container's network namespace relayed to a Unix socket on the host (`to_port`: the
        socket to the port): the relay runs on the host, joined to that namespace only (nsenter, as root), so the
        container gets no host folder."""
        pid = (await asyncio.to_thread(self.inspect, "{{.State.Pid}}")).strip()
        ready = sock.parent / f"ready-{port}-{to_port:d}"
        relay = await asyncio.create_subprocess_exec(
            "nsenter", f"--net=/proc/{pid}/ns/net", "--", sys.executable, "-I", "-S", str(RELAY),
            *(["--to"] if to_port else []), str(port), str(sock), str(ready), stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE)
        for _ in range(250):
            if ready.exists() or relay.returncode is not None:
                break
            await asyncio.sleep(0.02)
        if ready.exists():
            return relay
        why = (await relay.stderr.read()).decode(errors="replace").strip() if relay.returncode is not None else ""
        await _stop(relay)
        raise SandboxError(f"the relay into the container did not start: {why[-300:] or 'no answer'}")

    @contextlib.asynccontextmanager
    async def relayed(self, sock: Path, port: int, to_port: bool = False) -> AsyncIterator[None]:
        relay = await self._relay(sock, port, to_port)
        try:
            yield
        finally:
            await _stop(relay)

    @contextlib.asynccontextmanager
    async def indexed(self, named: set[str]) -> AsyncIterator[tuple[IndexProxy, dict[str, str]]]:
        """The package indexes and the hosts `named` (by the verifier's script) for one verifier command: pertask's
        proxy (harness/sandboxes/index_proxy.py) on a loopback port of the container's, and the environment that
        points its clients there. The port is drawn at random and must be free: a process the agent left listening
        cannot stand in for the proxy."""
        with tempfile.TemporaryDirectory(prefix="pertask-ix-") as d:  # a short path: a socket's is at most 108
            ca = None
            if os.path.isfile(CA_BUNDLE):  # the host's TLS trust (an intercepting egress proxy's CA with it)
                (Path(d) / "ca").mkdir()
                shutil.copy(CA_BUNDLE, Path(d) / "ca" / "ca.crt")
                await asyncio.to_thread(self.upload, Path(d) / "ca", CA_INSIDE)
                ca = f"{CA_INSIDE}/ca.crt"
            async with IndexProxy(Path(d) / "p.sock", allowed_hosts(named)) as proxy:
                for attempt in range(5):
                    port = random.randint(20000, 60000)
                    try:
                        relay = await self._relay(proxy.sock, port)
                        break
                    except SandboxError:
                        if attempt == 4:
                            raise
                try:
                    yield proxy, verifier_env(port, ca)
                finally:
                    await _stop(relay)


async def _stop(proc: asyncio.subprocess.Process) -> None:
    with contextlib.suppress(ProcessLookupError):
        proc.kill()
    await proc.wait()


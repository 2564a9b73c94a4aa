"""Where a sample's commands run: its own workspace (copy-on-write over the task's files, or a
copy), a timeout, truncated output, and — where bubblewrap is installed — no network, no
privileges and an allow-list of what is visible. The agent's commands share one sandbox per
sample (a session, harness/sandboxes/session.py); a grader's command, with its extra binds, gets one of
its own.

What a command sees (bubblewrap): an empty read-only root holding the system's read-only
directories (/usr and its links, /etc), the Python installation pertask runs on (read-only: its
python3 has what tasks need), the workspace, a private /tmp and whatever a grader binds — not
"everything except what we hid": no project checkout, no .git, no other run, no host sockets.
It runs as an unprivileged user in a user namespace of its own (no capability), so no mount,
umount or remount can unhide or write anything.
"""

from __future__ import annotations

import functools
import os
import shlex
import shutil
import sys
from pathlib import Path

from . import overlay, quota
from .base import SandboxError
from .limits import CommandLimits, ResourceLimits
from .local import PATH, HostSandbox
from .output import OUTPUT_LIMIT, READ_LIMIT, CommandResult, truncate  # noqa: F401 (re-exported)
from .reads import ReadTrace, strace_path
from .session import RELAY, SERVER, Session, SessionError

COPIED_OUT = ("/logs",)  # of a grader's mounts, the one whose contents come back (as a container's /logs does)
SANDBOX_UID = SANDBOX_GID = 1000  # who commands run as inside their own user namespace: not root, no capability
# The system's read-only parts, visible to every command; anything else must be bound explicitly.
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc")


def bwrap_path() -> str | None:
    return _which("bwrap", os.environ.get("PATH", ""))


@functools.cache
def _which(name: str, path: str) -> str | None:  # a PATH walk per sandbox adds up over thousands of samples
    return shutil.which(name, path=path)


class BwrapSandbox(HostSandbox):
    name = "bwrap"
    isolated = True
    maps_paths = True
    traces_reads = True  # where strace is installed (harness/sandboxes/reads.py)
    needs = "bubblewrap (apt-get install bubblewrap)"

    def __init__(self, root: Path, hidden: list[Path], workdir: str | None = None,
                 limits: ResourceLimits | None = None, env: dict[str, str] | None = None):
        """`workdir` (e.g. /app for Terminal-Bench tasks) is where commands see the workspace: bubblewrap binds the
        private copy there."""
        super().__init__(root, hidden, workdir, limits, env)
        self.bwrap = bwrap_path()
        if self.bwrap is None:
            raise SandboxError(f"the bwrap sandbox needs {self.needs}")
        self.session: Session | None = None  # one sandbox for all the agent's commands
        self.session_limits: CommandLimits | None = None  # its commands' cgroups, reused one command after another
        self.reads: ReadTrace | None = None  # what the agent's commands open, over all its sessions

    @classmethod
    def available(cls) -> bool:
        return bwrap_path() is not None

    @classmethod
    def workspaces(cls, keep: bool) -> str:
        return "overlay" if not keep and overlay.supported() else "copy"

    def _lowers(self, source: Path, copies: list[tuple[Path, str]] | None) -> list[Path] | None:
        layers = copies if copies is not None else [(source, ".")]
        srcs = [src for src, dst in layers if dst == "." and src.is_dir() and overlay.usable_path(src)]
        if not srcs or len(srcs) < len(layers) or not overlay.usable_path(self.root):
            return None  # layers an overlay cannot express: a copy
        return list(reversed(srcs)) if overlay.supported() else None  # the last layer wins: it is on top

    def _argv(self, command: str, binds: list[Path], env: dict[str, str],
              mounts: dict[str, Path] | None = None, ro_binds: list[Path] | None = None) -> list[str]:
        base_env = self._env("/tmp", env)
        maps = {self.workdir: self.workspace} if self.workdir else {}
        maps.update(mounts or {})
        writable = {self.workdir, *COPIED_OUT}
        argv = [self.bwrap, *_system_root(), "--bind", str(self.tmp), "/tmp", *_python_binds()]
        for h in self.hidden:  # defence in depth: hidden things that lie inside a visible directory
            if any(h.is_relative_to(v) for v in (*SYSTEM_DIRS, *_python_dirs())):
                argv += ["--tmpfs", str(h)] if h.is_dir() else ["--ro-bind", "/dev/null", str(h)]
        for b in [*self.tool_dirs, *(ro_binds or [])]:
            argv += ["--ro-bind", str(b), str(b)]
        for b in [self.workspace, *binds]:
            argv += ["--bind", str(b), str(b)]
        # Container-style paths last, so that they cover whatever the host has there.
        for target, src in maps.items():
            argv += ["--bind" if target in writable else "--ro-bind", str(src), target]
        inside = self.workdir or str(self.workspace)
        for rel in self.readonly:  # a task's inputs (AA-Briefcase's sources): read, never changed. "-try": the
            # folder is there only inside the sandbox's mount namespace when the workspace is an overlay, or not at all
            argv += ["--ro-bind-try", str(self.workspace / rel), f"{inside}/{rel}"]
        argv += ["--remount-ro", "/",  # the empty root's mount points are made: nothing more may be created there
                 "--unshare-user", "--uid", str(SANDBOX_UID), "--gid", str(SANDBOX_GID), "--cap-drop", "ALL",
                 "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
                 "--die-with-parent", "--new-session", "--clearenv"]
        for k, v in base_env.items():
            argv += ["--setenv", k, v]
        return argv + ["--chdir", self.workdir or str(self.workspace), "bash", "-c", command]

    def _command(self, command: str, binds: list[Path], env: dict[str, str], mounts: dict[str, Path] | None,
                 ro_binds: list[Path] | None) -> tuple[list[str], dict[str, str]]:
        # The environment is cleared, so API keys never reach the command. bwrap itself starts with a
        # cleared one too: it is PID 1 of the sandbox, and /proc/1/environ is readable from inside.
        return self._argv(command, binds, env, mounts, ro_binds), {"PATH": PATH}

    async def run(self, command: str, *, timeout_s: float, binds: list[Path] | None = None,
                  env: dict[str, str] | None = None, mounts: dict[str, Path] | None = None,
                  ro_binds: list[Path] | None = None, fresh: bool = False,
                  index: set[str] | None = None) -> CommandResult:
        if not (binds or env or mounts or ro_binds or fresh or index is not None):  # an agent's: in its session
            return await self._session_run(command, timeout_s)
        return await super().run(command, timeout_s=timeout_s, binds=binds, env=env, mounts=mounts,
                                 ro_binds=ro_binds, fresh=fresh, index=index)

    async def launch_agent(self, command: str, *, instruction: str, env: dict[str, str], sock: Path, port: int,
                           timeout_s: float, mounts: list[Path], log: str | None) -> CommandResult:
        """The socket's folder bound in, the relay started inside on the sandbox's own loopback first."""
        (self.tmp / "instruction.md").write_text(instruction)
        relay = (f"python3 -I -S {shlex.quote(str(RELAY))} {port} {shlex.quote(str(sock))} "
                 "/tmp/.pertask-relay-ready & for _ in $(seq 250); do [ -e /tmp/.pertask-relay-ready ] && "
                 "break; sleep 0.02; done; ")
        return await self.run(relay + command, timeout_s=timeout_s, binds=[sock.parent], env=env,
                              ro_binds=mounts or None)

    def _session(self) -> Session:
        if self.session is None:
            self.session = Session(lambda cmd: self._argv(cmd, [], {}), self.workspace,
                                   self._preexec(CommandLimits(self.limits, cgroups=False)), trace=self.reads)
            # Made once, emptied after each command: making and removing cgroups costs more than the rest
            # of a command here.
            self.session_limits = CommandLimits(self.limits)
        return self.session

    async def _session_run(self, command: str, timeout_s: float) -> CommandResult:
        session = self._session()
        guard = self.session_limits
        over = 0
        try:
            reply, over = await quota.watched(session.request(
                {"op": "run", "command": command, "timeout": timeout_s, "read_limit": READ_LIMIT,
                 "output_limit": self.limits.output_bytes, "gate": bool(guard.groups)}, timeout_s, guard),
                self.writable(), self.limits.disk_bytes, session.kill)
            if reply is None:
                res = CommandResult(-1, "")
            elif "error" in reply[0]:  # the server could not start it (a disk the command's own flood filled)
                res = CommandResult(-1, f"[the command could not run: {reply[0]['error']}]")
            else:
                h, data = reply
                res = self._result(data, h["size"], h["exit"], h["timed_out"], h["flooded"], timeout_s, guard)
        except SessionError as exc:
            return CommandResult(-1, f"[the sandbox stopped: {exc}; the next command starts a new one]")
        finally:
            guard.release(remove=False)  # what the command left running (a fork bomb's children) dies here
        return self._over(res, over)

    async def read_text(self, rel: str, errors: str = "replace") -> str | None:
        """A workspace file as the agent's commands see it (through the session); None if there is no such file."""
        h, data = await self._session().request({"op": "read", "path": rel}, 30)
        if "error" in h:
            raise OSError(h["error"])
        return None if h.get("missing") else data.decode("utf-8", errors)

    async def write_text(self, rel: str, text: str) -> None:
        h, _ = await self._session().request({"op": "write", "path": rel, "text": text}, 30)
        if "error" in h:
            raise OSError(h["error"])

    async def close(self) -> None:
        """Ends the session: nothing the agent started outlives its loop (into grading, say)."""
        if self.session is not None:
            await self.session.close()
            self.session_limits.release()
            self.session = None

    def trace_reads(self) -> None:
        """Costs each command its processes' opens stopping in strace (docs/benchmarks.md §20): document tasks only."""
        self.reads = ReadTrace(self.workdir or str(self.workspace)) if strace_path() else None

    def opened(self) -> set[str] | None:
        return None if self.reads is None else self.reads.opened()


@functools.cache
def _system_root() -> tuple[str, ...]:
    """An empty root (tmpfs) with the system's read-only directories bound in; /usr-merge links as links."""
    argv = ["--tmpfs", "/"]
    for path in SYSTEM_DIRS:
        if os.path.islink(path):
            argv += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            argv += ["--ro-bind", path, path]
    return (*argv, "--dev", "/dev", "--proc", "/proc", "--symlink", "/tmp", "/var/tmp")  # /var/tmp: the private /tmp


@functools.cache
def _python_dirs() -> tuple[str, ...]:
    """The interpreter pertask runs on (its venv and the installation under it), where the system
    directories do not already hold it; never the project checkout around a venv."""
    dirs = {Path(sys.prefix), Path(sys.base_prefix), Path(sys.executable).resolve().parents[1]}
    return tuple(sorted(str(d) for d in dirs if not any(d.is_relative_to(s) for s in SYSTEM_DIRS)))


@functools.cache
def _python_binds() -> tuple[str, ...]:
    argv: list[str] = []
    for d in _python_dirs():
        argv += ["--ro-bind", d, d]
    # The session's command server and the proxy relay (external agents): files of the harness, read-only; the
    # rest of the checkout stays unseen.
    return (*argv, "--ro-bind", str(SERVER), str(SERVER), "--ro-bind", str(RELAY), str(RELAY))

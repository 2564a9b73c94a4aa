"""Where a sample's commands run: its own workspace (copy-on-write over the task's files, or a
copy), a timeout, truncated output, and — where bubblewrap is installed — no network, no
privileges and an allow-list of what is visible. The agent's commands share one sandbox per
sample (a session, harness/session.py); a grader's command, with its extra binds, gets one of
its own.

What a command sees (bubblewrap): an empty read-only root holding the system's read-only
directories (/usr and its links, /etc), the Python installation pertask runs on (read-only: its
python3 has what tasks need), the workspace, a private /tmp and whatever a grader binds — not
"everything except what we hid": no project checkout, no .git, no other run, no host sockets.
It runs as an unprivileged user in a user namespace of its own (no capability), so no mount,
umount or remount can unhide or write anything.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from . import overlay, quota
from .grading_copy import Graded, copy_workspace
from .limits import CommandLimits, ResourceLimits
from .output import OUTPUT_LIMIT, READ_LIMIT, CommandResult, Output, command_result, truncate  # noqa: F401 (re-exported)
from .session import SERVER, Session, SessionError

RELAY = Path(__file__).with_name("relay.py")
COPIED_OUT = ("/logs",)  # of a grader's mounts, the one whose contents come back (as a container's /logs does)

# pertask's own interpreter comes first: its python3 has what the tasks need to read and grade
# (pytest, openpyxl, python-docx, pypdf), so `python3` means the same in every sandbox.
PATH = f"{Path(sys.executable).parent}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
SANDBOX_UID = SANDBOX_GID = 1000  # who commands run as inside their own user namespace: not root, no capability
# The system's read-only parts, visible to every command; anything else must be bound explicitly.
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc")


# The backends --sandbox chooses from: whether each isolates (the red-team suite runs against every one that
# does), and what it needs on this machine.
# "images": it runs the tasks that bring their own container image (Harbor, SWE-bench), not pertask's own.
SANDBOXES = {"bwrap": {"isolated": True, "needs": "bubblewrap (apt-get install bubblewrap)", "images": False},
             "container": {"isolated": True, "needs": "podman (apt-get install podman runc)", "images": True},
             "none": {"isolated": False, "needs": "", "images": False}}


def bwrap_path() -> str | None:
    return _which("bwrap", os.environ.get("PATH", ""))


@functools.cache
def _which(name: str, path: str) -> str | None:  # a PATH walk per sandbox adds up over thousands of samples
    return shutil.which(name, path=path)


class SandboxError(RuntimeError):
    """What this machine's sandbox cannot give a task (a path mapping without bubblewrap)."""


class Sandbox:
    def __init__(self, root: Path, hidden: list[Path], use_bwrap: bool, workdir: str | None = None,
                 limits: ResourceLimits | None = None, env: dict[str, str] | None = None):
        """`root` holds this sample's ws/ (the workspace), tmp/ (its /tmp) and grading/.

        `workdir` (e.g. /app for Terminal-Bench tasks) is where commands see the workspace; it needs
        bubblewrap, which binds the private copy there.
        """
        self.root = root
        self.workspace = root / "ws"
        self.tmp = root / "tmp"
        self.hidden = [p for p in hidden if p.exists()]
        self.bwrap = bwrap_path() if use_bwrap else None
        self.workdir = workdir
        self.limits = limits or ResourceLimits()
        self.image_env = env or {}  # a Dockerfile's ENV lines, where this sandbox stands in for its image
        self.overlay: tuple[list[Path], Path, Path] | None = None  # (lowers, upper, work) when copy-on-write
        self.files: overlay.DirView | overlay.OverlayView = overlay.DirView(self.workspace)
        self.session: Session | None = None  # with bubblewrap: one sandbox for all the agent's commands
        self.session_limits: CommandLimits | None = None  # its commands' cgroups, reused one command after another
        if workdir and not self.bwrap:
            raise SandboxError(f"this task works in {workdir}, which needs bubblewrap (apt-get install bubblewrap)")

    def prepare(self, source: Path, copies: list[tuple[Path, str]] | None = None,
                checkout: tuple[Path, str] | None = None, cow: bool = True, solution: Path | None = None) -> None:
        """The workspace: `source`, or each (source, relative destination) of `copies` in turn, or a
        git commit as a fresh one-commit repository (no later history to peek at). With bubblewrap
        and `cow`, folders are not copied: they become the read-only layers of an overlay."""
        lowers = self._lowers(source, copies) if cow and checkout is None else None
        if lowers:
            upper, work = self.root / "upper", self.root / "work"
            for d in (upper, work, self.workspace):
                d.mkdir(parents=True)
            self.overlay = (lowers, upper, work)
            self.files = overlay.OverlayView(lowers, upper)
        elif checkout is not None:
            _git_snapshot(*checkout, self.workspace)
        elif copies is None:
            shutil.copytree(source, self.workspace, symlinks=True)
        else:
            self.workspace.mkdir(parents=True)
            for src, dst in copies:
                target = self.workspace / dst
                if src.is_dir():
                    shutil.copytree(src, target, symlinks=True, dirs_exist_ok=True)
                else:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(src, target)
        self.tmp.mkdir(parents=True, exist_ok=True)

    def persist(self, dest: Path) -> None:
        """Move the sample's workspace (its overlay's upper layer, or its copy) to `dest`, where a resumed run
        grades it without running the agent again. A rename: nothing is copied."""
        dest.mkdir(parents=True)
        if self.overlay:
            lowers, upper, work = self.overlay
            upper.rename(dest / "upper")
            work.rename(dest / "work")
            self.overlay = (lowers, dest / "upper", dest / "work")
            self.files = overlay.OverlayView(lowers, dest / "upper")
        else:
            self.workspace.rename(dest / "ws")
            self.workspace = dest / "ws"
            self.files = overlay.DirView(self.workspace)

    def restore(self, saved: Path, source: Path, copies: list[tuple[Path, str]] | None) -> None:
        """The workspace `persist` left in `saved`, over the task's files again when it is an overlay."""
        if (saved / "upper").is_dir():
            lowers = self._lowers(source, copies)
            if lowers is None:
                raise SandboxError("the saved workspace is an overlay, which cannot be mounted here now")
            self.overlay = (lowers, saved / "upper", saved / "work")
            self.files = overlay.OverlayView(lowers, saved / "upper")
            self.workspace.mkdir(parents=True)
        else:
            self.workspace = saved / "ws"
            self.files = overlay.DirView(self.workspace)
        self.tmp.mkdir(parents=True, exist_ok=True)

    def for_grading(self, dest: Path) -> Graded:
        """A fresh sandbox over a copy of the workspace as data (harness/grading_copy.py): graders and the judge read
        only that, never the workspace the agent's commands could still shape (modes, links, FIFOs)."""
        box = Sandbox(dest, self.hidden, self.bwrap is not None, self.workdir, self.limits, self.image_env)
        report = copy_workspace(self.files.entries(), box.workspace, self.workdir)
        box.tmp.mkdir(parents=True, exist_ok=True)
        # The copy is the harness's doing: what the graded code may write comes on top of it.
        box.limits = dataclasses.replace(self.limits, disk_bytes=self.limits.disk_bytes + quota.usage([box.workspace]))
        return Graded(box, box.workspace, report)

    def _lowers(self, source: Path, copies: list[tuple[Path, str]] | None) -> list[Path] | None:
        layers = copies if copies is not None else [(source, ".")]
        srcs = [src for src, dst in layers if dst == "." and src.is_dir() and overlay.usable_path(src)]
        if not self.bwrap or not srcs or len(srcs) < len(layers) or not overlay.usable_path(self.root):
            return None  # without bubblewrap, or layers an overlay cannot express: a copy
        return list(reversed(srcs)) if overlay.supported() else None  # the last layer wins: it is on top

    def to_workspace(self, path: str) -> str:
        """A path as the agent wrote it (maybe /app/x) relative to the workspace."""
        if self.workdir and (path == self.workdir or path.startswith(self.workdir.rstrip("/") + "/")):
            return path[len(self.workdir):].lstrip("/") or "."
        return path

    def _env(self, tmpdir: str, extra: dict[str, str]) -> dict[str, str]:
        # Cleared down to this, so API keys in the harness's environment never reach a command.
        env = {"PATH": PATH, "HOME": str(self.workspace), "LANG": "C.UTF-8", "TMPDIR": tmpdir}
        for k, v in self.image_env.items():  # in order, each line seeing the ones before it, as in a build
            env[k] = _expand(v, env)
        return {**env, **extra}

    def _argv(self, command: str, binds: list[Path], env: dict[str, str],
              mounts: dict[str, Path] | None = None, ro_binds: list[Path] | None = None) -> list[str]:
        base_env = self._env("/tmp", env)
        if not self.bwrap:
            return ["bash", "-c", command]
        maps = {self.workdir: self.workspace} if self.workdir else {}
        maps.update(mounts or {})
        writable = {self.workdir, *COPIED_OUT}
        argv = [self.bwrap, *_system_root(), "--bind", str(self.tmp), "/tmp", *_python_binds()]
        for h in self.hidden:  # defence in depth: hidden things that lie inside a visible directory
            if any(h.is_relative_to(v) for v in (*SYSTEM_DIRS, *_python_dirs())):
                argv += ["--tmpfs", str(h)] if h.is_dir() else ["--ro-bind", "/dev/null", str(h)]
        for b in ro_binds or []:
            argv += ["--ro-bind", str(b), str(b)]
        for b in [self.workspace, *binds]:
            argv += ["--bind", str(b), str(b)]
        # Container-style paths last, so that they cover whatever the host has there.
        for target, src in maps.items():
            argv += ["--bind" if target in writable else "--ro-bind", str(src), target]
        argv += ["--remount-ro", "/",  # the empty root's mount points are made: nothing more may be created there
                 "--unshare-user", "--uid", str(SANDBOX_UID), "--gid", str(SANDBOX_GID), "--cap-drop", "ALL",
                 "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
                 "--die-with-parent", "--new-session", "--clearenv"]
        for k, v in base_env.items():
            argv += ["--setenv", k, v]
        return argv + ["--chdir", self.workdir or str(self.workspace), "bash", "-c", command]

    async def run(self, command: str, *, timeout_s: float, binds: list[Path] | None = None,
                  env: dict[str, str] | None = None, mounts: dict[str, Path] | None = None,
                  ro_binds: list[Path] | None = None, fresh: bool = False) -> CommandResult:
        """`binds` are writable, `ro_binds` read-only, both at their own paths; `mounts` maps a path
        inside (/tests) onto a host folder: read-only, as a container's copy in is never read back, except
        /logs, which a container copies back out (the code under test must not rewrite its own tests)."""
        if fresh:
            raise SandboxError("a fresh sandbox of the task's own image needs the container sandbox")
        env = env or {}
        if mounts and not self.bwrap:
            raise SandboxError(f"mapping {', '.join(mounts)} needs bubblewrap (apt-get install bubblewrap)")
        if self.bwrap and not (binds or env or mounts or ro_binds):  # an agent's command: in the sample's session
            return await self._session_run(command, timeout_s)
        argv = self._argv(command, binds or [], env, mounts, ro_binds)
        # The environment is cleared, so API keys never reach the command. bwrap itself starts with a
        # cleared one too: it is PID 1 of the sandbox, and /proc/1/environ is readable from inside.
        plain_env = {"PATH": PATH} if self.bwrap else self._env(str(self.tmp), env)
        guard = CommandLimits(self.limits)
        started: list[int] = []
        try:
            res, over = await quota.watched(self._run(argv, plain_env, timeout_s, guard, self._preexec(guard), started),
                                            self.writable(binds or []), self.limits.disk_bytes,
                                            lambda: started and _kill(started[0]))
            res = res or CommandResult(-1, "")
        finally:
            guard.release()  # whatever the command left running (a fork bomb's children) dies here
        if over:
            res.output += quota.message(over, self.limits.disk_bytes)
            res.exit_code = res.exit_code or 1
        return res

    def _preexec(self, guard: CommandLimits) -> Callable[[], None]:
        def preexec() -> None:
            guard.preexec()  # the cgroups first: from the new user namespace they are not writable
            if self.overlay:
                overlay.enter(*self.overlay, self.workspace)
        return preexec

    def _session(self) -> Session:
        if self.session is None:
            self.session = Session(lambda cmd: self._argv(cmd, [], {}), self.workspace,
                                   self._preexec(CommandLimits(self.limits, cgroups=False)))
            # Made once, emptied after each command: making and removing cgroups costs more than the rest
            # of a command here.
            self.session_limits = CommandLimits(self.limits)
        return self.session

    def writable(self, binds: list[Path] = ()) -> list[Path]:
        """What this sample's commands can write on the harness's disk: its disk quota counts these."""
        return [self.overlay[1] if self.overlay else self.workspace, self.tmp, *binds]

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
            else:
                h, data = reply
                res = self._result(data, h["size"], h["exit"], h["timed_out"], h["flooded"], timeout_s, guard)
        except SessionError as exc:
            return CommandResult(-1, f"[the sandbox stopped: {exc}; the next command starts a new one]")
        finally:
            guard.release(remove=False)  # what the command left running (a fork bomb's children) dies here
        if over:
            res.output += quota.message(over, self.limits.disk_bytes)
            res.exit_code = res.exit_code or 1
        return res

    async def read_text(self, rel: str, errors: str = "replace") -> str | None:
        """A workspace file as the agent's commands see it; None if there is no such file."""
        if self.bwrap:
            h, data = await self._session().request({"op": "read", "path": rel}, 30)
            if "error" in h:
                raise OSError(h["error"])
            return None if h.get("missing") else data.decode("utf-8", errors)
        path = self.files.locate(rel)
        return None if path is None else path.read_bytes().decode("utf-8", errors)

    async def write_text(self, rel: str, text: str) -> None:
        if self.bwrap:
            h, _ = await self._session().request({"op": "write", "path": rel, "text": text}, 30)
            if "error" in h:
                raise OSError(h["error"])
        else:
            self.files.write_bytes(rel, text.encode())

    async def destroy(self) -> None:
        """The sample is over (a container sandbox removes its container here)."""
        await self.close()

    async def close(self) -> None:
        """Ends the session: nothing the agent started outlives its loop (into grading, say)."""
        if self.session is not None:
            await self.session.close()
            self.session_limits.release()
            self.session = None

    async def _run(self, argv: list[str], plain_env: dict[str, str] | None, timeout_s: float,
                   guard: CommandLimits, preexec: Callable[[], None], started: list[int]) -> CommandResult:
        proc = await asyncio.create_subprocess_exec(
            *argv, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT, cwd=self.workspace, env=plain_env, start_new_session=True,
            preexec_fn=preexec)
        started.append(proc.pid)
        out = Output(self.limits.output_bytes, lambda: _kill(proc.pid))  # gigabytes of output: stop the command
        timed_out = False
        try:
            await asyncio.wait_for(out.collect(proc), timeout_s)
        except TimeoutError:
            timed_out = True
            _kill(proc.pid)
            await proc.wait()
            # Read the pipe to its end so it closes; bounded, as a grandchild that left the group may hold it.
            with contextlib.suppress(TimeoutError, ConnectionError):
                await asyncio.wait_for(proc.stdout.read(), 2)
        except BaseException:
            # Cancelled (Ctrl-C): nothing here may await, as the task can be cancelled again. Kill the group
            # and close the transport now, or it is closed in a destructor after the loop has gone.
            _kill(proc.pid)
            proc._transport.close()  # SubprocessTransport.close(); asyncio's Process does not expose it
            raise
        code = proc.returncode if not timed_out else 124
        return self._result(out.data, out.size, code, timed_out, out.flooded, timeout_s, guard)

    def _result(self, data: bytes, size: int, code: int, timed_out: bool, flooded: bool, timeout_s: float,
                guard: CommandLimits) -> CommandResult:
        return command_result(data, size, code, timed_out, flooded, timeout_s, self.limits, guard.memory_exceeded())


def _expand(value: str, env: dict[str, str]) -> str:
    """$VAR and ${VAR} from `env` (never from the harness's own environment), as a Dockerfile's ENV expands them."""
    return re.sub(r"\$(?:\{(\w+)\}|(\w+))", lambda m: env.get(m.group(1) or m.group(2), ""), value)


def _git_snapshot(repo: Path, commit: str, dest: Path) -> None:
    dest.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(repo), "archive", "--format=tar", commit], capture_output=True)
    if archive.returncode != 0:
        raise SandboxError(f"git archive {commit} in {repo}: {archive.stderr.decode(errors='replace').strip()}")
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    git = ["git", "-C", str(dest), "-c", "user.name=pertask", "-c", "user.email=pertask@localhost"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "--no-verify", "-m", f"base {commit[:12]}"]):
        subprocess.run([*git, *args], check=True, capture_output=True)


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


def _kill(pid: int) -> None:
    # The whole process group: bwrap's death takes its PID namespace with it.
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass

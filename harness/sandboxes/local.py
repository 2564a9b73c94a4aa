"""What the two backends on the host share (bwrap and none): the sample's workspace as a folder of the harness's
(copy-on-write over the task's files where an overlay can be mounted, or a copy, or a git snapshot), its /tmp, a
command run as a process group with cgroup limits, a disk quota and bounded output, persist and restore by rename,
and the grading copy. How a command is started (isolated or not) is each backend's own."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from . import overlay, quota
from .base import SandboxError
from .grading_copy import Graded, copy_workspace
from .limits import CommandLimits, ResourceLimits
from .output import CommandResult, Output, command_result

if TYPE_CHECKING:
    from tasks import Task

    from .images import Image

# pertask's own interpreter comes first: its python3 has what the tasks need to read and grade
# (pytest, openpyxl, python-docx, pypdf), so `python3` means the same in every sandbox.
PATH = f"{Path(sys.executable).parent}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


class HostSandbox:
    runs_images = False
    traces_reads = False
    verifier_index = False  # a verifier here runs on the host's side of no proxy: offline, rewritten if need be
    workspaces_kind = "copy"
    maps_paths = False  # it can show the workspace at another path (a task's WORKDIR, /app) and map grader folders

    def __init__(self, root: Path, hidden: list[Path], workdir: str | None = None,
                 limits: ResourceLimits | None = None, env: dict[str, str] | None = None):
        """`root` holds this sample's ws/ (the workspace), tmp/ (its /tmp) and grading/."""
        if workdir and not self.maps_paths:
            raise SandboxError(f"this task works in {workdir}, which needs bubblewrap (apt-get install bubblewrap)")
        self.root = root
        self.workspace = root / "ws"
        self.tmp = root / "tmp"
        self.hidden = [p for p in hidden if p.exists()]
        self.workdir = workdir
        self.limits = limits or ResourceLimits()
        self.image_env = env or {}  # a Dockerfile's ENV lines, where this sandbox stands in for its image
        self.overlay: tuple[list[Path], Path, Path] | None = None  # (lowers, upper, work) when copy-on-write
        self.files: overlay.DirView | overlay.OverlayView = overlay.DirView(self.workspace)
        self.readonly: list[str] = []  # workspace folders bound read-only over the writable workspace
        self.tool_dirs: list[Path] = []  # host folders its commands need to see, read-only (a repository's environment)

    @classmethod
    def create(cls, task: Task, root: Path, hidden: list[Path], image: Image | None, limits: ResourceLimits | None,
               agent: Path | None) -> HostSandbox:
        env = task.environment.env if task.environment else None
        if task.host_env is not None and task.host_env.home is not None:  # its own Python first, seen read-only
            env = {"PATH": f"{task.host_env.bin}:$PATH", "VIRTUAL_ENV": str(task.host_env.bin.parent)}
        box = cls(root, hidden, workdir=task.workdir, limits=limits, env=env)
        box.tool_dirs = task.host_env.dirs() if task.host_env is not None else []
        box.readonly = list(task.readonly)  # enforced where the backend binds paths (bwrap), said elsewhere
        if task.config.kind == "document":  # sources to read: which of them the agent opened, where traced
            box.trace_reads()
        return box

    def trace_reads(self) -> None:
        return None

    @classmethod
    def workspaces(cls, keep: bool) -> str:
        return cls.workspaces_kind

    @staticmethod
    def forget(saved: Path) -> None:
        return None  # persist renamed the workspace into `saved`: nothing lies elsewhere

    def prepare(self, source: Path, copies: list[tuple[Path, str]] | None = None,
                checkout: tuple[Path, str] | None = None, cow: bool = True, solution: Path | None = None) -> None:
        """The workspace: `source`, or each (source, relative destination) of `copies` in turn, or a
        git commit as a fresh one-commit repository (no later history to peek at). Where the backend mounts
        overlays and `cow`, folders are not copied: they become the read-only layers of an overlay."""
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

    def _lowers(self, source: Path, copies: list[tuple[Path, str]] | None) -> list[Path] | None:
        return None  # a copy: only a backend that mounts overlays says otherwise

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
        """A fresh sandbox of the same backend over a copy of the workspace as data (grading_copy.py): graders and
        the judge read only that, never the workspace the agent's commands could still shape (modes, links, FIFOs)."""
        box = type(self)(dest, self.hidden, self.workdir, self.limits, self.image_env)
        box.tool_dirs = self.tool_dirs
        report = copy_workspace(self.files.entries(), box.workspace, self.workdir)
        box.tmp.mkdir(parents=True, exist_ok=True)
        # The copy is the harness's doing: what the graded code may write comes on top of it.
        box.limits = dataclasses.replace(self.limits, disk_bytes=self.limits.disk_bytes + quota.usage([box.workspace]))
        return Graded(box, box.workspace, report)

    def to_workspace(self, path: str) -> str:
        """A path as the agent wrote it (maybe /app/x) relative to the workspace."""
        if self.workdir and (path == self.workdir or path.startswith(self.workdir.rstrip("/") + "/")):
            return path[len(self.workdir):].lstrip("/") or "."
        return path

    def agent_path(self, host: Path) -> Path:
        return host  # an agent's installation is seen where it lies on the host

    def _env(self, tmpdir: str, extra: dict[str, str]) -> dict[str, str]:
        # Cleared down to this, so API keys in the harness's environment never reach a command.
        env = {"PATH": PATH, "HOME": str(self.workspace), "LANG": "C.UTF-8", "TMPDIR": tmpdir}
        for k, v in self.image_env.items():  # in order, each line seeing the ones before it, as in a build
            env[k] = _expand(v, env)
        return {**env, **extra}

    def _command(self, command: str, binds: list[Path], env: dict[str, str], mounts: dict[str, Path] | None,
                 ro_binds: list[Path] | None) -> tuple[list[str], dict[str, str]]:
        """The argv of one command and the environment it is started with."""
        raise NotImplementedError

    async def run(self, command: str, *, timeout_s: float, binds: list[Path] | None = None,
                  env: dict[str, str] | None = None, mounts: dict[str, Path] | None = None,
                  ro_binds: list[Path] | None = None, fresh: bool = False,
                  index: set[str] | None = None) -> CommandResult:
        """`binds` are writable, `ro_binds` read-only, both at their own paths; `mounts` maps a path
        inside (/tests) onto a host folder: read-only, as a container's copy in is never read back, except
        /logs, which a container copies back out (the code under test must not rewrite its own tests)."""
        if fresh or index is not None:
            raise SandboxError(f"{'a fresh sandbox of the task image' if fresh else 'a verifier with the package indexes'}"
                               " needs the container sandbox")
        argv, plain_env = self._command(command, binds or [], env or {}, mounts, ro_binds)
        # A verifier (given its /tests) installs what it needs, wheels of gigabytes among them: no file-size cap.
        guard = CommandLimits(dataclasses.replace(self.limits, file_bytes=resource.getrlimit(resource.RLIMIT_FSIZE)[1])
                              if mounts else self.limits)
        started: list[int] = []
        try:
            res, over = await quota.watched(self._run(argv, plain_env, timeout_s, guard, self._preexec(guard), started),
                                            self.writable(binds or []), self.limits.disk_bytes,
                                            lambda: started and _kill(started[0]))
            res = res or CommandResult(-1, "")
        finally:
            guard.release()  # whatever the command left running (a fork bomb's children) dies here
        return self._over(res, over)

    def _over(self, res: CommandResult, over: int) -> CommandResult:
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

    def writable(self, binds: list[Path] = ()) -> list[Path]:
        """What this sample's commands can write on the harness's disk: its disk quota counts these."""
        return [self.overlay[1] if self.overlay else self.workspace, self.tmp, *binds]

    async def read_text(self, rel: str, errors: str = "replace") -> str | None:
        """A workspace file as the agent's commands see it; None if there is no such file."""
        path = self.files.locate(rel)
        return None if path is None else path.read_bytes().decode("utf-8", errors)

    async def write_text(self, rel: str, text: str) -> None:
        self.files.write_bytes(rel, text.encode())

    async def destroy(self) -> None:
        await self.close()

    async def close(self) -> None:
        return None

    def opened(self) -> set[str] | None:
        return None

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


def _kill(pid: int) -> None:
    # The whole process group: bwrap's death takes its PID namespace with it.
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


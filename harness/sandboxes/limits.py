"""Resource limits for one sandboxed command: what a fork bomb, a memory hog or a file that
never stops growing runs into. The command fails; the run goes on.

Where this process may create cgroups (v1 `pids` and `memory`, as root in a VM or container),
each command gets its own: a cap on processes and on memory for the whole command, and the
cgroup is emptied (SIGKILL) and removed when it ends. Elsewhere, per-process rlimits stand in
(address space instead of memory; no process cap, as rlimits cannot cap a process tree).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import resource
import signal
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")


@dataclass(frozen=True)
class ResourceLimits:
    max_processes: int = 512
    memory_bytes: int = 4 << 30
    file_bytes: int = 2 << 30  # the largest file a command may write
    output_bytes: int = 64 << 20  # a command that prints more is killed
    disk_bytes: int = 4 << 30  # what a sample may keep on disk, workspace and /tmp together (harness/sandboxes/quota.py)


@functools.cache  # a process's own cgroup does not change: read /proc once, not per command
def _own_cgroup(controller: str) -> Path | None:
    try:
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            _, names, path = line.split(":", 2)
            if controller in names.split(","):
                base = CGROUP_ROOT / controller / path.lstrip("/")
                return base if os.access(base, os.W_OK) else None
    except OSError:
        return None
    return None


def cgroup_support() -> list[str]:
    """The controllers this process can give each command: a subset of ["pids", "memory"]."""
    return [c for c in ("pids", "memory") if _own_cgroup(c) is not None]


def command_limits() -> dict:
    """What bounds each command on this machine, for the run's manifest."""
    groups = cgroup_support()
    return {**dataclasses.asdict(ResourceLimits()), "cgroups": groups,
            "rlimits": ["fsize", "core"] + ([] if "memory" in groups else ["as"])}


class CommandLimits:
    """One command's cgroups (when available) and rlimits; use as a context manager around the command."""

    def __init__(self, limits: ResourceLimits, cgroups: bool = True):
        """`cgroups=False`: only the rlimits, for a process that starts commands whose own
        CommandLimits make their cgroups (a sandbox session's server)."""
        self.limits = limits
        self.groups: list[Path] = []
        self.memory_cgroups = "memory" in cgroup_support()
        name = f"pertask-{os.getpid()}-{uuid.uuid4().hex[:12]}"  # whose it is: a process checks its own
        for controller, setting, value in (("pids", "pids.max", limits.max_processes),
                                           ("memory", "memory.limit_in_bytes", limits.memory_bytes)):
            base = _own_cgroup(controller)
            if base is None or not cgroups:
                continue
            try:
                group = base / name
                group.mkdir()
                (group / setting).write_text(str(value))
                self.groups.append(group)
            except OSError:
                if controller == "memory":
                    self.memory_cgroups = False
                continue

    def adopt(self, pid: int) -> None:
        """Move a process that has not started its command yet into this command's cgroups."""
        for group in self.groups:
            (group / "cgroup.procs").write_text(str(pid))

    def preexec(self) -> None:
        """Runs in the child between fork and exec: join the cgroups, set the rlimits."""
        for group in self.groups:
            (group / "cgroup.procs").write_text(str(os.getpid()))
        resource.setrlimit(resource.RLIMIT_FSIZE, (self.limits.file_bytes, self.limits.file_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if not self.memory_cgroups:  # no memory cgroup: cap each process instead
            resource.setrlimit(resource.RLIMIT_AS, (self.limits.memory_bytes, self.limits.memory_bytes))
        # The harness ignores some signals (Ctrl-C handling): a command starts with the defaults.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)

    def release(self, remove: bool = True) -> None:
        """Kill what is left in the cgroups; remove them, or (remove=False) keep them for the next
        command of the same sandbox session, with the memory limit's hit counter back at zero."""
        for group in self.groups:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:  # a fork bomb keeps forking while it is being killed
                try:
                    pids = (group / "cgroup.procs").read_text().split()
                except OSError:
                    break
                if not pids:
                    if not remove:
                        with contextlib.suppress(OSError):
                            if (group / "memory.failcnt").is_file():
                                (group / "memory.failcnt").write_text("0")
                        break
                    with contextlib.suppress(OSError):
                        group.rmdir()  # possible once the last process is gone
                    if not group.exists():
                        break
                for pid in pids:
                    with contextlib.suppress(ProcessLookupError, ValueError):
                        os.kill(int(pid), signal.SIGKILL)
                time.sleep(0.02)

    def memory_exceeded(self) -> bool:
        for group in self.groups:
            failcnt = group / "memory.failcnt"
            with contextlib.suppress(OSError, ValueError):
                if failcnt.is_file() and int(failcnt.read_text()) > 0:
                    return True
        return False


def sweep_stale(max_age_s: float = 3600) -> int:
    """Remove empty pertask cgroups left by runs that were killed (kill -9 skips release()). Only old
    ones: a fresh empty group may belong to a command another run is starting right now."""
    removed = 0
    for controller in cgroup_support():
        for group in _own_cgroup(controller).glob("pertask-*"):
            with contextlib.suppress(OSError):
                if time.time() - group.stat().st_mtime > max_age_s and not (group / "cgroup.procs").read_text().strip():
                    group.rmdir()
                    removed += 1
    return removed

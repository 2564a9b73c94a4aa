"""Which files a sample's commands opened: its sandbox runs under strace (from outside: the agent's commands cannot
see, stop or write the trace), filtered in the kernel to successful opens (seccomp-bpf, so other system calls run
at full speed), its lines read from a pipe by a thread here and kept as a set of the workspace's paths (what
Python's imports and the system's libraries open is dropped as it comes). A flood of opens costs the flooder its own
time (strace waits on the pipe), never the harness's disk or memory: past MAX_PATHS distinct paths the set stops
growing.

Every opener counts: `cat`, Python's open(), the file tools, and `grep -r`, which opens everything it searches.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import threading

MAX_PATHS = 100_000
# `openat(AT_FDCWD</dir>, "name", O_RDONLY) = 3</dir/name>`: -y prints the path the descriptor refers to.
OPENED = re.compile(rb"= \d+<(.+)>\n?$")


@functools.cache
def strace_path() -> str | None:
    return shutil.which("strace")


class ReadTrace:
    def __init__(self, root: str) -> None:
        """`root`: the workspace as the sandbox shows it; the paths kept are those under it, relative to it."""
        self.prefix = root.rstrip("/").encode() + b"/"
        self.paths: set[str] = set()
        self._fd: int | None = None
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def wrap(self, argv: list[str]) -> tuple[list[str], tuple[int, ...]]:
        """The sandbox's command line under strace, and the descriptor to hand it (the pipe's end)."""
        read, self._fd = os.pipe()
        self._threads.append(threading.Thread(target=self._read, args=(read,), daemon=True, name="pertask-reads"))
        self._threads[-1].start()
        # strace writes to its own descriptor (close-on-exec); the one it was handed is closed by a shell before
        # the sandbox starts, so no process in the sandbox holds the pipe (a command could write lines into it).
        return [strace_path(), "-f", "-qq", "--seccomp-bpf", "-y", "-e", "trace=open,openat,openat2",
                "-e", "status=successful", "-o", f"/dev/fd/{self._fd}", "bash", "-c", f'exec {self._fd}>&- && exec "$@"',
                "bash", *argv], (self._fd,)

    def started(self) -> None:
        """The child holds the pipe's end now: the thread sees its end when the sandbox's last process exits."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def _read(self, fd: int) -> None:
        with os.fdopen(fd, "rb", buffering=1 << 16) as pipe:
            for line in pipe:
                if b"O_WRONLY" in line or b"O_DIRECTORY" in line or b"O_PATH" in line:
                    continue  # written or walked, not read
                m = OPENED.search(line)
                if m is None or not m.group(1).startswith(self.prefix):
                    continue
                with self._lock:
                    if len(self.paths) < MAX_PATHS:
                        self.paths.add(os.fsdecode(m.group(1)[len(self.prefix):]))

    def opened(self) -> set[str]:
        """The workspace's files opened, relative to it; called once the sandbox is closed (its tracer gone, so each
        reader sees the end of its pipe and stops)."""
        for t in self._threads:
            t.join(timeout=5)
        with self._lock:
            return set(self.paths)

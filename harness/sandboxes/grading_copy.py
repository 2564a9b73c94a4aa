"""The workspace as data: what graders and the judge read, made by the harness once the agent has stopped.

Grading never reads the live workspace. The merged view the agent left (an overlay's layers, a folder,
a container's working directory copied out) is copied into a fresh tree the agent never saw:
- regular files and folders only, modes normalised (rw-r--r--, or rwxr-xr-x where any x bit was set), so
  `chmod 000 .` or a file without read permission cannot stop a grader from entering or reading;
- sizes capped, per file and in all: reading stops at the cap, whatever the file claims to be (sparse
  files, a file still growing);
- links kept as links only where they resolve inside the copy; a link out of the workspace (at the hidden
  grader beside it, at /proc, at another sample) is dropped, and so is a FIFO, a socket or a device.
Each thing dropped is recorded with its reason, so a deliverable that is missing from the copy fails its
checks as the model's doing and the record says why.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .overlay import DirView

FILE_CAP = 256 << 20  # the largest file a grader or judge reads
TOTAL_CAP = 4 << 30  # all the files of one workspace together
NOTED = 50  # of the things dropped, how many are listed in the record (the count is always whole)


@dataclass
class CopyReport:
    files: int = 0
    bytes: int = 0
    dropped: list[dict[str, str]] = field(default_factory=list)
    n_dropped: int = 0

    def drop(self, rel: str, why: str) -> None:
        self.n_dropped += 1
        if len(self.dropped) < NOTED:
            self.dropped.append({"path": rel, "why": why})

    def summary(self) -> str:
        shown = "; ".join(f"{d['path']}: {d['why']}" for d in self.dropped[:5])
        more = f" (and {self.n_dropped - 5} more)" if self.n_dropped > 5 else ""
        return f"not in the graded copy: {shown}{more}"

    def as_dict(self) -> dict:
        return {"files": self.files, "bytes": self.bytes, "dropped": self.dropped, "n_dropped": self.n_dropped}


@dataclass
class Graded:
    """What grading is given once the agent has stopped (a sandbox backend's `for_grading`)."""

    box: Any  # where graders run: a sandbox over the copy, or the task's own container (the environment is the deliverable)
    workspace: Path  # the workspace graders are told of: the copy
    report: CopyReport

    @property
    def files(self) -> DirView:  # what the judge reads
        return DirView(self.workspace)


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return "not a regular file"


def copy_workspace(entries, dest: Path, workdir: str | None = None, file_cap: int = FILE_CAP,
                   total_cap: int = TOTAL_CAP) -> CopyReport:
    """Copy `entries` ((relative path, real path on the host) of every entry of the merged view, parents
    before children: a view's `entries()`) into `dest`, by the rules above. `workdir`: where the agent saw
    the workspace (/app), so an absolute link into it stays a link."""
    report = CopyReport()
    dest.mkdir(parents=True)
    links: list[tuple[str, Path]] = []
    for rel, real in entries:
        target = dest / rel
        if not target.parent.is_dir() or target.parent.is_symlink():
            continue  # under something dropped already
        try:
            st = os.lstat(real)
        except OSError as exc:
            report.drop(rel, f"unreadable: {exc.strerror}")
            continue
        if stat.S_ISDIR(st.st_mode):
            target.mkdir(mode=0o755)
        elif stat.S_ISLNK(st.st_mode):
            to = _inside(rel, os.readlink(real), workdir)
            if to is None:
                report.drop(rel, f"a link out of the workspace (to {os.readlink(real)[:200]})")
            else:
                os.symlink(to, target)
                links.append((rel, target))
        elif not stat.S_ISREG(st.st_mode):
            report.drop(rel, _kind(st.st_mode))
        elif st.st_size > file_cap:
            report.drop(rel, f"{st.st_size:,} bytes, over the {file_cap >> 20} MiB a grader reads of one file")
        elif report.bytes + st.st_size > total_cap:
            report.drop(rel, f"the workspace is over the {total_cap >> 30} GiB a grader reads in all")
        else:
            report.bytes += _copy_file(real, target, min(file_cap, total_cap - report.bytes),
                                       0o755 if st.st_mode & 0o111 else 0o644)
            report.files += 1
    root = os.path.realpath(dest)
    for rel, link in links:  # lexically inside, but a chain through other links may still lead out
        if not os.path.realpath(link).startswith(root + os.sep):
            link.unlink()
            report.drop(rel, "a link out of the workspace (through other links)")
    return report


def _inside(rel: str, to: str, workdir: str | None) -> str | None:
    """The link's target, relative, if it stays inside the workspace; None if it leads out."""
    if os.path.isabs(to):
        if not workdir or not (to == workdir or to.startswith(workdir.rstrip("/") + "/")):
            return None
        to = os.path.relpath(to, os.path.join(workdir, os.path.dirname(rel)))
    resolved = os.path.normpath(os.path.join(os.path.dirname(rel), to))
    return None if resolved == ".." or resolved.startswith("../") or os.path.isabs(resolved) else to


def _copy_file(src: Path, dest: Path, cap: int, mode: int) -> int:
    # O_NOFOLLOW: the entry was a regular file when listed and must still be one; O_NONBLOCK: never wait on a FIFO.
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK
    try:
        fd = os.open(src, flags)
    except PermissionError:  # chmod 000 by the agent: the file is the harness's user's, so it may read it again
        os.chmod(src, os.lstat(src).st_mode | 0o400)
        fd = os.open(src, flags)
    size = 0
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{src} changed while it was copied")
        with open(dest, "wb") as out:
            while size < cap and (chunk := os.read(fd, min(1 << 20, cap - size))):
                out.write(chunk)
                size += len(chunk)
    finally:
        os.close(fd)
    os.chmod(dest, mode)
    return size

"""Copy-on-write workspaces: the task's files are the read-only lower layers of an overlay
mount, and each sample gets an empty upper layer, so a sample starts with two `mkdir`s
instead of copying the repository.

The overlay is mounted in a fresh user and mount namespace between fork and exec of each
command (bubblewrap 0.8 has no overlay option), and bubblewrap then starts inside it. Only
commands (and the file tools, served inside the sandbox) see the merged view. After the agent's
loop, the harness reads the result from the layers directly with the kernel's rules (upper
first; a 0:0 character device is a deletion; a directory marked opaque hides the layers below
it): for the judge, with no overlay mounted any more.
"""

from __future__ import annotations

import ctypes
import os
import stat
import subprocess
import tempfile
from functools import cache
from pathlib import Path

CLONE_NEWNS, CLONE_NEWUSER = 0x00020000, 0x10000000
MS_REC, MS_PRIVATE = 0x4000, 0x40000
OPAQUE = "user.overlay.opaque"  # `userxattr`: the names the kernel uses inside a user namespace


class OverlayError(OSError):
    pass


def _check(ret: int, what: str) -> None:
    if ret != 0:
        err = ctypes.get_errno()
        raise OverlayError(err, f"{what}: {os.strerror(err)}")


def enter(lowers: list[Path], upper: Path, work: Path, target: Path) -> None:
    """In the child, between fork and exec: own user + mount namespace, overlay on `target`."""
    libc = ctypes.CDLL(None, use_errno=True)
    uid, gid = os.getuid(), os.getgid()
    _check(libc.unshare(CLONE_NEWUSER | CLONE_NEWNS), "unshare")
    for name, text in (("setgroups", "deny"), ("uid_map", f"0 {uid} 1"), ("gid_map", f"0 {gid} 1")):
        with open(f"/proc/self/{name}", "w") as f:
            f.write(text)
    _check(libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None), "make / private")
    opts = f"lowerdir={':'.join(map(str, lowers))},upperdir={upper},workdir={work},userxattr"
    _check(libc.mount(b"overlay", str(target).encode(), b"overlay", 0, opts.encode()), "mount overlay")


def usable_path(p: Path) -> bool:
    # The mount options are a comma- and colon-separated list: such paths would need escaping.
    return not any(c in str(p) for c in ",:\\")


@cache
def supported() -> bool:
    """Whether this kernel lets us mount an overlay in a user namespace (Linux ≥ 5.11)."""
    with tempfile.TemporaryDirectory(prefix="pertask-overlay-probe-") as d:
        dirs = [Path(d, n) for n in ("lower", "upper", "work", "mnt")]
        for p in dirs:
            p.mkdir()
        (dirs[0] / "probe").write_text("ok")
        try:
            proc = subprocess.run(["cat", str(dirs[3] / "probe")], capture_output=True, timeout=30,
                                  preexec_fn=lambda: enter([dirs[0]], dirs[1], dirs[2], dirs[3]))
        except (OSError, subprocess.SubprocessError):
            return False
        return proc.returncode == 0 and proc.stdout == b"ok"


def _whiteout(st: os.stat_result) -> bool:
    return stat.S_ISCHR(st.st_mode) and st.st_rdev == 0


def _opaque(p: Path) -> bool:
    try:
        return os.getxattr(p, OPAQUE, follow_symlinks=False) == b"y"
    except OSError:
        return False


class OverlayView:
    """The merged workspace as a command would see it, read from the host."""

    def __init__(self, lowers: list[Path], upper: Path):
        self.layers = [upper, *lowers]  # top first

    def _lookup(self, parts: tuple[str, ...]) -> list[Path]:
        """The layers' paths that make up `parts` in the merged view, top first: [] when absent; one
        entry when it is a file; all the directories that merge into it when it is a directory."""
        found = self.layers
        for i, name in enumerate(parts):
            nxt: list[Path] = []
            for layer_path in found:
                p = layer_path / name
                try:
                    st = os.lstat(p)
                except OSError:
                    continue
                if _whiteout(st):
                    break
                if stat.S_ISDIR(st.st_mode):
                    nxt.append(p)
                    if _opaque(p):
                        break
                    continue
                if not nxt:  # a file (or link) hides everything below it
                    if stat.S_ISLNK(st.st_mode) and i < len(parts) - 1:
                        raise IsADirectoryError(f"'{'/'.join(parts[:i + 1])}' is a symbolic link")
                    nxt.append(p)
                break
            found = nxt
            if not found:
                return []
            if len(found) == 1 and not found[0].is_dir() and i < len(parts) - 1:
                raise NotADirectoryError(f"'{'/'.join(parts[:i + 1])}' is not a directory")
        return found

    def locate(self, rel: str) -> Path | None:
        """The real file behind a workspace path, or None if there is no such file."""
        found = self._lookup(_parts(rel))
        if len(found) == 1 and found[0].is_symlink():
            # Read from the host, a link could point anywhere (an agent's link to /proc/1/environ).
            raise PermissionError(f"'{rel}' is a symbolic link: read it with bash")
        return found[0] if len(found) == 1 and found[0].is_file() else None

    def files(self) -> list[tuple[str, Path]]:
        """(relative path, real file) for every regular file of the merged view."""
        out: list[tuple[str, Path]] = []

        def walk(parts: tuple[str, ...], dirs: list[Path]) -> None:
            names: set[str] = set()
            for d in dirs:
                names.update(os.listdir(d))
            for name in sorted(names):
                found = self._lookup((*parts, name))
                if len(found) == 1 and found[0].is_file() and not found[0].is_symlink():
                    out.append(("/".join((*parts, name)), found[0]))
                elif found and found[0].is_dir() and not found[0].is_symlink():
                    walk((*parts, name), found)

        walk((), [p for p in self.layers if p.is_dir()])
        return out

    def entries(self) -> list[tuple[str, Path]]:
        """(relative path, real path) for every entry of the merged view, whatever its kind, parents first: what
        the grading copy is made of (harness/sandboxes/grading_copy.py). A merged folder is named by its top layer."""
        out: list[tuple[str, Path]] = []

        def walk(parts: tuple[str, ...], dirs: list[Path]) -> None:
            names: set[str] = set()
            for d in dirs:
                names.update(listdir(d))
            for name in sorted(names):
                found = self._lookup((*parts, name))
                if not found:
                    continue
                out.append(("/".join((*parts, name)), found[0]))
                if stat.S_ISDIR(os.lstat(found[0]).st_mode):
                    walk((*parts, name), found)

        walk((), [p for p in self.layers if p.is_dir()])
        return out


def _parts(rel: str) -> tuple[str, ...]:
    parts = tuple(p for p in Path(rel).parts if p not in ("", "."))
    if Path(rel).is_absolute() or ".." in parts:
        raise PermissionError(f"path '{rel}' is outside the workspace")
    return parts


class DirView:
    """A plain workspace folder (a copy), with the same interface as OverlayView."""

    def __init__(self, root: Path):
        self.root = root

    def _path(self, rel: str) -> Path:
        p = (self.root / rel).resolve()
        if not p.is_relative_to(self.root.resolve()):  # symlinks included
            raise PermissionError(f"path '{rel}' is outside the workspace")
        return p

    def locate(self, rel: str) -> Path | None:
        p = self._path(rel)
        return p if p.is_file() else None

    def write_bytes(self, rel: str, data: bytes) -> None:
        p = self._path(rel)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)

    def files(self) -> list[tuple[str, Path]]:
        return [(str(p.relative_to(self.root)), p) for p in sorted(self.root.rglob("*"))
                if p.is_file() and not p.is_symlink()]

    def entries(self) -> list[tuple[str, Path]]:
        """As OverlayView.entries: every entry, parents first, links not followed."""
        out: list[tuple[str, Path]] = []

        def walk(d: Path, rel: tuple[str, ...]) -> None:
            for name in sorted(listdir(d)):
                p = d / name
                out.append(("/".join((*rel, name)), p))
                if stat.S_ISDIR(os.lstat(p).st_mode):
                    walk(p, (*rel, name))

        if self.root.is_dir():
            walk(self.root, ())
        return out


def listdir(d: Path) -> list[str]:
    """A folder's names, even where the agent took away every permission of it (`chmod 000 .`): its files are
    the harness's user's (the sandbox's user maps onto it), so the harness may give itself access back."""
    try:
        return os.listdir(d)
    except PermissionError:
        os.chmod(d, os.lstat(d).st_mode | 0o700)
        return os.listdir(d)

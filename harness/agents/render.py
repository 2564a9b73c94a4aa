"""Deliverables as text for a judge, read from the grading copy (harness/sandboxes/grading_copy.py) and never in the
harness's own process where a parser is involved: each office file is rendered by
tasks/graders/sandboxed/render.py in a subprocess with an isolated interpreter, a cleared environment, no
network where bubblewrap is at hand, and limits on memory, CPU time, file size and wall time. A file built to
exhaust a parser (a zip bomb) costs that subprocess, and the judge is told the file could not be read, with why.
Plain files are read on the host up to the characters the judge is shown, never whole.
"""

from __future__ import annotations

import asyncio
import base64
import resource
import shutil
import sys
import tempfile
from pathlib import Path

from harness.sandboxes.bwrap import bwrap_path
from harness.sandboxes.local import PATH
from tasks.graders.base import TOOLS

OFFICE = {".xlsx", ".docx", ".pptx", ".pdf"}
MEDIA = {".mp4", ".mov", ".webm", ".mkv", ".avi", ".mp3", ".wav", ".m4a"}
MEMORY = 1 << 30  # a renderer's address space
CPU_S, WALL_S = 30, 60


def _limits(file_bytes: int = 0) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_S, CPU_S))
    resource.setrlimit(resource.RLIMIT_FSIZE, (file_bytes, file_bytes))  # the text renderer writes nothing
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


PAGES, DPI, IMAGE_BYTES = 4, 60, 2 << 20  # of a PDF, the pages drawn for a judge that takes images, and how big


def _isolated(argv: list[str], out_dir: Path | None) -> list[str]:
    bwrap = bwrap_path()
    if bwrap:  # read-only everywhere but its own output folder, no network, no other process, no capability
        binds = ["--bind", str(out_dir), str(out_dir)] if out_dir else []
        argv = [bwrap, "--ro-bind", "/", "/", *binds, "--unshare-all", "--die-with-parent",
                "--new-session", "--cap-drop", "ALL", "--clearenv", "--setenv", "PATH", PATH, *argv]
    return argv


async def _run(argv: list[str], out_dir: Path | None = None) -> tuple[int | None, bytes, bytes]:
    """A parser's process, isolated and limited: (exit code or None when it ran out of time, stdout, stderr)."""
    cap = IMAGE_BYTES if out_dir else 0
    proc = await asyncio.create_subprocess_exec(*_isolated(argv, out_dir), stdin=asyncio.subprocess.DEVNULL,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
                                                env={"PATH": PATH}, preexec_fn=lambda: _limits(cap),
                                                start_new_session=True)
    try:
        out, err = await asyncio.wait_for(proc.communicate(), WALL_S)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        return None, b"", b""
    return proc.returncode, out, err


async def page_images(path: Path, pages: int = PAGES) -> list[str]:
    """The first pages of a PDF as PNG images (base64), drawn by poppler's pdftoppm in the same isolation as the text
    renderer; [] when poppler is missing or the file cannot be drawn (its text is still shown)."""
    tool = shutil.which("pdftoppm", path=PATH)
    if path.suffix.lower() != ".pdf" or tool is None:
        return []
    with tempfile.TemporaryDirectory(prefix="pertask-pages-") as tmp:
        await _run([tool, "-png", "-r", str(DPI), "-f", "1", "-l", str(pages), str(path), f"{tmp}/page"], Path(tmp))
        drawn = sorted(Path(tmp).glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        # Whatever it drew before it failed (a page past a file-size cap is cut short: not a PNG to show).
        return [base64.b64encode(b).decode() for b in (p.read_bytes() for p in drawn[:pages])
                if b.startswith(b"\x89PNG") and b.rstrip().endswith(b"IEND\xaeB`\x82")]


async def render(path: Path, limit: int) -> str:
    """The text of one deliverable, at most `limit` characters; '(could not read: why)' when it cannot be had."""
    if path.suffix.lower() not in OFFICE:
        with open(path, "rb") as fh:
            data = fh.read(limit * 4)  # UTF-8 is at most 4 bytes a character
        if path.suffix.lower() in MEDIA:
            return f"(a {path.suffix.lower()[1:]} file of {path.stat().st_size} bytes: no judge here reads video or audio)"
        if b"\0" in data[:4096]:
            return f"(binary file, {path.stat().st_size} bytes)"
        return data.decode("utf-8", "replace")[:limit]
    code, out, err = await _run([sys.executable, "-I", str(TOOLS / "render.py"), str(path), str(limit)])
    if code is None:
        return f"(could not read: rendering took over {WALL_S} s)"
    if code != 0:
        last = (err.decode("utf-8", "replace").strip().splitlines() or [f"exit {code}"])[-1]
        if code < 0 or "MemoryError" in last:
            last = f"the renderer ran out of its {MEMORY >> 20} MiB or {CPU_S} s of CPU ({last[:200]})"
        return f"(could not read: {last[:300]})"
    return out.decode("utf-8", "replace")[:limit]

"""Deliverables as text for a judge, read from the grading copy (harness/sandboxes/grading_copy.py) and never in the
harness's own process where a parser is involved: each office file is rendered by
tasks/graders/sandboxed/render.py in a subprocess with an isolated interpreter, a cleared environment, no
network where bubblewrap is at hand, and limits on memory, CPU time, file size and wall time. A file built to
exhaust a parser (a zip bomb) costs that subprocess, and the judge is told the file could not be read, with why.
Plain files are read on the host up to the characters the judge is shown, never whole.
"""

from __future__ import annotations

import asyncio
import resource
import sys
from pathlib import Path

from harness.sandboxes.bwrap import bwrap_path
from harness.sandboxes.local import PATH
from tasks.graders.base import TOOLS

OFFICE = {".xlsx", ".docx", ".pptx", ".pdf"}
MEDIA = {".mp4", ".mov", ".webm", ".mkv", ".avi", ".mp3", ".wav", ".m4a"}
MEMORY = 1 << 30  # a renderer's address space
CPU_S, WALL_S = 30, 60


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_S, CPU_S))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # it writes nothing
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


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
    argv = [sys.executable, "-I", str(TOOLS / "render.py"), str(path), str(limit)]
    bwrap = bwrap_path()
    if bwrap:  # read-only everywhere, no network, no other process, no capability
        argv = [bwrap, "--ro-bind", "/", "/", "--unshare-all", "--die-with-parent",
                "--new-session", "--cap-drop", "ALL", "--clearenv", "--setenv", "PATH", PATH, *argv]
    proc = await asyncio.create_subprocess_exec(*argv, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
                                                stderr=asyncio.subprocess.PIPE, env={"PATH": PATH},
                                                preexec_fn=_limits, start_new_session=True)
    try:
        out, err = await asyncio.wait_for(proc.communicate(), WALL_S)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        return f"(could not read: rendering took over {WALL_S} s)"
    if proc.returncode != 0:
        last = (err.decode("utf-8", "replace").strip().splitlines() or [f"exit {proc.returncode}"])[-1]
        if proc.returncode < 0 or "MemoryError" in last:
            last = f"the renderer ran out of its {MEMORY >> 20} MiB or {CPU_S} s of CPU ({last[:200]})"
        return f"(could not read: {last[:300]})"
    return out.decode("utf-8", "replace")[:limit]

"""A disk quota per sample: what its commands may keep on the harness's disk (the workspace's writable layer and
its /tmp), 4 GiB unless --disk-gb says otherwise.

No kernel quota is at hand without root or a filesystem built for it (project quotas, a loop device per sample),
so the quota is watched: while a command runs, the sample's writable folders are measured every POLL_S seconds
(blocks in use, links not followed) and the command is stopped once they are over the quota and still growing.
What the command wrote stays; the model reads why it stopped and may delete files to go on. The per-file size
cap (ResourceLimits.file_bytes) bounds what one burst between two measurements can add.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

POLL_S = 0.2
# Growth during a command that counts as writing: below it, blocks a killed command's writes still allocate as
# they reach the disk, or a log line, do not stop a command that is deleting files to get under the quota.
GROWING = 16 << 20
T = TypeVar("T")


def usage(dirs: list[Path]) -> int:
    """Bytes of disk in use under `dirs` (allocated blocks: a sparse file counts what it holds)."""
    total, todo = 0, [str(d) for d in dirs]
    while todo:
        try:
            with os.scandir(todo.pop()) as it:
                for e in it:
                    try:
                        st = e.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    total += st.st_blocks * 512
                    if e.is_dir(follow_symlinks=False):
                        todo.append(e.path)
        except OSError:
            continue
    return total


def message(used: int, quota: int) -> str:
    return (f"\n[command stopped: this sample's files reached its disk quota of {quota / (1 << 30):g} GiB "
            f"({used / (1 << 30):.2f} GiB in the workspace and /tmp); delete files to go on]")


async def watched(work: Awaitable[T], dirs: list[Path], quota: int, kill: Callable[[], None]) -> tuple[T | None, int]:
    """`work`'s result (None if stopping it made it fail) and, if its sample is over `quota` (stopped for it, or
    over once it ended), the bytes in use then (else 0). Measured after every command too: a burst quicker than one measurement (fallocate) is seen."""
    task = asyncio.ensure_future(work)
    start, over = None, 0
    while not task.done():
        await asyncio.wait({task}, timeout=POLL_S)
        if task.done():
            break
        used = await asyncio.to_thread(usage, dirs)
        start = used if start is None else start
        if used > quota and used - start > GROWING:
            over = used
            kill()
            break
    try:
        result = await task
    except Exception:
        if over:  # it failed because it was stopped here (its sandbox killed): the quota is why
            return None, over
        raise
    if not over:
        used = await asyncio.to_thread(usage, dirs)
        over = used if used > quota else 0
    return result, over

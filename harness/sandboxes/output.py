"""What a command's output becomes, in every sandbox: read as it arrives (bounded, a flood stopped), then cut to
what the model sees, with why the command stopped."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from .limits import ResourceLimits

OUTPUT_LIMIT = 16_000  # characters the model sees of one command's output (head and tail kept)
READ_LIMIT = 8 * 1024 * 1024  # bytes read from a command before we stop listening to it


@dataclass
class CommandResult:
    exit_code: int
    output: str
    timed_out: bool = False
    truncated: bool = False


def truncate(text: str, limit: int = OUTPUT_LIMIT) -> tuple[str, bool]:
    if len(text) <= limit:
        return text, False
    half = limit // 2
    return f"{text[:half]}\n[... {len(text) - limit} characters cut ...]\n{text[-half:]}", True


class Output:
    """A command's output as it arrives, in every sandbox: the first READ_LIMIT bytes kept, all of it counted,
    and `stop` called once when it passes `limit` bytes (the command floods). Kept in an object, so what was
    read survives the timeout that cancels `collect`."""

    def __init__(self, limit: int, stop: Callable[[], None]):
        self.limit, self.stop = limit, stop
        self.chunks: list[bytes] = []
        self.size, self.flooded = 0, False

    async def collect(self, proc: asyncio.subprocess.Process) -> None:
        while chunk := await proc.stdout.read(65536):
            if self.size < READ_LIMIT:
                self.chunks.append(chunk)
            self.size += len(chunk)
            if self.size > self.limit and not self.flooded:
                self.flooded = True
                self.stop()
        await proc.wait()

    @property
    def data(self) -> bytes:
        return b"".join(self.chunks)


def command_result(data: bytes, size: int, code: int, timed_out: bool, flooded: bool, timeout_s: float,
                   limits: ResourceLimits, memory_hit: bool = False) -> CommandResult:
    """What the model sees of a finished command, in every sandbox: truncated output and why it stopped."""
    text = data.decode("utf-8", "replace")
    if size > READ_LIMIT:
        text += f"\n[... output stopped being read after {READ_LIMIT} of {size} bytes ...]"
    text, cut = truncate(text)
    if timed_out:
        text += f"\n[command timed out after {timeout_s:.0f}s and was killed]"
    if flooded:
        text += f"\n[command killed: it printed more than {limits.output_bytes >> 20} MiB]"
    if memory_hit:
        text += f"\n[command hit the memory limit of {limits.memory_bytes >> 20} MiB]"
    return CommandResult(124 if timed_out else code, text, timed_out, cut or size > READ_LIMIT)

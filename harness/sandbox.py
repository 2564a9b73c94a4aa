"""Where a sample's commands run: its own workspace copy, a timeout, truncated output,
and — where bubblewrap is installed — no network, a read-only view of the rest of the
filesystem, a private /tmp, and the suites, the run directory and other samples hidden.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import sys
from dataclasses import dataclass
from pathlib import Path

OUTPUT_LIMIT = 16_000  # characters the model sees of one command's output (head and tail kept)
READ_LIMIT = 8 * 1024 * 1024  # bytes read from a command before we stop listening to it
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


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


class Sandbox:
    def __init__(self, root: Path, hidden: list[Path], use_bwrap: bool):
        """`root` holds this sample's ws/ (the workspace), tmp/ (its /tmp) and grading/."""
        self.root = root
        self.workspace = root / "ws"
        self.tmp = root / "tmp"
        self.hidden = [p for p in hidden if p.exists()]
        self.bwrap = bwrap_path() if use_bwrap else None

    def prepare(self, source: Path) -> None:
        shutil.copytree(source, self.workspace, symlinks=True)
        self.tmp.mkdir(parents=True, exist_ok=True)

    def _argv(self, command: str, binds: list[Path], env: dict[str, str]) -> list[str]:
        base_env = {"PATH": PATH, "HOME": str(self.workspace), "LANG": "C.UTF-8", "TMPDIR": "/tmp", **env}
        if not self.bwrap:
            return ["bash", "-c", command]
        argv = [self.bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
                "--bind", str(self.tmp), "/tmp"]
        # The private /tmp covers the host's; the interpreter and pertask itself may live there.
        for keep in {Path(sys.prefix), Path(sys.base_prefix), Path(__file__).resolve().parents[1]}:
            if keep.is_relative_to("/tmp"):
                argv += ["--ro-bind", str(keep), str(keep)]
        for h in self.hidden:
            argv += ["--tmpfs", str(h)]
        for b in [self.workspace, *binds]:
            argv += ["--bind", str(b), str(b)]
        argv += ["--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--die-with-parent",
                 "--new-session", "--clearenv"]
        for k, v in base_env.items():
            argv += ["--setenv", k, v]
        return argv + ["--chdir", str(self.workspace), "bash", "-c", command]

    async def run(self, command: str, *, timeout_s: float, binds: list[Path] | None = None,
                  env: dict[str, str] | None = None) -> CommandResult:
        env = env or {}
        argv = self._argv(command, binds or [], env)
        # Without bwrap the environment is still cleared, so API keys never reach the command.
        plain_env = None if self.bwrap else {"PATH": PATH, "HOME": str(self.workspace), "LANG": "C.UTF-8",
                                             "TMPDIR": str(self.tmp), **env}
        proc = await asyncio.create_subprocess_exec(
            *argv, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT, cwd=self.workspace, env=plain_env, start_new_session=True)
        chunks: list[bytes] = []
        size = 0

        async def collect() -> None:
            nonlocal size
            while chunk := await proc.stdout.read(65536):
                if size < READ_LIMIT:
                    chunks.append(chunk)
                size += len(chunk)
            await proc.wait()

        timed_out = False
        try:
            await asyncio.wait_for(collect(), timeout_s)
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
        text = b"".join(chunks).decode("utf-8", "replace")
        if size > READ_LIMIT:
            text += f"\n[... output stopped being read after {READ_LIMIT} of {size} bytes ...]"
        text, cut = truncate(text)
        if timed_out:
            text += f"\n[command timed out after {timeout_s:.0f}s and was killed]"
        return CommandResult(proc.returncode if not timed_out else 124, text, timed_out, cut or size > READ_LIMIT)

    def cleanup(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def _kill(pid: int) -> None:
    # The whole process group: bwrap's death takes its PID namespace with it.
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass

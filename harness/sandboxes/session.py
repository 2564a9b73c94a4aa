"""A sample's long-lived sandbox: one bubblewrap (and one overlay mount) for the whole agent loop,
with harness/sandboxes/command_server.py inside running each command. Per command the harness still makes
the cgroups (the child is moved into them before it may run) and removes them after; the server
kills whatever the command left running. If the server dies or stops answering (a command may kill
it: it shares the sandbox), the session is torn down and the next command starts a new one; the
workspace lives on disk and is not lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shlex
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from .limits import CommandLimits
from .reads import ReadTrace

SERVER = Path(__file__).with_name("command_server.py")
RELAY = Path(__file__).with_name("relay.py")  # an external agent's route to the metering proxy (relay.py)
GRACE_S = 15  # beyond a command's own timeout, before the server is taken for dead


class SessionError(OSError):
    """The server died or stopped answering; to the agent, a failed command or file tool."""


class SandboxUnavailable(RuntimeError):
    """The sandbox could not be started at all (no user namespaces, bubblewrap refused): the machine's
    trouble, never the model's, so not an OSError that the agent's tools would show it as a failed command."""


class Session:
    def __init__(self, argv_for: Callable[[str], list[str]] | None, cwd: Path, preexec: Callable[[], None] | None,
                 argv: list[str] | None = None, env: dict[str, str] | None = None, trace: ReadTrace | None = None):
        """`argv_for` wraps the server's command line in the sandbox; or `argv` starts the server itself
        (a container's: its own interpreter, the server's source on the command line; `env`, what the
        engine's client needs to reach its daemon — never a key, and not passed into the container)."""
        self.env = env or {"PATH": os.environ.get("PATH", "")}
        # -I -S: no user site, no environment, no site-packages: the server needs the standard library only.
        self.argv = argv or argv_for(f"exec {shlex.quote(sys.executable)} -I -S {shlex.quote(str(SERVER))}")
        self.cwd, self.preexec, self.trace = cwd, preexec, trace  # trace: the files its commands open (reads.py)
        self.proc: asyncio.subprocess.Process | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.lock = asyncio.Lock()

    async def _start(self) -> None:
        self.loop = asyncio.get_running_loop()
        argv, fds = self.trace.wrap(self.argv) if self.trace is not None else (self.argv, ())
        try:
            self.proc = await asyncio.create_subprocess_exec(
                *argv, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE, cwd=self.cwd, env=self.env, pass_fds=fds,
                start_new_session=True, preexec_fn=self.preexec, limit=1 << 20)
        except (OSError, subprocess.SubprocessError) as exc:  # the overlay or the exec failed before it ran
            raise SandboxUnavailable(f"the sandbox could not start: {exc}") from exc
        finally:
            if self.trace is not None:
                self.trace.started()
        try:
            await self._read(30)
        except SessionError as exc:  # bubblewrap exited before the server said it was ready
            self._kill()
            why = b""
            with contextlib.suppress(TimeoutError, ValueError):
                why = await asyncio.wait_for(self.proc.stderr.read(2000), 5)
            self.proc._transport.close()
            self.proc = None
            raise SandboxUnavailable(f"the sandbox could not start: {why.decode(errors='replace').strip() or exc}") from exc

    async def _send(self, req: dict) -> None:
        self.proc.stdin.write(json.dumps(req).encode() + b"\n")
        await self.proc.stdin.drain()

    async def _read(self, timeout: float) -> tuple[dict, bytes]:
        try:
            async with asyncio.timeout(timeout):  # not wait_for: that makes a task per read
                line = await self.proc.stdout.readline()
                if not line:
                    raise SessionError("the sandbox's command server exited")
                header = json.loads(line)
                return header, (await self.proc.stdout.readexactly(header["len"]) if header["len"] else b"")
        except (TimeoutError, ValueError, KeyError, asyncio.IncompleteReadError) as exc:
            raise SessionError(f"the sandbox's command server stopped answering ({type(exc).__name__})") from exc

    async def request(self, req: dict, timeout: float, guard: CommandLimits | None = None) -> tuple[dict, bytes]:
        async with self.lock:
            try:
                if self.proc is not None and self.loop is not asyncio.get_running_loop():
                    self._drop()  # started under another event loop (asyncio.run per call): start afresh
                if self.proc is None or self.proc.returncode is not None:
                    await self._start()
                await self._send(req)
                if req.get("gate"):
                    header, _ = await self._read(GRACE_S)
                    pid = _host_pid(self.proc.pid, header["started"])
                    if pid is not None and guard is not None:
                        guard.adopt(pid)
                    await self._send({"go": True})
                return await self._read(timeout + GRACE_S)
            except OSError as exc:  # a broken pipe, a reset, a server that went quiet
                await self.close()
                raise exc if isinstance(exc, SessionError) else SessionError(f"the sandbox's server: {exc}") from exc
            except BaseException:  # cancelled mid-request (Ctrl-C): no awaiting here
                self._kill()
                if self.proc is not None:  # closed now, or asyncio closes it in a destructor after the loop has gone
                    self.proc._transport.close()  # SubprocessTransport.close(); Process does not expose it
                    self.proc = None
                raise

    def kill(self) -> None:
        """Stop the sandbox now, from outside a request (a disk quota): the request in flight fails with SessionError."""
        self._kill()

    def _kill(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)  # bwrap's death takes the namespace with it

    async def close(self) -> None:
        if self.proc is not None and self.loop is not asyncio.get_running_loop():
            self._drop()
        elif self.proc is not None:
            self._kill()
            with contextlib.suppress(ProcessLookupError, TimeoutError):
                await asyncio.wait_for(self.proc.wait(), 10)
            self.proc._transport.close()
            self.proc = None

    def _drop(self) -> None:
        """Kill a session whose event loop has gone: its transport can only be marked closed (closing
        it schedules a callback on that loop, which raises; left open, its destructor tries again)."""
        self._kill()
        with contextlib.suppress(RuntimeError):
            self.proc._transport.close()
        self.proc = None


def _host_pid(root: int, ns_pid: int) -> int | None:
    """The host PID of the server's child `ns_pid` (a PID inside the sandbox's namespace): among
    bubblewrap's descendants, the one whose innermost NSpid is it."""
    todo = [root]
    while todo:
        pid = todo.pop()
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            continue
        nspid = next((line.split()[-1] for line in status.splitlines() if line.startswith("NSpid:")), None)
        if pid != root and nspid == str(ns_pid):
            return pid
        todo += [int(k) for k in kids]
    return None

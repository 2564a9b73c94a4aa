"""Runs inside a sample's sandbox for the whole agent loop and runs its commands, so that a command
costs a fork and an exec instead of a new bubblewrap (namespaces, mounts, an interpreter).

Standard library only: it starts with `python -I -S` and imports nothing of pertask. It reads one JSON
request per line on stdin and answers with one JSON line, followed, for a command or a read, by
`len` bytes of output. Requests:
  {"op": "run", "command": ..., "timeout": s, "read_limit": n, "output_limit": n, "gate": bool, "reap": bool}
      with "gate", the child waits after fork until the harness has moved it into its cgroups:
      the server answers {"started": pid} first and waits for a line before letting it go;
  {"op": "read", "path": ...} and {"op": "write", "path": ..., "text": ...}: the file tools, which
      see the workspace exactly as commands do (through the overlay, inside the sandbox).
After a command the server kills every process of the sandbox but itself and PID 1, so nothing a
command leaves running survives into the next one (as when each command had its own sandbox); with
"reap": false (a container whose verifier needs the services the agent starts) only the command's own
process group is killed, and only when it timed out or flooded.
"""

import json
import os
import resource
import select
import signal
import sys
import time
from pathlib import Path

WORKSPACE = Path(os.getcwd()).resolve()


def reply(header: dict, data: bytes = b"") -> None:
    sys.stdout.buffer.write(json.dumps({**header, "len": len(data)}).encode() + b"\n" + data)
    sys.stdout.buffer.flush()


def kill_others(reaped: dict[int, int]) -> None:
    """Kill every process but PID 1 and this one; `reaped` gets the exit status of our children."""
    me = os.getpid()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # a fork bomb keeps forking while it is being killed
        try:
            while (child := os.waitpid(-1, os.WNOHANG))[0]:  # our children linger as zombies until reaped
                reaped[child[0]] = child[1]
        except ChildProcessError:
            pass
        pids = [int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) not in (1, me)]
        if not pids:
            return
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.001)


def run(req: dict, wake: int) -> None:
    out_r, out_w = os.pipe()
    gate_r, gate_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(out_r)
            os.close(gate_w)
            if req.get("gate"):
                os.read(gate_r, 1)  # in its cgroups before it can fork
            os.setsid()
            # The sandbox's file-size cap as a hard limit: only the harness's own verifier may lift it (a container
            # holds it as a soft limit, so that the verifier's installs can).
            cap = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
            resource.setrlimit(resource.RLIMIT_FSIZE, (cap, cap))
            null = os.open("/dev/null", os.O_RDONLY)
            os.dup2(null, 0)
            os.dup2(out_w, 1)
            os.dup2(out_w, 2)
            os.closerange(3, 65536)
            for sig in (signal.SIGCHLD, signal.SIGPIPE, signal.SIGINT, signal.SIGXFSZ):  # Python ignores some
                signal.signal(sig, signal.SIG_DFL)
            os.execvp("bash", ["bash", "-c", req["command"]])
        finally:
            os._exit(127)
    os.close(out_w)
    os.close(gate_r)
    if req.get("gate"):
        reply({"started": pid})
        sys.stdin.buffer.readline()
    os.close(gate_w)
    chunks, size, reaped = [], 0, {}
    timed_out = flooded = False
    deadline = time.monotonic() + req["timeout"]
    watch = [out_r, wake]
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            timed_out = True
            break
        ready, _, _ = select.select(watch, [], [], left)
        if wake in ready:
            os.read(wake, 4096)
            done, st = os.waitpid(pid, os.WNOHANG)
            if done:
                reaped[pid] = st
                break  # the command is over: what it left behind holds the pipe open, if anything
        if out_r in ready:
            chunk = os.read(out_r, 65536)
            if not chunk:
                watch = [wake]  # its output closed; the command ends when its process does
                continue
            if size < req["read_limit"]:
                chunks.append(chunk)
            size += len(chunk)
            if size > req["output_limit"]:
                flooded = True  # gigabytes of output: stop the command, not just the reading
                break
    if req.get("reap", True):
        kill_others(reaped)
    elif pid not in reaped:  # timed out or flooded: its process group goes, what it detached lives on
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        reaped[pid] = os.waitpid(pid, 0)[1]
    os.set_blocking(out_r, False)
    try:  # what was written before the end and not read yet
        while size < req["read_limit"] and (chunk := os.read(out_r, 65536)):
            chunks.append(chunk)
            size += len(chunk)
    except BlockingIOError:
        pass
    os.close(out_r)
    code = os.waitstatus_to_exitcode(reaped.get(pid, 9))  # not reaped: it cannot have exited by itself
    reply({"exit": code, "timed_out": timed_out, "flooded": flooded, "size": size}, b"".join(chunks))


def inside(rel: str, anywhere: bool = False) -> Path:
    p = (WORKSPACE / rel).resolve()
    if anywhere:  # a container of the task's own: its whole file system is the agent's to use
        return p
    if not p.is_relative_to(WORKSPACE):  # symlinks resolved here, in the sandbox's own view
        raise PermissionError(f"path '{rel}' is outside the workspace")
    return p


def main() -> None:
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    reply({"ready": os.getpid()})
    for line in sys.stdin.buffer:
        req = json.loads(line)
        try:
            if req["op"] == "run":
                run(req, wake_r)
            elif req["op"] == "read":
                p = inside(req["path"], req.get("anywhere", False))
                if not p.is_file():
                    reply({"missing": True})
                else:
                    reply({}, p.read_bytes())
            elif req["op"] == "write":
                p = inside(req["path"], req.get("anywhere", False))
                p.parent.mkdir(parents=True, exist_ok=True)
                p.write_text(req["text"], encoding="utf-8")
                reply({})
        except (OSError, UnicodeError, ValueError) as exc:
            reply({"error": str(exc)})


if __name__ == "__main__":
    main()

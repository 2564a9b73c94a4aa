"""External agents: a CLI agent run in the sample's sandbox in place of pertask's own loop, its every model
call going through the metering proxy (harness/proxy.py) with a key of the sample's own.

`--agent NAME` for an agent with an adapter here (mini-swe-agent), or `--agent 'cmd:TEMPLATE'`: TEMPLATE is a
shell command run in the workspace; `{instruction_file}` in it is the path of a file holding the task's
instruction, `{model}` the model's name. The agent finds its model where agents look for one:
OPENAI_BASE_URL / OPENAI_API_BASE (…/v1) and ANTHROPIC_BASE_URL point at a relay on the sandbox's own
loopback (its only way out, to the proxy's socket bound in), OPENAI_API_KEY and ANTHROPIC_API_KEY hold the
sample's key, PERTASK_MODEL the model's name. The upstream key stays in pertask's process.

Bubblewrap only, for now: the container sandbox binds no host folder, so the proxy's socket cannot reach it.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from providers.base import SpecError
from providers.client import HTTPModel
from results.records import ErrorClass
from tasks.graders.base import read_verdict

from .agent import AgentResult
from .proxy import Meter, MeteringProxy
from .sandbox import RELAY, Sandbox

PORT = 18080  # on the sandbox's own loopback
LOG_LIMIT = 4 << 20  # of an agent's own log, what the transcript keeps


@dataclass(frozen=True)
class Adapter:
    """How a named agent is installed and started: a pip package in a virtual environment of its own under
    the user's cache (made on first use from the package index, bound read-only into the sandbox), the
    command that runs it on one task, what it reads from its environment, and where it leaves its log."""
    package: str
    command: str  # {bin}: the environment's bin/, {instruction_file}, {model}: the model's name
    env: dict[str, str] = field(default_factory=dict)
    log: str = ""  # a file in the sandbox's /tmp: kept as the agent's own transcript


ADAPTERS = {
    # mini-swe-agent 2.x: its `mini` CLI with the local environment (commands in the sandbox it runs in),
    # LiteLLM's OpenAI route to the proxy, no confirmations, its trajectory as the log.
    "mini-swe-agent": Adapter(
        "mini-swe-agent==2.4.6",
        '{bin}/mini -m openai/{model} -t "$(cat {instruction_file})" -y --exit-immediately -o /tmp/mini.traj.json',
        {"MSWEA_CONFIGURED": "true", "MSWEA_COST_TRACKING": "ignore_errors", "MSWEA_GLOBAL_CONFIG_DIR": "/tmp/mswea",
         "MSWEA_SILENT_STARTUP": "1", "LITELLM_LOCAL_MODEL_COST_MAP": "True", "XDG_CACHE_HOME": "/tmp/.cache"},
        "mini.traj.json"),
}
AGENTS = {"cmd": "a shell command template: 'cmd:python3 my_agent.py {instruction_file}'",
          **{name: f"pip {a.package}" for name, a in ADAPTERS.items()}}


def parse_agent(spec: str | None) -> CommandAgent | None:
    """--agent SPEC: None for pertask's own loop."""
    if not spec or spec == "builtin":
        return None
    kind, _, rest = spec.partition(":")
    if kind not in AGENTS:
        raise SpecError(f"unknown agent '{kind}' (valid: builtin, {', '.join(f'{k} ({v})' for k, v in AGENTS.items())})")
    if kind in ADAPTERS:
        return CommandAgent(ADAPTERS[kind].command, kind, ADAPTERS[kind])
    if not rest.strip():
        raise SpecError("--agent cmd: needs a command, e.g. 'cmd:python3 agent.py {instruction_file}'")
    return CommandAgent(rest, f"cmd:{rest}")


def install(adapter: Adapter, note: Any = lambda _m: None) -> Path:
    """The adapter's environment, made once per package version and reused."""
    from results.store import cache_root, slug

    home = cache_root() / "agents" / slug(adapter.package)
    if (home / ".complete").is_file():
        return home
    note(f"installing {adapter.package} into {home} (once; about a minute)")
    shutil.rmtree(home, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(home)], check=True, capture_output=True)
    proc = subprocess.run([str(home / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                           adapter.package], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SpecError(f"installing {adapter.package} failed: {(proc.stderr or proc.stdout).strip()[-400:]}")
    (home / ".complete").write_text(adapter.package)
    return home


@dataclass
class CommandAgent:
    template: str
    name: str
    adapter: Adapter | None = None
    home: Path | None = None  # the adapter's installed environment
    _proxy: MeteringProxy | None = field(default=None, repr=False)

    def prepare(self, note: Any = lambda _m: None) -> None:
        """Before the run: the adapter's package installed (from the package index, on the host)."""
        if self.adapter is not None:
            self.home = install(self.adapter, note)

    def open_spend(self) -> float:
        """What the samples still at work have spent so far (the run's budget counts it)."""
        return sum(m.usd or 0.0 for m in self._proxy.meters.values()) if self._proxy else 0.0

    async def run(self, model: Any, sample_id: str, instruction: str, sandbox: Sandbox, limits: Any,
                  on_call: Any, over_budget: Any = None) -> AgentResult:
        if not isinstance(model, HTTPModel):
            raise SpecError(f"{model.info.spec}: an external agent calls its model over HTTP, through the proxy "
                            "(give a provider, vllm:NAME@URL or scripted:FILE)")
        if not isinstance(sandbox, Sandbox) or not sandbox.bwrap:
            raise SpecError("external agents run in the bubblewrap sandbox for now (install bubblewrap; not "
                            "--sandbox none or container)")
        if self._proxy is None:
            self._proxy = MeteringProxy()
            await self._proxy.start()
        meter = Meter(sample_id, model, on_call, limits.max_tokens, limits.max_usd, over_budget)
        sock_dir = Path(tempfile.mkdtemp(prefix="pt-", dir="/tmp"))  # short: a socket path has 108 bytes at most
        site = await self._proxy.listen_unix(str(sock_dir / "p.sock"))
        key = self._proxy.open(meter)
        try:
            (sandbox.tmp / "instruction.md").write_text(instruction)
            base = f"http://127.0.0.1:{PORT}"
            env = {"OPENAI_BASE_URL": f"{base}/v1", "OPENAI_API_BASE": f"{base}/v1", "OPENAI_API_KEY": key,
                   "ANTHROPIC_BASE_URL": base, "ANTHROPIC_API_KEY": key, "PERTASK_MODEL": model.info.model_name or "",
                   "PERTASK_INSTRUCTION_FILE": "/tmp/instruction.md", **(self.adapter.env if self.adapter else {})}
            relay = (f"python3 -I -S {shlex.quote(str(RELAY))} {PORT} {shlex.quote(str(sock_dir / 'p.sock'))} "
                     "/tmp/.pertask-relay-ready & for _ in $(seq 250); do [ -e /tmp/.pertask-relay-ready ] && break; "
                     "sleep 0.02; done; ")
            command = relay + (self.template.replace("{instruction_file}", "/tmp/instruction.md")
                               .replace("{model}", shlex.quote(model.info.model_name or ""))
                               .replace("{bin}", shlex.quote(str(self.home / "bin")) if self.home else "{bin}"))
            res = await sandbox.run(command, timeout_s=limits.timeout_s, binds=[sock_dir], env=env,
                                    ro_binds=[self.home] if self.home else None)
        finally:
            self._proxy.close(key)
            await site.stop()
            shutil.rmtree(sock_dir, ignore_errors=True)
        own = _agent_log(sandbox, self.adapter.log) if self.adapter and self.adapter.log else None
        out = AgentResult(messages=[{"role": "user", "content": instruction},
                                    {"role": "agent", "content": res.output, "exit_code": res.exit_code,
                                     **({"log": own} if own is not None else {})}],
                          calls=meter.calls, usage=meter.usage, turns=len(meter.calls), submitted=res.exit_code == 0)
        if meter.stopped:
            out.error, out.error_detail = ErrorClass.limit, meter.stopped
        elif res.timed_out:
            out.error, out.error_detail = ErrorClass.limit, f"wall-time limit of {limits.timeout_s:.0f}s"
        return out

    async def aclose(self) -> None:
        if self._proxy is not None:
            await self._proxy.stop()


def _agent_log(sandbox: Sandbox, name: str) -> str | None:
    """The agent's own log, as the host reads a file the sandbox wrote: bounded, never through a link, never
    outside the sandbox's /tmp (what a model's commands leave there could point anywhere on the host)."""
    try:
        return read_verdict(sandbox.tmp / name, sandbox.tmp, LOG_LIMIT)
    except OSError:
        return None

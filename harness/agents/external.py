"""External agents: a CLI agent run in the sample's sandbox in place of pertask's own loop, its every model
call going through the metering proxy (harness/agents/proxy.py) with a key of the sample's own.

`--agent NAME` for an agent with an adapter (harness/agents/adapters.py: mini-swe-agent, aider, claude-code, codex),
`--agent NAME:PATH` for that agent from an executable of the user's, or `--agent 'cmd:TEMPLATE'`: TEMPLATE
is a shell command run in the workspace; `{instruction_file}` in it is the path of a file holding the
task's instruction, `{model}` the model's name. The agent finds its model where agents look for one:
OPENAI_BASE_URL / OPENAI_API_BASE (…/v1) and ANTHROPIC_BASE_URL point at a relay on the sandbox's own
loopback (its only way out, to the proxy's Unix socket), OPENAI_API_KEY and ANTHROPIC_API_KEY hold the
sample's key, PERTASK_MODEL the model's name. The upstream key stays in pertask's process.

In bubblewrap the socket's folder is bound in and the relay runs inside. A container gets no host folder
but the agent's own installation, read-only: the relay runs on the host, joined to the container's network
namespace only (nsenter), so the container still has nothing but its loopback.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from providers.base import SpecError
from results.records import ErrorClass
from tasks.graders.base import read_verdict

from .adapters import ADAPTERS, DIALECT_NAMES, QUIET, Adapter, base_prefix, describe, install
from .base import Agent, AgentResult, Assignment
from .builtin import BuiltinAgent
from .proxy import Meter, MeteringProxy

PORT = 18080  # on the sandbox's own loopback
LOG_LIMIT = 4 << 20  # of an agent's own log, what the transcript keeps
INSTRUCTION = "/tmp/instruction.md"


def parse_agent(spec: str | None) -> Agent:
    """--agent SPEC (none, or `builtin`: pertask's own loop)."""
    if not spec or spec == "builtin":
        return BuiltinAgent()
    kind, _, rest = spec.partition(":")
    agents = describe()
    if kind not in agents:
        raise SpecError(f"unknown agent '{kind}' (valid: builtin, {', '.join(f'{k} ({v})' for k, v in agents.items())})")
    if kind in ADAPTERS:
        return CommandAgent(ADAPTERS[kind].command, kind, ADAPTERS[kind], given=rest.strip())
    if not rest.strip():
        raise SpecError("--agent cmd: needs a command, e.g. 'cmd:python3 agent.py {instruction_file}'")
    return CommandAgent(rest, f"cmd:{rest}")


@dataclass
class CommandAgent:
    external: ClassVar[bool] = True
    template: str
    name: str
    adapter: Adapter | None = None
    given: str = ""  # NAME:PATH: the user's own executable of the agent
    exe: Path | None = None
    mounts: list[Path] = field(default_factory=list)  # what the sandbox gets read-only: the agent's installation
    _proxy: MeteringProxy | None = field(default=None, repr=False)

    def prepare(self, note: Any = lambda _m: None) -> None:
        """Before the run: the adapter's package installed (from its registry, on the host), or the user's
        executable checked."""
        if self.adapter is None:
            return
        if self.given:
            exe = Path(self.given).expanduser().resolve()
            if not (exe.is_file() and os.access(exe, os.X_OK)):
                raise SpecError(f"--agent {self.name}:{self.given}: not an executable file")
            self.exe, self.mounts = exe, [exe.parent]
        else:
            home, self.exe = install(self.name, self.adapter, note)
            base = base_prefix(home) if self.adapter.source == "pip" else None
            self.mounts = [home, *([base] if base and not Path(sys.base_prefix).samefile(base) else [])]

    def unsuitable(self, model: Any) -> str:
        """Why this agent cannot work with that model ('' when it can): it speaks its own dialects only."""
        if not model.over_http:
            return f"{model.info.spec} cannot be called over HTTP, which an external agent's calls need"
        wants = list(self.adapter.models) if self.adapter else []
        if wants and model.profile.wire not in wants:
            said = " or ".join(DIALECT_NAMES[d] for d in wants)
            examples = {"anthropic": "anthropic: or zai-anthropic:", "responses": "openai:", "chat": "openai-chat:"}
            return (f"{self.name} speaks {said}; {model.info.spec} is reached over {DIALECT_NAMES[model.profile.wire]} "
                    f"(give a provider of that wire, e.g. {examples[wants[0]]})")
        return ""

    def model_arg(self, model: Any) -> str:
        """The model's name as this agent is told it on the model's wire."""
        name = model.info.model_name or ""
        form = self.adapter.models.get(model.profile.wire, "{model}") if self.adapter else "{model}"
        return form.replace("{model}", name)

    def container_problem(self) -> str:
        """Why this agent cannot run in the container sandbox ('' when it can)."""
        if self.adapter is not None and self.adapter.source == "pip":  # the user's own copy is one too
            return (f"{self.name} is a Python package installed for the host's interpreter: it runs in the "
                    "bubblewrap sandbox (a container's image has a python of its own); --sandbox bwrap")
        if os.geteuid() != 0:
            return ("an external agent in a container needs pertask run as root: its relay joins the container's "
                    "network namespace (or --sandbox bwrap)")
        return ""

    def open_spend(self) -> float:
        """What the samples still at work have spent so far (the run's budget counts it)."""
        return sum(m.usd or 0.0 for m in self._proxy.meters.values()) if self._proxy else 0.0

    def environment(self, key: str, model_name: str) -> dict[str, str]:
        base = f"http://127.0.0.1:{PORT}"
        own = {k: v.replace("{model}", model_name) for k, v in (self.adapter.env if self.adapter else {}).items()}
        return {"OPENAI_BASE_URL": f"{base}/v1", "OPENAI_API_BASE": f"{base}/v1", "OPENAI_API_KEY": key,
                "ANTHROPIC_BASE_URL": base, "ANTHROPIC_API_KEY": key, "PERTASK_MODEL": model_name,
                "PERTASK_INSTRUCTION_FILE": INSTRUCTION, **QUIET, **own}

    def command(self, model_name: str, exe: Path | None = None) -> str:
        exe = exe or self.exe
        return (self.template.replace("{instruction_file}", INSTRUCTION).replace("{model}", shlex.quote(model_name))
                .replace("{exe}", shlex.quote(str(exe)) if exe else "{exe}"))

    async def run(self, job: Assignment) -> AgentResult:
        model, instruction, sandbox, limits = job.model, job.instruction, job.sandbox, job.limits
        if why := self.unsuitable(model):
            raise SpecError(why)
        if self._proxy is None:
            self._proxy = MeteringProxy()
            await self._proxy.start()
        meter = Meter(job.sample_id, model, job.on_call, limits.max_tokens, limits.max_usd, job.over_budget)
        sock_dir = Path(tempfile.mkdtemp(prefix="pt-", dir="/tmp"))  # short: a socket path has 108 bytes at most
        sock = sock_dir / "p.sock"
        site = await self._proxy.listen_unix(str(sock))
        key = self._proxy.open(meter)
        name, arg = model.info.model_name or "", self.model_arg(model)
        try:
            exe = sandbox.agent_path(self.exe) if self.exe else None
            if sandbox.runs_images and (why := self.container_problem()):
                raise SpecError(why)
            # What a library agent's driver needs to know that a CLI agent is told by its flags.
            told = {"PERTASK_MAX_TURNS": str(limits.max_turns),
                    **({"PERTASK_CONTEXT": str(model.info.context)} if model.info.context else {})}
            if job.system:  # a published benchmark's own system prompt (AA-Briefcase's), for an agent that takes one
                (sandbox.tmp / "system.md").write_text(job.system)
                told["PERTASK_SYSTEM_FILE"] = "/tmp/system.md"
            res = await sandbox.launch_agent(self.command(arg, exe), instruction=instruction,
                                             env=self.environment(key, name) | told, sock=sock, port=PORT,
                                             timeout_s=limits.timeout_s, mounts=self.mounts,
                                             log=self.adapter.log if self.adapter else None)
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


def _agent_log(sandbox: Any, name: str) -> str | None:
    """The agent's own log, as the host reads a file the sandbox wrote: bounded, never through a link, never
    outside the sandbox's /tmp (what a model's commands leave there could point anywhere on the host)."""
    try:
        return read_verdict(sandbox.tmp / name, sandbox.tmp, LOG_LIMIT)
    except OSError:
        return None

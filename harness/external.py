"""External agents: a CLI agent run in the sample's sandbox in place of pertask's own loop, its every model
call going through the metering proxy (harness/proxy.py) with a key of the sample's own.

`--agent 'cmd:TEMPLATE'`: TEMPLATE is a shell command run in the workspace; `{instruction_file}` in it is the
path of a file holding the task's instruction. The agent finds its model where agents look for one:
OPENAI_BASE_URL / OPENAI_API_BASE (…/v1) and ANTHROPIC_BASE_URL point at a relay on the sandbox's own
loopback (its only way out, to the proxy's socket bound in), OPENAI_API_KEY and ANTHROPIC_API_KEY hold the
sample's key, PERTASK_MODEL the model's name. The upstream key stays in pertask's process.

Bubblewrap only, for now: the container sandbox binds no host folder, so the proxy's socket cannot reach it.
"""

from __future__ import annotations

import shlex
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from providers.base import SpecError
from providers.client import HTTPModel
from results.records import ErrorClass

from .agent import AgentResult
from .proxy import Meter, MeteringProxy
from .sandbox import RELAY, Sandbox

AGENTS = {"cmd": "a shell command template: 'cmd:python3 my_agent.py {instruction_file}'"}
PORT = 18080  # on the sandbox's own loopback


def parse_agent(spec: str | None) -> CommandAgent | None:
    """--agent SPEC: None for pertask's own loop."""
    if not spec or spec == "builtin":
        return None
    kind, _, rest = spec.partition(":")
    if kind not in AGENTS:
        raise SpecError(f"unknown agent '{kind}' (valid: builtin, {', '.join(f'{k} ({v})' for k, v in AGENTS.items())})")
    if not rest.strip():
        raise SpecError("--agent cmd: needs a command, e.g. 'cmd:python3 agent.py {instruction_file}'")
    return CommandAgent(rest)


@dataclass
class CommandAgent:
    template: str
    _proxy: MeteringProxy | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        return f"cmd:{self.template}"

    async def run(self, model: Any, sample_id: str, instruction: str, sandbox: Sandbox, limits: Any,
                  on_call: Any) -> AgentResult:
        if not isinstance(model, HTTPModel):
            raise SpecError(f"{model.info.spec}: an external agent calls its model over HTTP, through the proxy "
                            "(give a provider, vllm:NAME@URL or scripted:FILE)")
        if not isinstance(sandbox, Sandbox) or not sandbox.bwrap:
            raise SpecError("external agents run in the bubblewrap sandbox for now (install bubblewrap; not "
                            "--sandbox none or container)")
        if self._proxy is None:
            self._proxy = MeteringProxy()
            await self._proxy.start()
        meter = Meter(sample_id, model, on_call, limits.max_tokens, limits.max_usd)
        sock_dir = Path(tempfile.mkdtemp(prefix="pt-", dir="/tmp"))  # short: a socket path has 108 bytes at most
        site = await self._proxy.listen_unix(str(sock_dir / "p.sock"))
        key = self._proxy.open(meter)
        try:
            (sandbox.tmp / "instruction.md").write_text(instruction)
            base = f"http://127.0.0.1:{PORT}"
            env = {"OPENAI_BASE_URL": f"{base}/v1", "OPENAI_API_BASE": f"{base}/v1", "OPENAI_API_KEY": key,
                   "ANTHROPIC_BASE_URL": base, "ANTHROPIC_API_KEY": key, "PERTASK_MODEL": model.info.model_name or "",
                   "PERTASK_INSTRUCTION_FILE": "/tmp/instruction.md"}
            relay = (f"python3 -I -S {shlex.quote(str(RELAY))} {PORT} {shlex.quote(str(sock_dir / 'p.sock'))} "
                     "/tmp/.pertask-relay-ready & for _ in $(seq 250); do [ -e /tmp/.pertask-relay-ready ] && break; "
                     "sleep 0.02; done; ")
            command = relay + self.template.replace("{instruction_file}", "/tmp/instruction.md")
            res = await sandbox.run(command, timeout_s=limits.timeout_s, binds=[sock_dir], env=env)
        finally:
            self._proxy.close(key)
            await site.stop()
            shutil.rmtree(sock_dir, ignore_errors=True)
        out = AgentResult(messages=[{"role": "user", "content": instruction},
                                    {"role": "agent", "content": res.output, "exit_code": res.exit_code}],
                          calls=meter.calls, usage=meter.usage, turns=len(meter.calls), submitted=res.exit_code == 0)
        if meter.stopped:
            out.error, out.error_detail = ErrorClass.limit, meter.stopped
        elif res.timed_out:
            out.error, out.error_detail = ErrorClass.limit, f"wall-time limit of {limits.timeout_s:.0f}s"
        return out

    async def aclose(self) -> None:
        if self._proxy is not None:
            await self._proxy.stop()

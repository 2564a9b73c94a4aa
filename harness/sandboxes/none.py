"""`--sandbox none`: commands run as plain processes of the harness's user in the sample's own workspace (a copy),
with the environment cleared, a timeout, cgroup limits and a disk quota, but no isolation: they can reach the
network and the whole filesystem. For machines without bubblewrap; the run warns, and the red-team suite does not
apply to it."""

from __future__ import annotations

from pathlib import Path

from .base import SandboxError
from .local import HostSandbox
from .output import CommandResult


class PlainSandbox(HostSandbox):
    name = "none"
    isolated = False
    needs = ""

    @classmethod
    def available(cls) -> bool:
        return True

    def _command(self, command: str, binds: list[Path], env: dict[str, str], mounts: dict[str, Path] | None,
                 ro_binds: list[Path] | None) -> tuple[list[str], dict[str, str]]:
        if mounts:
            raise SandboxError(f"mapping {', '.join(mounts)} needs bubblewrap (apt-get install bubblewrap)")
        return ["bash", "-c", command], self._env(str(self.tmp), env)

    async def launch_agent(self, command: str, *, instruction: str, env: dict[str, str], sock: Path, port: int,
                           timeout_s: float, mounts: list[Path], log: str | None) -> CommandResult:
        raise SandboxError("an external agent runs in an isolating sandbox (not --sandbox none: its only route out "
                           "is the proxy's)")

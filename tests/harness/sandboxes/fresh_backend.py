"""A fourth sandbox backend, for tests only: bubblewrap with a fresh sandbox for every command (no session, so
nothing an agent's command starts survives into the next) and a copied workspace (no overlay).

It exists to prove that a backend is one file and one line of SANDBOXES: the tests register it through the table
alone (tests/harness/sandboxes/conftest.py) and the red-team suite runs against it like any other."""

from __future__ import annotations

from pathlib import Path

from harness.sandboxes.bwrap import BwrapSandbox
from harness.sandboxes.local import HostSandbox
from harness.sandboxes.output import CommandResult


class FreshSandbox(BwrapSandbox):
    name = "fresh"

    @classmethod
    def workspaces(cls, keep: bool) -> str:
        return "copy"

    def _lowers(self, source: Path, copies: list[tuple[Path, str]] | None) -> list[Path] | None:
        return None

    async def run(self, command: str, *, timeout_s: float, binds: list[Path] | None = None,
                  env: dict[str, str] | None = None, mounts: dict[str, Path] | None = None,
                  ro_binds: list[Path] | None = None, fresh: bool = False,
                  index: set[str] | None = None) -> CommandResult:
        # Every command, the agent's too, in a bubblewrap of its own: the host-side path of the shared base class.
        return await HostSandbox.run(self, command, timeout_s=timeout_s, binds=binds, env=env, mounts=mounts,
                                     ro_binds=ro_binds, fresh=fresh, index=index)

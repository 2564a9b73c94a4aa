"""The Sandbox contract: what every backend does for one sample, and what it declares about itself.

A backend is a class named in harness/sandboxes/__init__.py's SANDBOXES table; nothing else names it. Its class
attributes say what it is (the red-team suite runs against every backend that isolates; a task that brings its own
image runs in the backend that runs images), `available()` whether this machine has what it needs, and
`create(...)` makes one for a sample of a task.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Protocol

if TYPE_CHECKING:
    from tasks import Task

    from .grading_copy import Graded
    from .images import Image
    from .limits import ResourceLimits
    from .output import CommandResult


class SandboxError(RuntimeError):
    """What this machine's sandbox cannot give a task (a path mapping without bubblewrap)."""


class Sandbox(Protocol):
    name: ClassVar[str]  # its name in SANDBOXES and in the manifest
    isolated: ClassVar[bool]  # model-written commands cannot reach the network, the host or other samples
    runs_images: ClassVar[bool]  # it runs tasks that bring their own container image (Harbor, SWE-bench)
    needs: ClassVar[str]  # what this machine must have, said as how to install it ('' for nothing)
    traces_reads: ClassVar[bool]  # it knows which workspace files the agent's commands opened (`opened()`)
    verifier_index: ClassVar[bool]  # a verifier's command can reach the package indexes (`run`'s `index`)

    root: Path  # this sample's folder on the host: its workspace, /tmp and grading live under it
    workspace: Path  # the workspace on the host (a folder; for containers, where its copy is read back)
    tmp: Path  # the sandbox's /tmp on the host: files the harness hands in or reads back (bounded)
    workdir: str | None  # where commands see the workspace, if not at its host path (/app)

    @classmethod
    def available(cls) -> bool:
        """Whether this machine has what the backend needs (said before a run, with `needs`)."""
        ...

    @classmethod
    def workspaces(cls, keep: bool) -> str:
        """How its samples' workspaces are made, as the manifest records it: 'overlay' or 'copy'."""
        ...

    @classmethod
    def create(cls, task: Task, root: Path, hidden: list[Path], image: Image | None, limits: ResourceLimits | None,
               agent: Path | None) -> Sandbox:
        """One for a sample of `task` under `root`; `hidden` must stay unseen; `agent` is an external agent's
        installation on the host, to be visible read-only."""
        ...

    @staticmethod
    def forget(saved: Path) -> None:
        """What `persist` left outside `saved` (a container's committed image) goes: the sample is recorded."""
        ...

    def prepare(self, source: Path, copies: list[tuple[Path, str]] | None = None,
                checkout: tuple[Path, str] | None = None, cow: bool = True, solution: Path | None = None) -> None:
        """The sample's workspace: `source`, or `copies` (source, destination) in turn, or a git commit."""
        ...

    async def run(self, command: str, *, timeout_s: float, binds: list[Path] | None = None,
                  env: dict[str, str] | None = None, mounts: dict[str, Path] | None = None,
                  ro_binds: list[Path] | None = None, fresh: bool = False,
                  index: set[str] | None = None) -> CommandResult:
        """One command: the agent's (in the sample's session) or a grader's (with its binds and mounts); `index`
        (where `verifier_index`): a verifier's, with the package indexes and these hosts through pertask's proxy."""
        ...

    async def launch_agent(self, command: str, env: dict[str, str], sock_dir: Path, relay: str,
                           timeout_s: float, mounts: list[Path]) -> CommandResult:
        """An external agent's command, its one route out a TCP port inside relayed to the proxy's socket
        `sock_dir/p.sock` (`relay` is the shell line that starts the relay where the backend runs it inside)."""
        ...

    def to_workspace(self, path: str) -> str:
        """A path as the agent wrote it (maybe /app/x), relative to the workspace."""
        ...

    async def read_text(self, rel: str, errors: str = "replace") -> str | None: ...

    async def write_text(self, rel: str, text: str) -> None: ...

    def persist(self, dest: Path) -> None:
        """What the agent left, moved to `dest`, where a resumed run grades it without calling the model again."""
        ...

    def restore(self, saved: Path, source: Path, copies: list[tuple[Path, str]] | None) -> None: ...

    def for_grading(self, dest: Path) -> Graded:
        """A copy of the workspace as data under `dest` (harness/sandboxes/grading_copy.py), in a sandbox of its own."""
        ...

    async def close(self) -> None:
        """The agent's loop is over: nothing it started outlives it."""
        ...

    def opened(self) -> set[str] | None:
        """After `close`: the workspace files (relative paths) the agent's commands opened to read; None where the
        backend does not trace them (traces_reads false, or this machine lacks the tracer)."""
        ...

    async def destroy(self) -> None:
        """The sample is over."""
        ...

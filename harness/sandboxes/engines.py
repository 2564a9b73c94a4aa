"""Container engines, as data: podman (daemonless, the default where installed) and docker (the CLI of
a running dockerd). harness/sandboxes/images.py and harness/sandboxes/container.py speak the CLI both share; what differs
between them is here. Chosen by `--container-engine NAME` (or $PERTASK_CONTAINER_ENGINE), recorded in
the manifest.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
from dataclasses import dataclass

ID_RANGE = "0:200000:65536"  # podman: the container's ids 0..65535 are these host ids, so its root is nobody here


class EngineError(RuntimeError):
    """The container engine asked for is missing or not running: a set-up error."""


@dataclass(frozen=True)
class Engine:
    name: str
    exe: str
    install: str  # what to do when it is missing
    global_args: tuple[str, ...] = ()
    id_map: tuple[str, ...] = ()  # create flags that make the container's root an unprivileged host user
    network_on: str = "bridge"  # the network of a task that allows it
    create_args: tuple[str, ...] = ()
    build_args: tuple[str, ...] = ()
    # podman build can bind the host's CA bundle and pip settings into RUN steps; docker's builder cannot.
    build_mounts: bool = False
    commit_args: tuple[str, ...] = ()
    rm_args: tuple[str, ...] = ("--force",)
    client_env: tuple[str, ...] = ()  # what its client reads to find its daemon or store
    # A verifier's twin: on an overlay of the agent's container's root (podman's `--rootfs PATH:O`), else a container
    # of its committed image.
    twin_overlay: bool = False


ENGINES = {
    # cgroup v1 hosts: crun refuses them, runc works.
    "podman": Engine("podman", "podman", "apt-get install podman runc", ("--runtime", "runc", "--cgroup-manager", "cgroupfs"),
                     ("--uidmap", ID_RANGE, "--gidmap", ID_RANGE), "slirp4netns", ("--http-proxy=false",),
                     ("--pull=missing", "--network", "host"), True, ("--quiet",), ("--force", "--time", "0"),
                     ("CONTAINER_HOST", "CONTAINERS_CONF", "CONTAINERS_STORAGE_CONF", "XDG_RUNTIME_DIR"), True),
    # Its root is mapped where the daemon runs with --userns-remap (root_mapped tells), which refuses builds on the
    # host's network: builds use the daemon's bridge, and do not see the host's CA bundle.
    "docker": Engine("docker", "docker", "apt-get install docker.io, and run dockerd (best with --userns-remap=default)",
                     client_env=("DOCKER_HOST", "DOCKER_CONFIG", "DOCKER_CONTEXT", "DOCKER_CERT_PATH", "DOCKER_TLS_VERIFY")),
}
_chosen: str | None = None


def select(name: str | None) -> None:
    """The engine for this process (the CLI's --container-engine); None: $PERTASK_CONTAINER_ENGINE, else podman
    where it is installed, else docker."""
    global _chosen
    if name is not None and name not in ENGINES:
        raise EngineError(f"unknown container engine '{name}' (valid: {', '.join(ENGINES)})")
    _chosen = name


def engine() -> Engine:
    name = _chosen or os.environ.get("PERTASK_CONTAINER_ENGINE")
    if name is None:
        name = "podman" if shutil.which("podman") or not shutil.which("docker") else "docker"
    if name not in ENGINES:
        raise EngineError(f"unknown container engine '{name}' (valid: {', '.join(ENGINES)})")
    return ENGINES[name]


def available() -> bool:
    return shutil.which(engine().exe) is not None


def cli() -> list[str]:
    """The engine's command line, up to the subcommand."""
    e = engine()
    exe = shutil.which(e.exe)
    if exe is None:
        raise EngineError(f"the container sandbox needs {e.name} ({e.install})")
    return [exe, *e.global_args]


def client_env() -> dict[str, str]:
    """The environment of the engine's client processes that pertask keeps running (a sample's command server)."""
    return {"PATH": os.environ.get("PATH", ""),
            **{k: os.environ[k] for k in engine().client_env if k in os.environ}}


def root_mapped() -> bool:
    """Whether a container's root is an unprivileged user on the host (podman's id map; docker's userns-remap)."""
    e = engine()
    return bool(e.id_map) or _docker_remapped(os.environ.get("DOCKER_HOST", ""))


@functools.cache
def _docker_remapped(_host: str) -> bool:
    proc = subprocess.run([*cli(), "info", "--format", "{{json .SecurityOptions}}"], capture_output=True, text=True)
    if proc.returncode != 0:
        raise EngineError(f"docker is not running: {proc.stderr.strip()[-300:]} (start dockerd)")
    return any("userns" in opt for opt in json.loads(proc.stdout or "[]"))

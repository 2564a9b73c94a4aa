"""Container images for tasks that bring their own environment (a Dockerfile, or an image by name):
built once per task digest with the container engine (harness/sandboxes/engines.py: podman, or docker) and cached in
its own store, tagged
`localhost/pertask-task/ID:DIGEST`, so a second run starts containers at once and a changed task rebuilds.

Builds run with the host's package access (host network, its CA bundle and pip settings), as a Docker
build on a developer's machine would; the agent's phase later runs with no network at all.

Image substitution (`--substitute-image NAME=LOCAL`): a `FROM NAME` (or a task's `docker_image`) is
built from LOCAL instead, for machines that cannot reach an image registry. It is part of the cache
key and recorded in the manifest; with no substitution nothing is changed.

`pertask images base` builds `localhost/pertask-base:RELEASE` (Debian 11, 12 or 13 with its Python 3, pip, procps)
from Debian's package archive with mmdebstrap: no registry needed; `--offline-images` maps registry images onto them
(harness/sandboxes/bases.py).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from results.store import cache_root

from . import engines
from .bases import RELEASES
from .build_causes import cause

BASE_IMAGE = "localhost/pertask-base:bookworm"
# `python` and a pip that installs system-wide, as in the python:3 images a substituted FROM usually names.
BASE_PACKAGES = "python3,python3-pip,python3-venv,python-is-python3,ca-certificates,procps"
CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"
# Stacks a task may ask for without an image of its own (tasks/model.py Environment.stack): the Python packages
# added to the base image, at the versions this host runs (the checks a grader runs read files with them too).
STACKS = {"documents": ("openpyxl", "python-docx", "python-pptx", "pypdf", "fpdf2")}


class ImageError(RuntimeError):
    """An image could not be built or found: a set-up error of the task or the machine, never the model's."""


@dataclass
class Image:
    name: str  # what `podman create` is given
    digest: str  # podman's image id
    built: bool  # False: taken from the cache
    substituted: dict[str, str] = field(default_factory=dict)


def engine_cli() -> list[str]:
    """The container engine's command line (harness/sandboxes/engines.py: podman, or docker), up to the subcommand."""
    try:
        return engines.cli()
    except engines.EngineError as exc:
        raise ImageError(str(exc)) from None


def _run(argv: list[str], what: str, timeout: float = 3600, **kw) -> subprocess.CompletedProcess:
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, **kw)
    except subprocess.TimeoutExpired:
        raise ImageError(f"{what}: timed out after {timeout:.0f}s") from None
    if proc.returncode != 0:
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-8:])
        why = cause(f"{proc.stdout}\n{proc.stderr}")
        raise ImageError(f"{what} failed{f': {why}' if why else ''}:\n{tail}")
    return proc


def image_id(name: str) -> str | None:
    proc = subprocess.run([*engine_cli(), "image", "inspect", "--format", "{{.Id}}", name], capture_output=True, text=True)
    return proc.stdout.strip() or None if proc.returncode == 0 else None


def parse_substitutions(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, local = pair.partition("=")
        if not sep or not name or not local:
            raise ValueError(f"--substitute-image {pair!r}: expected NAME=LOCAL_IMAGE")
        out[name] = local
    return out


def base_image(release: str = "bookworm") -> str:
    """A local Debian base (harness/sandboxes/bases.py), built on first use (under a minute) and then taken from the
    engine's store."""
    name = RELEASES[release].image
    if image_id(name):
        return name
    tar = cache_root() / "images" / f"pertask-base-{release}-1.tar"  # the number changes with BASE_PACKAGES
    if not tar.is_file():
        if shutil.which("mmdebstrap") is None:
            raise ImageError("building the base image needs mmdebstrap (apt-get install mmdebstrap)")
        tar.parent.mkdir(parents=True, exist_ok=True)
        partial = tar.with_suffix(".partial.tar")
        _run(["mmdebstrap", "--variant=minbase", f"--include={BASE_PACKAGES}", release, str(partial)],
             f"mmdebstrap (the {release} base image)")
        partial.replace(tar)
    raw = name.replace("pertask-base", "pertask-base-rootfs")
    _run([*engine_cli(), "import", "--change", "CMD [\"bash\"]", "--change", "ENV PATH=/usr/local/sbin:/usr/local/bin:"
          "/usr/sbin:/usr/bin:/sbin:/bin", "--change", "ENV PIP_BREAK_SYSTEM_PACKAGES=1", str(tar), raw],
         f"podman import (the {release} base image)")
    # The imported root directory is read-only (0555); images from a registry have 0755.
    _run([*engine_cli(), "build", "-t", name, "-"], f"the {release} base image", input=f"FROM {raw}\nRUN chmod 755 /\n")
    return name


def _bases_named(*texts: str) -> None:
    """Build the local bases these names or Dockerfile lines use, before the engine looks for them."""
    for release in sorted({m for t in texts for m in re.findall(r"localhost/pertask-base:(\w+)", t)} & set(RELEASES)):
        base_image(release)


FROM = re.compile(r"^(\s*FROM\s+)((?:--\S+\s+)*)(\S+)(.*)$", re.IGNORECASE | re.MULTILINE)


def substitute_from(dockerfile: str, subs: dict[str, str]) -> tuple[str, dict[str, str]]:
    """The Dockerfile with each substituted FROM image replaced; what was replaced."""
    used: dict[str, str] = {}

    def swap(m: re.Match) -> str:
        name = m.group(3)
        if name in subs:
            used[name] = subs[name]
            return f"{m.group(1)}{m.group(2)}{subs[name]}{m.group(4)}"
        return m.group(0)

    return FROM.sub(swap, dockerfile), used


def build_env() -> list[str]:
    """What a build's RUN steps get of the host's package access."""
    args = [*engines.engine().build_args]
    for path in (CA_BUNDLE, "/etc/pip.conf") if engines.engine().build_mounts else ():
        if os.path.isfile(path):  # TLS to the package index is trusted as on the host
            args += ["--volume", f"{path}:{path}:ro"]
    return args


def stack_layer(stack: str) -> str:
    """The RUN step that adds a stack to the base image: its packages pinned to the host's versions."""
    from importlib.metadata import PackageNotFoundError, version

    if stack not in STACKS:
        raise ImageError(f"unknown stack '{stack}' (valid: {', '.join(STACKS)})")
    pins = []
    for pkg in STACKS[stack]:
        try:
            pins.append(f"{pkg}=={version(pkg)}")
        except PackageNotFoundError:
            pins.append(pkg)
    return "python3 -m pip install --no-cache-dir -q " + " ".join(pins)


def task_image(task_id: str, digest: str, context: Path | None, dockerfile: Path | None, image: str | None,
               subs: dict[str, str], finish: str = "") -> Image:
    """The image a task's containers start from: its Dockerfile built (cached by digest), or its image.
    `finish`: a last RUN step of pertask's own on top (the SWE-bench loader's pruning of git history)."""
    if dockerfile is None or not dockerfile.is_file():
        if image is None:
            raise ImageError(f"task {task_id}: no environment/Dockerfile and no docker_image")
        local = subs.get(image, image)
        _bases_named(local)
        found = image_id(local)
        if found is None:
            _run([*engine_cli(), "pull", local], f"podman pull {local} (task {task_id})")
            found = image_id(local)
        used = {image: local} if local != image else {}
        if not finish:
            return Image(local, found or "", False, used)
        text = f"FROM {local}\n"  # a layer of our own on the image: its id is part of the key
        digest = f"{digest}\0{found}"
    else:
        text, used = substitute_from(dockerfile.read_text(), subs)
    if finish:
        text = f"{text.rstrip()}\nRUN {finish}\n"
    _bases_named(*used.values(), *re.findall(r"^\s*FROM\s+(?:--\S+\s+)*(\S+)", text, re.M | re.I))
    key = hashlib.sha256(f"{digest}\0{sorted(used.items())}\0{text}".encode()).hexdigest()[:16]
    tag = f"localhost/pertask-task/{task_id.lower()}:{key}"
    found = image_id(tag)
    if found:
        return Image(tag, found, False, used)
    with tempfile.NamedTemporaryFile("w", suffix=".Dockerfile", delete=False) as fh:
        fh.write(text)
    empty = tempfile.mkdtemp() if dockerfile is None else None  # a layer on a named image copies nothing in
    ctx = context or (dockerfile.parent if dockerfile is not None else Path(empty))
    try:
        _run([*engine_cli(), "build", *build_env(), "-f", fh.name,
              "-t", tag, str(ctx)], f"building the image of task {task_id}")
    finally:
        os.unlink(fh.name)
        if empty:
            os.rmdir(empty)
    return Image(tag, image_id(tag) or "", True, used)

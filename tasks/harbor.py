"""Terminal-Bench 2 / Harbor task folders, imported as they are:

    task.toml  instruction.md  environment/Dockerfile  tests/test.sh  solution/solve.sh

With the container sandbox (harness/sandboxes/container.py) the task runs as Harbor runs it: its image built
from environment/Dockerfile (or pulled by `[environment] docker_image`), with the task's CPUs, memory
and network setting. Without it, a Dockerfile of WORKDIR and COPY lines only is emulated: those files
form the sample's private copy, mapped at the working directory (usually /app); one that RUNs anything
needs the container sandbox, and says so.
"""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path

from pydantic import ValidationError

from .formats import TaskFormat
from .graders.harbor_grader import needs_network
from .graders.offline_verifier import plan_offline
from .model import Environment, GraderConfig, Limits, Task, TaskConfig, TaskError, digest_dir

UNLIMITED_TURNS = 1_000_000  # the task format sets none; --max-turns still caps a run


def is_harbor(task_dir: Path) -> bool:
    return (task_dir / "tests" / "test.sh").is_file() and not (task_dir / "workspace").is_dir()


def parse_dockerfile(path: Path) -> tuple[str, list[tuple[Path, str]], list[str]]:
    """(working directory, workspace copies, what needs a real image build)."""
    workdir, copies, needs = "/app", [], []
    if not path.is_file():
        return workdir, copies, needs
    text = re.sub(r"\\\n", " ", path.read_text())
    for line in text.splitlines():
        try:
            words = shlex.split(line, comments=True)
        except ValueError:  # unbalanced quotes (common in RUN lines): plain words are enough here
            words = line.split()
        if not words or words[0].startswith("#"):
            continue
        op, args = words[0].upper(), [w for w in words[1:] if not w.startswith("--")]
        if op == "WORKDIR" and args:
            workdir = args[0]
        elif op in ("COPY", "ADD") and len(args) >= 2:
            *sources, dst = args
            rel = _inside(dst, workdir)
            if rel is None:
                needs.append(f"{op} into {dst}, outside the working directory {workdir}")
                continue
            for src in sources:
                if not (path.parent / src).exists():  # globs and URLs included: not emulated
                    needs.append(f"{op} source {src}, which is not a file or folder beside the Dockerfile")
                    continue
                copies.append((path.parent / src, _copy_target(path.parent / src, dst, rel)))
        elif op == "RUN":
            needs.append(f"a Docker build (RUN {' '.join(words[1:])[:60]})")
    return workdir, copies, needs


def dockerfile_env(path: Path) -> dict[str, str]:
    """The Dockerfile's ENV lines (KEY=value pairs, or the old KEY value form), $VAR and ${VAR} kept for the
    sandbox to expand: what a sandbox emulating the image sets in every command's environment."""
    env: dict[str, str] = {}
    if not path.is_file():
        return env
    for line in re.sub(r"\\\n", " ", path.read_text()).splitlines():
        try:
            words = shlex.split(line, comments=True, posix=True)
        except ValueError:
            continue
        if len(words) < 2 or words[0].upper() != "ENV":
            continue
        if "=" in words[1]:
            env.update(w.split("=", 1) for w in words[1:] if "=" in w)
        else:
            env[words[1]] = " ".join(words[2:])
    return env


def _inside(dst: str, workdir: str) -> str | None:
    """dst relative to the working directory, or None when it lies outside it."""
    if not dst.startswith("/"):
        return dst
    if dst.rstrip("/") == workdir.rstrip("/"):
        return ""
    prefix = workdir.rstrip("/") + "/"
    return dst[len(prefix):] if dst.startswith(prefix) else None


def _copy_target(src: Path, dst: str, rel: str) -> str:
    # Docker's rules: a directory's contents go into dst; a file goes into dst when dst is a
    # directory (ends in / or is the working directory itself), else it becomes dst.
    if src.is_dir() or not (dst.endswith("/") or rel in ("", ".")):
        return rel
    return f"{rel.rstrip('/')}/{src.name}" if rel not in ("", ".") else src.name


def load_harbor_task(task_dir: Path, suite: str) -> Task:
    cfg_path = task_dir / "task.toml"
    try:
        raw = tomllib.loads(cfg_path.read_text()) if cfg_path.is_file() else {}
    except tomllib.TOMLDecodeError as exc:
        raise TaskError(cfg_path, "(syntax)", f"bad TOML: {exc}") from exc
    instr = task_dir / "instruction.md"
    if not instr.is_file() or not instr.read_text().strip():
        raise TaskError(instr, "instruction.md", "missing or empty")
    dockerfile = task_dir / "environment" / "Dockerfile"
    workdir, copies, needs = parse_dockerfile(dockerfile)
    environment = _environment(raw, cfg_path, dockerfile, task_dir)
    environment.env = dockerfile_env(dockerfile)
    if environment.needs_build == "" and needs:
        environment.needs_build = "; ".join(needs)
    test_sh = task_dir / "tests" / "test.sh"
    if not test_sh.is_file():
        raise TaskError(test_sh, "tests/test.sh", "file missing (the verifier)")
    unhandled = plan_offline(test_sh.read_text()).unhandled if needs_network(test_sh.read_text()) else []
    if unhandled and not (task_dir / "tests" / "test_outputs.py").is_file():
        raise TaskError(test_sh, "tests/test.sh", f"needs the network ({'; '.join(unhandled)}) and there is no "
                        "tests/test_outputs.py for the offline verifier")
    solve = task_dir / "solution" / "solve.sh"
    if not solve.is_file():
        raise TaskError(solve, "solution/solve.sh", "missing (the oracle runs it)")
    meta = raw.get("metadata", {})
    try:
        agent_s = float(raw.get("agent", {}).get("timeout_sec", 1800))
        config = TaskConfig(
            id=task_dir.name, kind="coding", version=str(raw.get("version", "1")),
            difficulty=meta.get("difficulty") if meta.get("difficulty") in ("easy", "medium", "hard") else "medium",
            tags=[str(t) for t in meta.get("tags", [])] + ["harbor"],
            # Harbor's one limit on the agent is its wall time: no turn limit, and a command may run for all of it.
            limits=Limits(timeout_s=agent_s, command_timeout_s=agent_s, max_turns=UNLIMITED_TURNS),
            grader=GraderConfig(type="harbor", timeout_s=float(raw.get("verifier", {}).get("timeout_sec", 300))))
    except (ValidationError, ValueError) as exc:
        raise TaskError(cfg_path, "(harbor task)", str(exc).splitlines()[0]) from exc
    return Task(task_dir, suite, config, instr.read_text(), digest_dir(task_dir), layout="harbor", workdir=workdir,
                copies=copies, tests_dir=task_dir / "tests", solution_script=solve, environment=environment)


def _size_mb(value, where: Path, key: str) -> int | None:
    """Harbor's sizes: memory_mb = 2048, or memory = "2G" / "512M"."""
    if value is None or isinstance(value, int) and not isinstance(value, bool):
        return value
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?\s*", str(value), re.IGNORECASE)
    if not m:
        raise TaskError(where, f"environment.{key}", f"expected a size such as 2048 or '2G', not {value!r}")
    scale = {"": 1, "K": 1 / 1024, "M": 1, "G": 1024, "T": 1 << 20}[m.group(2).upper()]
    return int(float(m.group(1)) * scale)


def _environment(raw: dict, cfg_path: Path, dockerfile: Path, task_dir: Path) -> Environment:
    env, ours = raw.get("environment", {}), raw.get("pertask", {})
    if not isinstance(env, dict) or not isinstance(ours, dict):
        raise TaskError(cfg_path, "environment", "must be a table")
    image = env.get("docker_image")
    if image is not None and not isinstance(image, str):
        raise TaskError(cfg_path, "environment.docker_image", f"must be an image name, not {image!r}")
    network = env.get("allow_internet", False) is True or env.get("network_mode") in ("bridge", "host")
    cpus = env.get("cpus")
    if cpus is not None and (isinstance(cpus, bool) or not isinstance(cpus, (int, float)) or cpus <= 0):
        raise TaskError(cfg_path, "environment.cpus", f"must be a positive number, not {cpus!r}")
    memory = _size_mb(env.get("memory_mb", env.get("memory")), cfg_path, "memory")
    storage = _size_mb(env.get("storage_mb", env.get("storage")), cfg_path, "storage")
    keep = ours.get("verifier_needs_processes", True)  # Harbor leaves them running
    if not isinstance(keep, bool):
        raise TaskError(cfg_path, "pertask.verifier_needs_processes", f"must be true or false, not {keep!r}")
    has_file = dockerfile.is_file()
    return Environment(dockerfile if has_file else None, dockerfile.parent if has_file else None,
                       None if has_file else image,
                       "" if has_file or image is None else f"the image {image}",
                       network, float(cpus) if cpus else None, memory, storage, keep,
                       task_dir / "solution" if (task_dir / "solution").is_dir() else None)


FORMAT = TaskFormat("harbor", "Terminal-Bench 2 / Harbor: task.toml, instruction.md, environment/Dockerfile, tests/test.sh, "
                    "solution/solve.sh", is_harbor, load_task=load_harbor_task)

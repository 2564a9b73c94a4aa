"""Terminal-Bench 2 / Harbor task folders, imported as they are:

    task.toml  instruction.md  environment/Dockerfile  tests/test.sh  solution/solve.sh

The environment is built from the Dockerfile's WORKDIR and COPY lines into the sample's
private copy, mapped at the task's working directory (usually /app). A Dockerfile that RUNs
anything needs a real image build, which the local sandbox cannot do: such a task is reported
with that reason instead of failing obscurely.
"""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path

from pydantic import ValidationError

from .graders.harbor_grader import needs_network
from .model import GraderConfig, Limits, Task, TaskConfig, TaskError, digest_dir


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
    if needs:
        raise TaskError(dockerfile, "environment/Dockerfile",
                        f"needs {'; '.join(needs)}: the local sandbox cannot build images (run it where Docker is)")
    test_sh = task_dir / "tests" / "test.sh"
    downloads = needs_network(test_sh.read_text())
    if downloads and not (task_dir / "tests" / "test_outputs.py").is_file():
        raise TaskError(test_sh, "tests/test.sh", f"needs the network ({', '.join(downloads)}) and there is no "
                        "tests/test_outputs.py for the offline verifier")
    solve = task_dir / "solution" / "solve.sh"
    if not solve.is_file():
        raise TaskError(solve, "solution/solve.sh", "missing (the oracle runs it)")
    meta = raw.get("metadata", {})
    try:
        config = TaskConfig(
            id=task_dir.name, kind="coding", version=str(raw.get("version", "1")),
            difficulty=meta.get("difficulty") if meta.get("difficulty") in ("easy", "medium", "hard") else "medium",
            tags=[str(t) for t in meta.get("tags", [])] + ["harbor"],
            limits=Limits(timeout_s=float(raw.get("agent", {}).get("timeout_sec", 1800))),
            grader=GraderConfig(type="harbor", timeout_s=float(raw.get("verifier", {}).get("timeout_sec", 300))))
    except (ValidationError, ValueError) as exc:
        raise TaskError(cfg_path, "(harbor task)", str(exc).splitlines()[0]) from exc
    return Task(task_dir, suite, config, instr.read_text(), digest_dir(task_dir), layout="harbor", workdir=workdir,
                copies=copies, tests_dir=task_dir / "tests", solution_script=solve)

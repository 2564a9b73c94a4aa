"""SWE-bench-style instances (JSONL: instance_id, repo, base_commit, patch, test_patch,
problem_statement, FAIL_TO_PASS, PASS_TO_PASS) against repositories the user has locally.

`repo` is an absolute path, or owner/name found under $PERTASK_REPOS (default ~/repos) as
owner__name or owner/name. Each instance is materialized once under the cache (instruction,
hidden grader, reference patch); the workspace is the base commit as a fresh one-commit git
repository, so the repository's later history (which holds the fix) is not reachable.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

from .model import GraderConfig, Task, TaskConfig, TaskError

FIELDS = ("instance_id", "repo", "base_commit", "patch", "test_patch", "problem_statement")


def repos_root() -> Path:
    return Path(os.environ.get("PERTASK_REPOS") or Path.home() / "repos")


def find_repo(repo: str) -> Path | None:
    if Path(repo).is_absolute():
        return Path(repo) if (Path(repo) / ".git").exists() else None
    for cand in (repos_root() / repo.replace("/", "__"), repos_root() / repo):
        if (cand / ".git").exists():
            return cand
    return None


def _tests(value, path: Path, line_no: int, field: str) -> list[str]:
    if isinstance(value, str):  # SWE-bench ships these as JSON-encoded strings
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise TaskError(path, f"line {line_no}: {field}", "not a JSON list of test ids") from exc
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TaskError(path, f"line {line_no}: {field}", "must be a list of test ids")
    return value


def patched_files(patch: str) -> list[str]:
    return sorted(set(re.findall(r"^diff --git a/(\S+) b/", patch, re.M)))


def load_instances(path: Path, cache: Path) -> tuple[list[Task], list[TaskError], list[Path]]:
    """(tasks, errors, paths the sandbox must hide: the materialized graders, the file, the repos)."""
    tasks, errors, hidden = [], [], [cache, path]
    for line_no, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip():
            continue
        try:
            inst = json.loads(line)
            missing = [f for f in FIELDS if not isinstance(inst.get(f), str) or not inst.get(f)]
            if missing:
                raise TaskError(path, f"line {line_no}: {missing[0]}", "missing or empty")
            f2p = _tests(inst.get("FAIL_TO_PASS", []), path, line_no, "FAIL_TO_PASS")
            p2p = _tests(inst.get("PASS_TO_PASS", []), path, line_no, "PASS_TO_PASS")
            repo = find_repo(inst["repo"])
            if repo is None:
                raise TaskError(path, f"line {line_no}: repo", f"no local clone of {inst['repo']} (an absolute path, "
                                f"or {repos_root()}/{inst['repo'].replace('/', '__')})")
            tasks.append(_materialize(inst, f2p, p2p, repo, cache))
            hidden.append(repo)
        except json.JSONDecodeError as exc:
            errors.append(TaskError(path, f"line {line_no}", f"not JSON: {exc}"))
        except TaskError as exc:
            errors.append(exc)
    return tasks, errors, hidden


def _materialize(inst: dict, f2p: list[str], p2p: list[str], repo: Path, cache: Path) -> Task:
    iid = re.sub(r"[^A-Za-z0-9._-]", "_", inst["instance_id"])
    d = cache / iid
    (d / "grader").mkdir(parents=True, exist_ok=True)
    (d / "solution").mkdir(exist_ok=True)
    (d / "instruction.md").write_text(inst["problem_statement"])
    (d / "grader" / "test.patch").write_text(inst["test_patch"])
    (d / "grader" / "spec.json").write_text(json.dumps({"FAIL_TO_PASS": f2p, "PASS_TO_PASS": p2p,
                                                        "test_files": patched_files(inst["test_patch"])}))
    (d / "solution" / "solve.sh").write_text(f"git apply --whitespace=nowarn <<'PERTASK_PATCH'\n{inst['patch']}PERTASK_PATCH\n")
    config = TaskConfig(id=iid, kind="coding", tags=["swebench", inst["repo"]],
                        grader=GraderConfig(type="swebench", timeout_s=1800))
    digest = hashlib.sha256(json.dumps(inst, sort_keys=True).encode()).hexdigest()[:12]
    return Task(d, "", config, inst["problem_statement"], digest, layout="swebench", tests_dir=d / "grader",
                solution_script=d / "solution" / "solve.sh", checkout=(repo, inst["base_commit"]))

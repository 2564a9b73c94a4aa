"""SWE-bench instances, in their own images or against local clones.

Three sources, each instance with the dataset's fields (instance_id, repo, base_commit, patch,
test_patch, problem_statement, FAIL_TO_PASS, PASS_TO_PASS):

- a **task repo** (the `swebench` package's own layout: sweb.yaml and tasks/ID/ with task.yaml,
  tests.json, gold.patch, test.patch, eval.sh and a Dockerfile): each instance's image is built from
  its Dockerfile, its task folder the build context, as `swebench` builds it;
- a **JSONL file of the dataset** whose rows name their `image` and `eval_script` (the published
  instance images, pulled by name or substituted with --substitute-image);
- a JSONL file whose rows name neither: the **host-interpreter path**, for local clones (`repo` an
  absolute path, or owner/name under $PERTASK_REPOS as owner__name or owner/name); the workspace is
  the base commit as a fresh one-commit repository, so the later history (which holds the fix) is not
  reachable.

In an image the tests run as `swebench` runs them (the instance's eval script, its log parser); on the
host as close as a local clone allows (tasks/graders/swebench_grader.py). Each instance is
materialized once under the cache: its instruction, its hidden grader, its reference patch.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
from pathlib import Path

from .errors import SuiteError
from .formats import TaskFormat
from .model import Environment, GraderConfig, Suite, Task, TaskConfig, TaskError, digest_dir

FIELDS = ("instance_id", "repo", "base_commit", "patch", "test_patch", "problem_statement")
WORKDIR = "/testbed"  # where every SWE-bench image holds the repository
NEEDS = "its SWE-bench image"
# The last layer of every instance image: the repository keeps its base commit and nothing after it. An
# image cloned from upstream holds the fix in its later history (a remote branch, a tag, a reflog): the
# agent must not `git log --all` its way to it. The eval script still finds the base commit.
PRUNE = ("if command -v git >/dev/null && [ -d /testbed/.git ]; then cd /testbed && head=$(git rev-parse HEAD) && "
         "git checkout -q --detach && "
         "git for-each-ref --format='%(refname)' | while read -r ref; do git update-ref -d \"$ref\"; done && "
         "for r in $(git remote); do git remote remove \"$r\" || exit 1; done && git checkout -q -B main \"$head\" && "
         "git reflog expire --expire=now --all && git gc -q --prune=now; fi")


def repos_root() -> Path:
    return Path(os.environ.get("PERTASK_REPOS") or Path.home() / "repos")


def find_repo(repo: str) -> Path | None:
    if Path(repo).is_absolute():
        return Path(repo) if (Path(repo) / ".git").exists() else None
    for cand in (repos_root() / repo.replace("/", "__"), repos_root() / repo):
        if (cand / ".git").exists():
            return cand
    return None


def is_task_repo(path: Path) -> bool:
    return (path / "sweb.yaml").is_file() and (path / "tasks").is_dir()


def claims(path: Path) -> bool:
    return path.is_file() and path.suffix in (".jsonl", ".parquet") or path.is_dir() and is_task_repo(path)


def load_suite(path: Path) -> Suite:
    """A .jsonl of instances or a task repo, each instance materialized under the cache (by the suite's hash)."""
    if importlib.util.find_spec("swebench") is None:
        raise SuiteError(f"{path}: SWE-bench instances are read and graded by the swebench package: "
                         "pip install 'pertask[swebench]'")
    from results.store import cache_root

    if path.is_file():
        version = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        cache = cache_root() / "swebench" / f"{path.stem}-{version}"
        tasks, errors, hidden = load_instances(path, cache)
        name, home = path.stem, cache
    else:
        version = digest_dir(path)
        cache = cache_root() / "swebench" / f"{path.name}-{version}"
        (tasks, errors), hidden = load_task_repo(path, cache), [cache]
        name, home = path.name, path
    for t in tasks:
        t.suite = name
    return Suite(name, home, version, tasks, errors, hidden)


def _tests(value, where: Path, at: str, field: str) -> list[str]:
    if isinstance(value, str):  # SWE-bench ships these as JSON-encoded strings
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise TaskError(where, f"{at}{field}", "not a JSON list of test ids") from exc
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TaskError(where, f"{at}{field}", "must be a list of test ids")
    return value


def patched_files(patch: str) -> list[str]:
    return sorted(set(re.findall(r"^diff --git a/(\S+) b/", patch, re.M)))


def load_instances(path: Path, cache: Path) -> tuple[list[Task], list[TaskError], list[Path]]:
    """A JSONL file: (tasks, errors, paths the sandbox must hide: the materialized graders, the file, the repos)."""
    tasks, errors, hidden, seen = [], [], [cache, path], {}
    for line_no, line in _rows(path):
        if not line.strip():
            continue
        at = f"line {line_no}: "
        try:
            inst = json.loads(line)
            if not isinstance(inst, dict):
                raise TaskError(path, f"line {line_no}", "not a JSON object")
            task, repo = _task(inst, path, at, cache, None)
            if task.id in seen:
                raise TaskError(path, f"{at}instance_id", f"'{inst['instance_id']}' is also on line {seen[task.id]}")
            seen[task.id] = line_no
            tasks.append(task)
            hidden += [repo] if repo else []
        except json.JSONDecodeError as exc:
            errors.append(TaskError(path, f"line {line_no}", f"not JSON: {exc}"))
        except TaskError as exc:
            errors.append(exc)
    return tasks, errors, hidden


def _rows(path: Path) -> list[tuple[int, str]]:
    """(row number, its JSON) of a .jsonl file, or of the .parquet file the hub publishes the dataset as."""
    if path.suffix != ".parquet":
        return list(enumerate(path.read_text().splitlines(), 1))
    import pyarrow.parquet as pq

    try:
        rows = pq.read_table(path).to_pylist()
    except Exception as exc:  # noqa: BLE001 (pyarrow raises its own kinds for a file that is not parquet)
        raise SuiteError(f"{path}: not a parquet file of instances ({str(exc).splitlines()[0][:120]})") from None
    return [(i, json.dumps(row, default=str)) for i, row in enumerate(rows, 1)]


def load_task_repo(root: Path, cache: Path) -> tuple[list[Task], list[TaskError]]:
    """A swebench task repo, each instance read by the package's own reader."""
    from swebench.task.repo import load_task, task_dirs

    tasks, errors = [], []
    for d in task_dirs(root):
        try:
            inst = load_task(d)
        except (OSError, ValueError) as exc:  # a missing file, bad YAML or JSON: named with its folder
            errors.append(TaskError(d, "(instance)", f"{type(exc).__name__}: {exc}"))
            continue
        try:
            if inst.get("instance_id") != d.name:
                raise TaskError(d / "task.yaml", "instance_id", f"'{inst.get('instance_id')}' is not the folder's name")
            tasks.append(_task(inst, d / "task.yaml", "", cache, d)[0])
        except TaskError as exc:
            errors.append(exc)
    return tasks, errors


def _task(inst: dict, where: Path, at: str, cache: Path, task_dir: Path | None) -> tuple[Task, Path | None]:
    missing = [f for f in FIELDS if not isinstance(inst.get(f), str) or not inst.get(f)]
    if missing:
        raise TaskError(where, f"{at}{missing[0]}", "missing or empty")
    f2p = _tests(inst.get("FAIL_TO_PASS", []), where, at, "FAIL_TO_PASS")
    p2p = _tests(inst.get("PASS_TO_PASS", []), where, at, "PASS_TO_PASS")
    dockerfile = task_dir / "Dockerfile" if task_dir is not None and (task_dir / "Dockerfile").is_file() else None
    if dockerfile is None and not inst.get("image") and task_dir is None:
        repo = find_repo(inst["repo"])  # no image named: the host-interpreter path
        if repo is None:
            raise TaskError(where, f"{at}repo", f"no local clone of {inst['repo']} (an absolute path, or "
                            f"{repos_root()}/{inst['repo'].replace('/', '__')}), and no image named")
        host_env = None
        if not Path(inst["repo"]).is_absolute():  # a repository swebench knows: its tests in its own environment
            from .swebench_env import for_instance

            try:
                host_env = for_instance(inst, repo)
            except SuiteError as exc:
                raise TaskError(where, f"{at}version", str(exc)) from None
        task = _materialize(inst, f2p, p2p, cache, checkout=(repo, inst["base_commit"]), host_env=host_env)
        return task, repo
    if dockerfile is None and not inst.get("image"):
        raise TaskError(task_dir / "Dockerfile", "Dockerfile", "missing, and task.yaml names no image")
    if not isinstance(inst.get("eval_script"), str) or ">>>>> Start Test Output" not in inst["eval_script"]:
        raise TaskError(where, f"{at}eval_script", "missing, or without the '>>>>> Start Test Output' marker")
    if not inst.get("log_parser"):
        raise TaskError(where, f"{at}log_parser", "missing (the swebench parser that reads this repo's test log)")
    from swebench.harness.log_parsers import PARSER_REGISTRY

    if inst["log_parser"] not in PARSER_REGISTRY:
        raise TaskError(where, f"{at}log_parser", f"'{inst['log_parser']}' is not one of swebench's parsers")
    env = Environment(dockerfile=dockerfile, context=task_dir if dockerfile else None,
                      image=None if dockerfile else inst["image"], needs_build=NEEDS, finish=PRUNE)
    extra = digest_dir(task_dir) if task_dir is not None else ""  # the build context is part of the instance
    return _materialize(inst, f2p, p2p, cache, environment=env, extra_digest=extra), None


def _materialize(inst: dict, f2p: list[str], p2p: list[str], cache: Path, *, checkout=None,
                 environment: Environment | None = None, extra_digest: str = "", host_env=None) -> Task:
    iid = re.sub(r"[^A-Za-z0-9._-]", "_", inst["instance_id"])
    d = cache / iid
    (d / "grader").mkdir(parents=True, exist_ok=True)
    (d / "solution").mkdir(exist_ok=True)
    (d / "instruction.md").write_text(inst["problem_statement"])
    (d / "grader" / "test.patch").write_text(inst["test_patch"])
    spec = {"instance_id": inst["instance_id"], "repo": inst["repo"], "version": str(inst.get("version", "")),
            "base_commit": inst["base_commit"], "FAIL_TO_PASS": f2p, "PASS_TO_PASS": p2p,
            "test_files": patched_files(inst["test_patch"]), "mode": "host" if checkout else "image",
            "eval_script": inst.get("eval_script", ""), "log_parser": inst.get("log_parser") or "parse_log_pytest",
            "eval_type": inst.get("eval_type") or "pass_and_fail",
            "test_cmd": host_env.spec.get("test_cmd", "") if host_env else ""}
    (d / "grader" / "spec.json").write_text(json.dumps(spec))
    (d / "solution" / "solve.sh").write_text(f"git apply --whitespace=nowarn <<'PERTASK_PATCH'\n{inst['patch']}PERTASK_PATCH\n")
    config = TaskConfig(id=iid, kind="coding", tags=["swebench", inst["repo"]],
                        grader=GraderConfig(type="swebench", timeout_s=1800))
    digest = hashlib.sha256((json.dumps(inst, sort_keys=True) + extra_digest).encode()).hexdigest()[:12]
    if environment is not None:
        environment.solution = d / "solution"
        return Task(d, "", config, inst["problem_statement"], digest, layout="swebench", workdir=WORKDIR, copies=[],
                    tests_dir=d / "grader", solution_script=d / "solution" / "solve.sh", environment=environment)
    return Task(d, "", config, inst["problem_statement"], digest, layout="swebench", tests_dir=d / "grader",
                solution_script=d / "solution" / "solve.sh", checkout=checkout, host_env=host_env)


FORMAT = TaskFormat("swebench", "SWE-bench: a task repo (sweb.yaml, tasks/ID/) or a .jsonl of instances", claims,
                    load_suite=load_suite)

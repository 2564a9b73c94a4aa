"""Shared helpers: the CLI in-process and as a real process, and script files for the scripted server."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from harness.cli import main

ROOT = Path(__file__).resolve().parents[1]
PERTASK = [sys.executable, "-m", "harness.cli"]


# `make test` runs the suite on two workers (pytest-xdist). Tests that share a machine-wide resource run on one
# worker, one after another: the vLLM servers (each takes both cores and GBs of memory; the SmolLM2 folder is built
# once), and everything that drives podman, the tests' own dockerd (one socket), a Ray cluster, installs an external
# agent into the cache or writes the same cache folders (SWE-bench checkouts, the offline verifier's wheels).
# Everything else is independent and is handed out test by test.
# Piped output takes $COLUMNS (results/fit.py: width), and pytest-xdist's workers hand their children a
# terminal's 80: the tests read reports at 200 columns, as a pipe without $COLUMNS does; a test of another width sets
# its own.
os.environ["COLUMNS"] = "200"

SERIAL = {
    "vllm": ("tests/providers/test_vllm.py", "tests/providers/test_vllm_server.py",
             "tests/providers/test_vllm_presets.py", "tests/providers/test_replicas.py"),
    "containers": ("tests/harness/sandboxes/test_container.py", "tests/harness/sandboxes/test_container_redteam.py",
                   "tests/harness/agents/test_container_external.py", "tests/harness/agents/test_external_packages.py",
                   "tests/harness/agents/test_external.py", "tests/tasks/test_swebench_image.py",
                   "tests/harness/run/test_ray.py", "tests/tasks/test_swebench.py", "tests/tasks/test_harbor.py",
                   "tests/tasks/test_harbor_verifier_images.py", "tests/harness/sandboxes/test_bases.py"),
}


def pytest_xdist_make_scheduler(config, log):
    """Load scheduling where a SERIAL file's tests are one unit of work (xdist's --dist loadgroup does not group
    them under this pytest): a worker takes the whole unit; any other test is a unit of its own."""
    from xdist.scheduler import LoadScopeScheduling

    class Serial(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return next((group for group, files in SERIAL.items() if path in files), nodeid)

    return Serial(config, log)


def call(n: str, **args) -> dict:
    return {"name": n, "arguments": args}


def bash(command: str) -> dict:
    return call("bash", command=command)


SUBMIT = {"tool_calls": [call("submit")]}


@pytest.fixture
def write_script(tmp_path):
    def write(script: dict, name: str = "script.json") -> Path:
        path = tmp_path / name
        path.write_text(json.dumps(script))
        return path

    return write


@pytest.fixture
def cli(capsys):
    """Run `pertask ARGS` in-process; returns (exit code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        code = main([str(a) for a in args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def run_json(cli, *args: str) -> dict:
    code, out, err = cli(*args, "--json")
    assert code == 0, err
    return json.loads(out)


def load_samples(run_dir: Path) -> list[dict]:
    """Each sample's latest record, in first-seen order (a later line for a sample replaces it, as in the store)."""
    latest: dict[str, dict] = {}
    for line in (run_dir / "samples.jsonl").read_text().splitlines():
        if line.strip():
            rec = json.loads(line)
            latest[rec["sample_id"]] = rec
    return list(latest.values())


def subprocess_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    env.update(extra)
    return env


def pertask_proc(*args: str, env=None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([*PERTASK, *map(str, args)], capture_output=True, text=True, timeout=timeout,
                          env=env or subprocess_env(), cwd=ROOT)


def copy_suite(dest: Path, task_ids: tuple[str, ...], **limits: float) -> Path:
    """Smoke tasks copied into a suite folder of their own, with these [limits] (short timeouts for tests)."""
    from tasks.loader import SUITES_ROOT

    for tid in task_ids:
        shutil.copytree(SUITES_ROOT / "smoke" / tid, dest / tid)
        cfg = dest / tid / "task.toml"
        text = cfg.read_text()
        for key, value in limits.items():
            text = re.sub(rf"^{key} = .*\n", "", text, flags=re.M).replace("[limits]\n", f"[limits]\n{key} = {value}\n")
        assert all(tomllib.loads(text)["limits"][k] == v for k, v in limits.items())
        cfg.write_text(text)
    return dest


FAKE_KEY = "sk-fake-test-key"


@pytest.fixture
def fake():
    """A provider fake on loopback: the scripted server speaking one provider's dialect and rules
    (providers/fakes/), refusing keys other than FAKE_KEY."""
    from providers.script_file import Script
    from providers.scripted import ScriptedServer

    servers = []

    def start(script: dict):
        server = ScriptedServer(Script.model_validate({"api_key": FAKE_KEY, **script}))
        server.start()
        servers.append(server)
        return server

    yield start
    for s in servers:
        s.stop()

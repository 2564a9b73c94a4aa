"""The container sandbox on real podman: Harbor-format tasks whose Dockerfiles RUN apt-get and pip,
built once (cached by digest) and run as Harbor runs them, through the CLI. No registry is reachable
here, so FROM python:3.13-slim is substituted with the locally built Debian base (harness/sandboxes/images.py),
as a user on an offline machine would do."""

from __future__ import annotations

import json
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from harness.sandboxes.images import BASE_IMAGE, engine_cli
from tests.conftest import load_samples, run_json
from tests.tasks.test_harbor import example, write

SUB = ["--substitute-image", f"python:3.13-slim={BASE_IMAGE}"]
# Each from examples/tb2-format. inventory: RUN apt-get (sqlite3) and pip, a COPY outside WORKDIR; its verifier
# checks what only the built image has (sqlite3, tomli_w, a file a RUN made, the image's ENV and HOME) and what
# the oracle did with /solution. service: a service the agent starts that the verifier talks to, so it must still
# run when grading starts. extras: test.sh's own steps around its fetching, offline, with the image's python3.
INVENTORY, SERVICE, EXTRAS_IMAGE = example("inventory"), example("service"), example("extras")


@pytest.fixture(scope="module")
def tb2(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("tb2c")
    write(root / "inventory", INVENTORY)
    write(root / "service", SERVICE)
    # test.sh's own steps around its fetching, offline, with the image's python3 (not pertask's)
    write(root / "extras", EXTRAS_IMAGE)
    return root


def _images() -> set[str]:
    out = subprocess.run([*engine_cli(), "images", "--format", "{{.Repository}}:{{.Tag}}"], capture_output=True, text=True)
    return set(out.stdout.split())


def _containers() -> list[str]:
    return subprocess.run([*engine_cli(), "ps", "-a", "--filter", "label=pertask=sample", "--format", "{{.Names}}"],
                          capture_output=True, text=True).stdout.split()


def test_dockerfile_with_apt_and_pip_builds_and_oracle_passes_null_fails(tb2, cli, tmp_path):
    out = tmp_path / "run"
    saved_before = {i for i in _images() if i.startswith("localhost/pertask-sample/")}
    running_before = set(_containers())
    run_json(cli, "run", "--suite", tb2, "--model", "oracle", "--model", "null", "--out", out, *SUB)
    got = {(s["model"], s["task_id"]): s for s in load_samples(out)}
    assert got[("oracle", "inventory")]["score"] == 1.0, got[("oracle", "inventory")]["grader"]
    assert got[("oracle", "service")]["score"] == 1.0, got[("oracle", "service")]["grader"]
    assert got[("null", "inventory")]["score"] == 0.0 and got[("null", "service")]["score"] == 0.0
    assert got[("oracle", "extras")]["score"] == 1.0 and got[("null", "extras")]["score"] == 0.0, got[("oracle", "extras")]
    extras_image = json.loads((out / "manifest.json").read_text())["images"]["extras"]["name"]
    theirs = subprocess.run([*engine_cli(), "run", "--rm", "--network", "none", "--ulimit", "nofile=1024:1024",
                             "--ulimit", "nproc=4096:4096", extras_image, "python3", "-c", "import platform; "
                             "print(platform.python_version())"], capture_output=True, text=True).stdout.strip()
    verifier = json.loads((out / got[("null", "extras")]["transcript"]).read_text())["grader_output"]
    assert theirs and f"platform linux -- Python {theirs}," in verifier, (theirs, verifier[:300])
    # The verifier's files are kept in the run directory, its whole output in the transcript.
    null = json.loads((out / got[("null", "inventory")]["transcript"]).read_text())
    assert (out / null["grading_files"] / "verifier" / "reward.txt").read_text().strip() == "0"
    assert "FAILED: [ \"$(sqlite3" in null["grader_output"], null["grader_output"]
    assert (out / null["grading_files"] / "verifier" / "test-stdout.txt").read_text() == null["grader_output"]
    manifest = json.loads((out / "manifest.json").read_text())
    image = manifest["images"]["inventory"]
    assert image["substituted"] == {"python:3.13-slim": BASE_IMAGE} and image["digest"]
    assert manifest["image_substitutions"] == {"python:3.13-slim": BASE_IMAGE}
    assert image["name"] in _images()
    saved = {i for i in _images() if i.startswith("localhost/pertask-sample/")}
    assert saved <= saved_before, "the images of saved agent phases go once their samples are recorded"
    assert set(_containers()) <= running_before, "no container outlives its sample"


def test_second_run_reuses_the_image_and_a_changed_task_rebuilds(tb2, cli, tmp_path):
    first = run_json(cli, "run", "--suite", tb2, "--task", "inventory", "--model", "null", "--out", tmp_path / "a", *SUB)
    code, _, err = cli("run", "--suite", tb2, "--task", "inventory", "--model", "null", "--out", tmp_path / "b", *SUB)
    assert code == 0 and "built" not in err, err
    name = json.loads((tmp_path / "b" / "manifest.json").read_text())["images"]["inventory"]["name"]
    assert first and name in _images()
    changed = tmp_path / "changed"  # content no earlier run had, so no earlier run's image is in the cache
    write(changed / "inventory", {**INVENTORY, "environment/inventory.csv": f"sku,qty\na,41\n{uuid.uuid4().hex},1\n"})
    code, _, err = cli("run", "--suite", changed, "--model", "null", "--out", tmp_path / "c", *SUB)
    assert code == 0 and "built localhost/pertask-task/inventory:" in err, err
    rebuilt = json.loads((tmp_path / "c" / "manifest.json").read_text())["images"]["inventory"]["name"]
    subprocess.run([*engine_cli(), "rmi", rebuilt], capture_output=True)  # not left in the store run after run
    assert rebuilt != name


def test_without_the_container_sandbox_a_build_is_refused_in_one_line(tb2, cli, tmp_path):
    code, _, err = cli("run", "--suite", tb2, "--model", "null", "--sandbox", "bwrap", "--out", tmp_path / "r")
    assert code == 2 and "needs a Docker build (RUN " in err and "--sandbox container" in err
    assert not (tmp_path / "r" / "samples.jsonl").exists()


def test_the_same_tasks_run_on_docker(tb2, cli, tmp_path, dockerd):
    """The container sandbox on docker (a dockerd of the tests' own, root mapped): a background service the
    verifier needs, and test.sh's own steps offline. (Builds that pip-install over TLS need the host's CA
    bundle, which docker's builder cannot bind: on this machine those stay on podman.)"""
    out = tmp_path / "run"
    run_json(cli, "run", "--suite", tb2, "--task", "service", "--task", "extras", "--model", "oracle", "--model", "null",
             "--out", out, "--container-engine", "docker", *SUB)
    got = {(s["model"], s["task_id"]): s["score"] for s in load_samples(out)}
    assert got == {("oracle", "service"): 1.0, ("oracle", "extras"): 1.0, ("null", "service"): 0.0,
                   ("null", "extras"): 0.0}, got
    manifest = json.loads((out / "manifest.json").read_text())
    assert (manifest["container_engine"], manifest["container_root_mapped"]) == ("docker", True)
    left = subprocess.run(["docker", "ps", "-a", "--filter", "label=pertask=sample", "--format", "{{.Names}}"],
                          capture_output=True, text=True).stdout.split()
    assert left == [], "no container outlives its sample"


def test_a_document_task_runs_in_an_image_of_the_office_stack_under_sandbox_container(cli, tmp_path):
    """A document task brings no image; under --sandbox container it gets pertask's image of the document stack (the
    base image and the office libraries at the host's versions), where its reference writes the deliverable and its
    checks read it with the image's own python3."""
    from tasks.loader import generated

    task, src, suite = "northwind-w1-baseline", generated("briefcase"), tmp_path / "suite"
    for name in (task, "_bases/northwind-shared", "_bases/northwind-w01"):
        shutil.copytree(src / name, suite / name)
    code, out, err = cli("tasks", "check", "--suite", suite, "--sandbox", "container")
    assert code == 0 and "1 ok, 0 broken, 0 grader problem(s)" in out, err
    # The image the run used, as the run names it (found in the engine's store now, not built again).
    from harness.sandboxes.images import stack_layer, task_image
    from tasks.loader import load_suite

    (loaded,) = load_suite(str(suite)).tasks
    image = task_image(task, loaded.digest, None, None, BASE_IMAGE, {}, stack_layer(loaded.environment.stack))
    assert not image.built and image.name in _images()
    image = image.name
    probe = subprocess.run([*engine_cli(), "run", "--rm", "--network", "none", "--ulimit", "nofile=1024:1024",
                            "--ulimit", "nproc=4096:4096", image, "python3", "-c",
                            "import openpyxl, docx, pptx, pypdf, fpdf; print('stack ok')"], capture_output=True, text=True)
    assert probe.stdout.strip() == "stack ok", probe.stderr

"""The container sandbox on real podman: Harbor-format tasks whose Dockerfiles RUN apt-get and pip,
built once (cached by digest) and run as Harbor runs them, through the CLI. No registry is reachable
here, so FROM python:3.13-slim is substituted with the locally built Debian base (harness/images.py),
as a user on an offline machine would do."""

from __future__ import annotations

import json
import subprocess
import uuid
from pathlib import Path

import pytest

from harness.images import BASE_IMAGE, podman
from tests.conftest import load_samples, run_json
from tests.tasks.test_harbor import EXTRAS, write

SUB = ["--substitute-image", f"python:3.13-slim={BASE_IMAGE}"]
TOML = 'version = "1.0"\n[verifier]\ntimeout_sec = 120\n[agent]\ntimeout_sec = 300\n'
DOCKER = """FROM python:3.13-slim
ENV GREETING=hello-from-the-image
RUN apt-get update && apt-get install -y --no-install-recommends sqlite3 && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir tomli-w==1.0.0
RUN mkdir -p /opt/built && echo yes > /opt/built/marker
WORKDIR /app
COPY inventory.csv /app/inventory.csv
COPY helper.sh /usr/local/bin/helper
RUN chmod +x /usr/local/bin/helper
"""
# The verifier checks what only the built image has (sqlite3 from apt, tomli_w from pip, a file a RUN made,
# a COPY outside WORKDIR, the image's ENV and HOME) and what the oracle did with /solution.
TEST_SH = r"""#!/bin/bash
ok=1
check() { if ! eval "$1"; then echo "FAILED: $1"; ok=0; fi; }
check '[ "$(sqlite3 /app/total.db "select sum(qty) from totals")" = "42" ]'
check 'python3 -c "import tomllib; assert tomllib.load(open(\"/app/out.toml\",\"rb\"))[\"total\"] == 42"'
check '[ "$(cat /app/env.txt)" = "hello-from-the-image /root yes helped" ]'
echo $ok > /logs/verifier/reward.txt
"""
SOLVE = r"""#!/bin/bash
cd /app
sqlite3 total.db "create table totals(sku text, qty int)"
python3 - <<'PY'
import csv, sqlite3, tomli_w
rows = list(csv.DictReader(open("/app/inventory.csv")))
db = sqlite3.connect("/app/total.db")
db.executemany("insert into totals values (?, ?)", [(r["sku"], int(r["qty"])) for r in rows])
db.commit()
open("/app/out.toml", "wb").write(tomli_w.dumps({"total": sum(int(r["qty"]) for r in rows)}).encode())
PY
echo "$GREETING $HOME $(cat /opt/built/marker) $(helper)" > env.txt
test -f /solution/solve.sh
"""
INVENTORY = {
    "task.toml": TOML,
    "instruction.md": "Load /app/inventory.csv into /app/total.db (table totals(sku, qty)), write its total to "
                      "/app/out.toml as `total` with tomli_w, and write \"$GREETING $HOME <marker> <helper>\" to /app/env.txt.\n",
    "environment/Dockerfile": DOCKER,
    "environment/inventory.csv": "sku,qty\na,40\nb,2\n",
    "environment/helper.sh": "#!/bin/sh\necho helped\n",
    "tests/test.sh": TEST_SH,
    "solution/solve.sh": SOLVE,
}
# A service the agent starts that the verifier talks to: it must still run when grading starts.
SERVICE = {
    "task.toml": TOML + "[pertask]\nverifier_needs_processes = true\n",
    "instruction.md": "Serve /app/site on port 8080 (plain HTTP) and leave it running.\n",
    "environment/Dockerfile": "FROM python:3.13-slim\nRUN mkdir -p /app/site && echo up > /app/site/index.html\nWORKDIR /app\n",
    "tests/test.sh": "python3 -c \"import urllib.request as u; print(u.urlopen('http://127.0.0.1:8080/').read())\" "
                     "&& echo 1 > /logs/verifier/reward.txt || echo 0 > /logs/verifier/reward.txt\n",
    "solution/solve.sh": "cd /app/site && (setsid nohup python3 -m http.server 8080 >/dev/null 2>&1 &) ; sleep 1\n",
}


EXTRAS_DOCKERFILE = "FROM python:3.13-slim\nRUN mkdir -p /app\nWORKDIR /app\n"  # a RUN: its own image


@pytest.fixture(scope="module")
def tb2(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("tb2c")
    write(root / "inventory", INVENTORY)
    write(root / "service", SERVICE)
    # test.sh's own steps around its fetching, offline, with the image's python3 (not pertask's)
    write(root / "extras", {**EXTRAS, "environment/Dockerfile": EXTRAS_DOCKERFILE})
    return root


def _images() -> set[str]:
    out = subprocess.run([*podman(), "images", "--format", "{{.Repository}}:{{.Tag}}"], capture_output=True, text=True)
    return set(out.stdout.split())


def _containers() -> list[str]:
    return subprocess.run([*podman(), "ps", "-a", "--filter", "label=pertask=sample", "--format", "{{.Names}}"],
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
    theirs = subprocess.run([*podman(), "run", "--rm", "--network", "none", "--ulimit", "nofile=1024:1024",
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
    subprocess.run([*podman(), "rmi", rebuilt], capture_output=True)  # not left in the store run after run
    assert rebuilt != name


def test_without_the_container_sandbox_a_build_is_refused_in_one_line(tb2, cli, tmp_path):
    code, _, err = cli("run", "--suite", tb2, "--model", "null", "--sandbox", "bwrap", "--out", tmp_path / "r")
    assert code == 2 and "needs a Docker build (RUN " in err and "--sandbox container" in err
    assert not (tmp_path / "r" / "samples.jsonl").exists()


def test_the_example_tasks_are_the_tested_ones():
    """examples/tb2-format (benchmarks/tb2_coverage.py runs it) holds exactly the task folders tested here."""
    from tests.tasks.test_harbor import COUNT, GREETING

    root = Path(__file__).resolve().parents[2] / "examples" / "tb2-format"
    want = {"inventory": INVENTORY, "service": SERVICE, "count-lines": COUNT, "greeting": GREETING,
            "extras": {**EXTRAS, "environment/Dockerfile": EXTRAS_DOCKERFILE}}
    assert sorted(p.name for p in root.iterdir()) == sorted(want)
    for name, files in want.items():
        got = {str(p.relative_to(root / name)): p.read_text() for p in (root / name).rglob("*") if p.is_file()}
        assert got == files, name


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

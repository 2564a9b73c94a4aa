"""`--offline-images`: every registry base image Terminal-Bench 2 names stands on the closest Debian base pertask
builds from the package archive (harness/sandboxes/bases.py); the manifest says what differs."""

from __future__ import annotations

import json

import pytest

from harness.sandboxes.bases import Substitutions, stand_in
from tests.conftest import load_samples, run_json
from tests.tasks.test_harbor import TOML, write

# The seven FROM images of Terminal-Bench 2.0's Dockerfiles, and the base each gets.
TB2_BASES = {"python:3.13-slim-bookworm": "trixie", "ubuntu:24.04": "trixie", "python:3.11-slim": "bookworm",
             "python:3.10-slim-bookworm": "bookworm", "debian:bullseye-slim": "bullseye", "debian:13.0-slim": "trixie",
             "python:3.11": "bookworm"}


@pytest.mark.parametrize("name, release", TB2_BASES.items())
def test_each_registry_image_gets_the_closest_release(name, release):
    got, note = stand_in(name)
    assert got.name == release and note.startswith(f"{name}: Debian {got.debian} ({release}) with Python")
    assert ("which Debian does not ship" in note) == (name == "python:3.10-slim-bookworm"), note
    assert ("Ubuntu's archive is not reached" in note) == name.startswith("ubuntu"), note


def test_what_has_no_stand_in_is_left_and_a_given_substitution_wins():
    assert stand_in("ghcr.io/acme/tool:1.2") is None and stand_in("node:20-bookworm") is None
    subs = Substitutions({"python:3.11-slim": "localhost/mine:1"}, offline=True)
    assert subs.get("python:3.11-slim") == "localhost/mine:1" and "python:3.11-slim" not in subs.notes
    assert subs["docker.io/library/python:3.12"] == "localhost/pertask-base:trixie", "3.12: the newer of two nearest"
    assert "ghcr.io/acme/tool:1.2" not in subs
    assert "python:3.13" not in Substitutions({}, offline=False), "without the flag nothing is substituted"
    mirror = Substitutions({}, namespace="registry.local:5000/swebench/")
    for name in ("swebench/sweb.eval.x86_64.astropy_1776_astropy-12907:latest",
                 "docker.io/swebench/sweb.eval.x86_64.astropy_1776_astropy-12907:latest"):
        assert mirror[name] == "registry.local:5000/swebench/sweb.eval.x86_64.astropy_1776_astropy-12907:latest"
    assert "python:3.11" not in mirror and "ghcr.io/swebench/x" not in mirror


# A task written for Python 3.13 on bookworm, installing a Debian package at build time (the archive is reached).
PY313 = {
    "task.toml": TOML,
    "instruction.md": "Write the Python version to /app/version.txt.\n",
    "environment/Dockerfile": "FROM python:3.13-slim-bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends "
                              "jq && rm -rf /var/lib/apt/lists/*\nWORKDIR /app\n",
    "tests/test.sh": "v=$(python3 -c 'import sys; print(\"%d.%d\" % sys.version_info[:2])'); "
                     "if [ \"$(cat /app/version.txt)\" = \"$v\" ] && [ \"$v\" = 3.13 ] && command -v jq; "
                     "then echo 1 > /logs/verifier/reward.txt; else echo 0 > /logs/verifier/reward.txt; fi\n",
    "solution/solve.sh": "python3 -c 'import sys; print(\"%d.%d\" % sys.version_info[:2])' > /app/version.txt\n",
}


def test_one_flag_builds_a_python_313_task_on_trixie(tmp_path, cli):
    write(tmp_path / "tb2" / "py313", PY313)
    code, out, err = cli("tasks", "check", "--suite", tmp_path / "tb2", "--offline-images")
    assert code == 0 and "1 ok, 0 broken" in out, (out, err)
    run = tmp_path / "run"
    run_json(cli, "run", "--suite", tmp_path / "tb2", "--model", "oracle", "--out", run, "--offline-images")
    (s,) = load_samples(run)
    assert s["score"] == 1.0, s["grader"]
    manifest = json.loads((run / "manifest.json").read_text())
    assert manifest["image_substitutions"] == {"python:3.13-slim-bookworm": "localhost/pertask-base:trixie"}
    assert manifest["image_notes"]["python:3.13-slim-bookworm"].endswith("Debian 13 (trixie) with Python 3.13")


def test_the_base_command_builds_or_finds_each_release(cli):
    code, out, err = cli("images", "base", "trixie")  # built by the test above, or now
    assert code == 0 and out.strip() == "localhost/pertask-base:trixie  Debian 13 (trixie) with Python 3.13", (out, err)
    with pytest.raises(SystemExit) as stop:
        cli("images", "base", "sid")
    assert stop.value.code == 2


@pytest.mark.parametrize("log, said", [
    ("curl: (6) Could not resolve host: github.com\nError: building at STEP", "it fetches from github.com, which"),
    ("--2026-12-07--  https://archive.org/x\nResolving archive.org... failed.\nwget: unable to resolve host address "
     "‘archive.org’", "it fetches from archive.org, which"),
    ("fatal: unable to access 'https://github.com/acme/tool.git/': Could not resolve host: github.com",
     "it fetches from github.com, which"),
    ("Error: creating build container: initializing source docker://ghcr.io/acme/base:1: pinging container registry "
     "ghcr.io: Get \"https://ghcr.io/v2/\": dial tcp: lookup ghcr.io: no such host", "it pulls an image from ghcr.io"),
    ("E: Version '1.2.3-1ubuntu1' for 'libfoo' was not found", "it pins libfoo=1.2.3-1ubuntu1, a version"),
    ("E: Unable to locate package libssl1.1", "it installs libssl1.1, which the base image's"),
    ("Error: building at STEP \"RUN make\": exit status 2", ""),
])
def test_a_failed_build_says_why_in_one_line(log, said):
    from harness.sandboxes.build_causes import cause

    assert cause(log).startswith(said) if said else cause(log) == ""


def test_a_task_that_fetches_from_an_unreachable_host_is_named_with_its_cause(tmp_path, cli):
    """`.invalid` never resolves, on any machine: the check names the host, and goes on with the other tasks."""
    fetches = {**PY313, "environment/Dockerfile": "FROM python:3.11-slim\nRUN curl -fsSL https://files.example.invalid"
                                                   "/tool.tgz -o /tmp/tool.tgz || python3 -c \"import urllib.request; "
                                                   "urllib.request.urlopen('https://files.example.invalid/tool.tgz')\"\n"}
    write(tmp_path / "tb2" / "fetches", fetches)
    code, out, err = cli("tasks", "check", "--suite", tmp_path / "tb2", "--offline-images")
    assert code == 1 and "fetches: " in err and "it fetches from files.example.invalid, which this machine does not " \
                                                "reach" in err, err

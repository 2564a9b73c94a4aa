"""A docker daemon of the tests' own, for the container sandbox on docker."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

SOCK = "/tmp/pertask-test-dockerd.sock"


@pytest.fixture(scope="session")
def dockerd():
    """dockerd with --userns-remap=default (a container's root is an unprivileged host user), its images kept
    under /var/cache so a second run reuses them.
    Skipped, saying why, where docker is not installed (scripts/setup.sh dev installs it)."""
    if not (shutil.which("docker") and shutil.which("dockerd")):
        pytest.skip("docker is not installed (scripts/setup.sh dev installs docker.io)")
    # Not under ~/.cache: with userns-remap every parent of the data root must be o+x, and /root is not.
    data = Path("/var/cache/pertask/docker")
    log = open("/tmp/pertask-test-dockerd.log", "w")
    proc = subprocess.Popen(["dockerd", "--userns-remap=default", "--data-root", str(data),
                             "--exec-root", "/tmp/pertask-test-dockerd", "--pidfile", "/tmp/pertask-test-dockerd.pid",
                             "--host", f"unix://{SOCK}", "--bridge", "none", "--iptables=false"],
                            stdout=log, stderr=subprocess.STDOUT)
    before = os.environ.get("DOCKER_HOST")
    os.environ["DOCKER_HOST"] = f"unix://{SOCK}"
    try:
        for _ in range(120):
            if subprocess.run(["docker", "info"], capture_output=True).returncode == 0:
                break
            if proc.poll() is not None:
                raise RuntimeError(f"dockerd exited: {Path('/tmp/pertask-test-dockerd.log').read_text()[-2000:]}")
            time.sleep(0.5)
        else:
            raise RuntimeError("dockerd did not answer within 60 s")
        yield f"unix://{SOCK}"
    finally:
        if before is None:
            os.environ.pop("DOCKER_HOST", None)
        else:
            os.environ["DOCKER_HOST"] = before
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()

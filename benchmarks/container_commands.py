"""Per-command overhead and sample start in the container sandbox, beside the bubblewrap session's, in
one run on this machine. Prints p50 and p90 in milliseconds.

    .venv/bin/python benchmarks/container_commands.py [N]

Start: a container of a cached image up and its command server answering (container) or the first
command's sandbox (bwrap). Per command: `true` through the sample's session, as the agent's bash tool
runs it. For comparison, `podman exec` per command (what an exec-per-call design would pay), and
`docker exec` per command where a docker daemon answers (DOCKER_HOST).
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harness.sandboxes.bwrap import BwrapSandbox, bwrap_path  # noqa: E402
from harness.sandboxes.container import ContainerSandbox  # noqa: E402
from harness.sandboxes.images import base_image, engine_cli  # noqa: E402


def pct(xs: list[float], q: float) -> float:
    return statistics.quantiles(xs, n=100)[int(q) - 1] * 1000


async def measure(make, n: int) -> tuple[list[float], list[float]]:
    starts, per = [], []
    for _ in range(5):
        with tempfile.TemporaryDirectory() as tmp:
            box = make(Path(tmp))
            t = time.perf_counter()
            await asyncio.to_thread(box.prepare, Path(tmp) / "src")
            await box.run("true", timeout_s=30)
            starts.append(time.perf_counter() - t)
            for _ in range(n // 5):
                t = time.perf_counter()
                await box.run("true", timeout_s=30)
                per.append(time.perf_counter() - t)
            await box.destroy()
    return starts, per


async def main(n: int) -> None:
    image = base_image()
    rows = {"container": await measure(lambda root: ContainerSandbox(root, image, "/app"), n)}
    if bwrap_path():
        def make_bwrap(root: Path) -> BwrapSandbox:
            (root / "src").mkdir()
            return BwrapSandbox(root / "box", [])
        rows["bwrap"] = await measure(make_bwrap, n)
    name = "pertask-bench-exec"
    subprocess.run([*engine_cli(), "rm", "-f", "-t", "0", name], capture_output=True)  # one a killed run left
    subprocess.run([*engine_cli(), "run", "-d", "--name", name, "--network", "none", "--ulimit", "nofile=1024:1024",
                    "--ulimit", "nproc=4096:4096", "--entrypoint", "sleep", image,
                    "infinity"], capture_output=True, check=True)
    try:
        execs = []
        for _ in range(max(20, n // 10)):
            t = time.perf_counter()
            subprocess.run([*engine_cli(), "exec", name, "true"], capture_output=True, check=True)
            execs.append(time.perf_counter() - t)
    finally:
        subprocess.run([*engine_cli(), "rm", "-f", "-t", "0", name], capture_output=True)
    print(f"{'sandbox':<22} {'start p50':>10} {'start max':>10} {'cmd p50':>9} {'cmd p90':>9}  (ms)")
    for k, (starts, per) in rows.items():
        print(f"{k:<22} {statistics.median(starts) * 1000:>10.1f} {max(starts) * 1000:>10.1f} "
              f"{pct(per, 50):>9.2f} {pct(per, 90):>9.2f}")
    print(f"{'podman exec per call':<22} {'':>10} {'':>10} {pct(execs, 50):>9.2f} {pct(execs, 90):>9.2f}")
    docker = docker_execs(image, max(20, n // 10))
    if docker:
        print(f"{'docker exec per call':<22} {'':>10} {'':>10} {pct(docker, 50):>9.2f} {pct(docker, 90):>9.2f}")
    else:
        print("docker exec per call: no docker daemon answers here (set DOCKER_HOST, or start dockerd)")


def docker_execs(image: str, n: int) -> list[float]:
    """`docker exec` per command into a running container: what an exec-per-call harness pays on docker."""
    if not shutil.which("docker") or subprocess.run(["docker", "info"], capture_output=True).returncode != 0:
        return []
    tar = subprocess.run([*engine_cli(), "save", image], capture_output=True, check=True).stdout  # into docker's store
    subprocess.run(["docker", "load"], input=tar, capture_output=True, check=True)
    name = "pertask-bench-docker-exec"
    subprocess.run(["docker", "rm", "-f", name], capture_output=True)
    subprocess.run(["docker", "run", "-d", "--name", name, "--network", "none", "--entrypoint", "sleep", image,
                    "infinity"], capture_output=True, check=True)
    try:
        times = []
        for _ in range(n):
            t = time.perf_counter()
            subprocess.run(["docker", "exec", name, "true"], capture_output=True, check=True)
            times.append(time.perf_counter() - t)
        return times
    finally:
        subprocess.run(["docker", "rm", "-f", name], capture_output=True)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 200))

"""Figure 23: what `--offline-images` costs on a machine that reaches no image registry.

For each Debian base (bullseye, bookworm, trixie): `pertask images base RELEASE` from nothing (its cached rootfs and its
images removed first: mmdebstrap from Debian's archive, then the engine's import), its size; then a Terminal-Bench-shaped
task image on it (`FROM python:X` with an `apt-get install` step, what most Terminal-Bench 2 Dockerfiles do), built
once and then found again (the cache a second run of the task reuses).

    .venv/bin/python benchmarks/offline_images.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from harness.sandboxes import engines  # noqa: E402
from harness.sandboxes.bases import RELEASES, Substitutions  # noqa: E402
from harness.sandboxes.images import base_image, task_image  # noqa: E402
from results.store import cache_root  # noqa: E402

FROM = {"bullseye": "python:3.9-slim", "bookworm": "python:3.11-slim", "trixie": "python:3.13-slim-bookworm"}
DOCKERFILE = "FROM {image}\nRUN apt-get update && apt-get install -y --no-install-recommends jq && rm -rf /var/lib/apt/lists/*\nWORKDIR /app\n"


def size_mb(name: str) -> float:
    out = subprocess.run([*engines.cli(), "image", "inspect", "--format", "{{.Size}}", name], capture_output=True,
                         text=True, check=True).stdout
    return int(out.strip()) / 1e6


def main() -> None:
    for release, image in FROM.items():
        base = RELEASES[release].image
        subprocess.run([*engines.cli(), "rmi", "--force", base, base.replace("pertask-base", "pertask-base-rootfs")],
                       capture_output=True)
        (cache_root() / "images" / f"pertask-base-{release}-1.tar").unlink(missing_ok=True)
        t0 = time.perf_counter()
        base_image(release)
        built = time.perf_counter() - t0
        with tempfile.TemporaryDirectory() as d:
            dockerfile = Path(d) / "Dockerfile"
            dockerfile.write_text(DOCKERFILE.format(image=image))
            subs, digest = Substitutions({}, offline=True), f"offline-{time.time_ns()}"
            t0 = time.perf_counter()
            first = task_image(f"bench-{release}", digest, Path(d), dockerfile, None, subs)
            task_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            again = task_image(f"bench-{release}", digest, Path(d), dockerfile, None, subs)
            reuse_s = time.perf_counter() - t0
        print(f"{release:<9} base {built:5.1f} s, {size_mb(base):4.0f} MB ({RELEASES[release].about()}); "
              f"FROM {image} + apt-get: first build {task_s:5.1f} s, found again {reuse_s * 1000:5.0f} ms "
              f"({'cached' if not again.built else 'rebuilt'}); {subs.notes[image].split(': ', 1)[1]}")
        subprocess.run([*engines.cli(), "rmi", "--force", first.name], capture_output=True)


if __name__ == "__main__":
    main()

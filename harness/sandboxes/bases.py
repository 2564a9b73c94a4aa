"""Base images pertask builds from Debian's package archive, for machines that reach no image registry, and the
registry images each stands in for under `--offline-images`.

    pertask images base [RELEASE ...]     builds localhost/pertask-base:RELEASE (bullseye, bookworm, trixie)

Each is Debian's minimal system with its own Python 3, pip, venv and procps, made by mmdebstrap (33-37 s and 175-251 MB
each on a 2-core machine, once: benchmarks/offline_images.py). A task's `FROM python:3.13-slim-bookworm` or `FROM ubuntu:24.04` then builds on the closest one:

- `python:X.Y...`: the release whose Python is X.Y (bullseye 3.9, bookworm 3.11, trixie 3.13), else the nearest
  version (a tie goes to the newer);
- `debian:...`: the release its tag names (a codename or 11, 12, 13; `latest`/`stable`: trixie);
- `ubuntu:...`: Ubuntu's archive is not Debian's; the Debian release of about its age (24.04: trixie, 22.04:
  bookworm, 20.04: bullseye);
- anything else is left to the engine to pull.

So a task written for Python 3.12 or Ubuntu runs on another Python and Debian's package names: the run's manifest says
which, per image (`image_notes`). A `--substitute-image` given as well wins over these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Release:
    name: str
    debian: int
    python: tuple[int, int]

    @property
    def image(self) -> str:
        return f"localhost/pertask-base:{self.name}"

    def about(self) -> str:
        return f"Debian {self.debian} ({self.name}) with Python {self.python[0]}.{self.python[1]}"


RELEASES = {r.name: r for r in (Release("bullseye", 11, (3, 9)), Release("bookworm", 12, (3, 11)),
                                Release("trixie", 13, (3, 13)))}
NEWEST = "trixie"
UBUNTU = {"24.04": "trixie", "noble": "trixie", "22.04": "bookworm", "jammy": "bookworm", "20.04": "bullseye",
          "focal": "bullseye"}


def _repo_tag(name: str) -> tuple[str, str]:
    ref = name.split("@", 1)[0]
    repo, tag = (ref.rsplit(":", 1) if ":" in ref.rsplit("/", 1)[-1] else (ref, "latest"))
    for prefix in ("docker.io/", "index.docker.io/", "library/"):
        repo = repo.removeprefix(prefix)
    return repo, tag


def stand_in(name: str) -> tuple[Release, str] | None:
    """The base that stands in for a registry image, and a line on what differs; None where there is none."""
    repo, tag = _repo_tag(name)
    if repo == "python":
        m = re.match(r"(\d+)\.(\d+)", tag)
        if not m:
            release = RELEASES[NEWEST]
            return release, f"{name}: {release.about()}"
        want = (int(m.group(1)), int(m.group(2)))
        release = min(RELEASES.values(), key=lambda r: (abs(r.python[1] - want[1]) + 100 * abs(r.python[0] - want[0]),
                                                        -r.python[1]))
        got = "" if release.python == want else f" (it names Python {want[0]}.{want[1]}, which Debian does not ship)"
        return release, f"{name}: {release.about()}{got}"
    if repo == "debian":
        release = next((r for r in RELEASES.values() if r.name in tag or re.match(rf"{r.debian}\b", tag)), None)
        release = release or (RELEASES[NEWEST] if re.match(r"(latest|stable|slim)\b", tag) else None)
        return (release, f"{name}: {release.about()}") if release else None
    if repo == "ubuntu":
        release = RELEASES[next((v for k, v in UBUNTU.items() if tag.startswith(k)), NEWEST)]
        return release, f"{name}: {release.about()} (Ubuntu's archive is not reached; Debian's package names)"
    return None


class Substitutions(dict):
    """Image substitutions: NAME -> LOCAL as given (--substitute-image); with `namespace` (--image-namespace) SWE-bench's
    instance images (swebench/NAME) from that namespace (a mirror); with `offline` (--offline-images) a stand-in for
    every registry image above. Filled in as images are looked up; `notes` says what each differs in."""

    def __init__(self, given: dict[str, str] | None = None, offline: bool = False, namespace: str = ""):
        super().__init__(given or {})
        self.offline, self.namespace = offline, namespace.rstrip("/")
        self.notes: dict[str, str] = {}

    def _fill(self, name: str) -> bool:
        if dict.__contains__(self, name):
            return True
        if self.namespace and (m := re.match(r"(?:(?:index\.)?docker\.io/)?swebench/(.+)$", name)):
            self[name], self.notes[name] = f"{self.namespace}/{m.group(1)}", f"{name}: from {self.namespace}"
            return True
        found = stand_in(name) if self.offline else None
        if found is None:
            return False
        self[name], self.notes[name] = found[0].image, found[1]
        return True

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._fill(name)

    def __missing__(self, name: str) -> str:
        if self._fill(name):
            return dict.__getitem__(self, name)
        raise KeyError(name)

    def get(self, name, default=None):
        return self[name] if name in self else default

"""Harbor's test.sh where the verifier has no network: the script as written, less what fetches.

Most published test.sh files install uv with curl, then run pytest through `uvx -w PKG …` or `uv run`
(after `uv add PKG`), some apt-get their tools first; around that they copy files, set variables and
write the reward themselves. Replacing the whole script with "pytest on test_outputs.py" dropped those
steps. Here the script is kept and only the fetching is rewritten:

- the uv installer, `source $HOME/.local/bin/env`, `uv venv/init`, `apt-get` and `pip install` lines
  become `true` (apt packages cannot be had offline: the verifier's output names them);
- `uvx [-p V] [-w PKG]… pytest ARGS` and `uv run … pytest ARGS` become `"$PERTASK_PY" -m pytest ARGS`,
  in a fresh virtual environment of the sandbox's own python3 holding pytest (at the script's pin)
  and every package the script names (`-w`/`--with`, `uv add`, `uv pip install`, `pip install`);
- those packages are downloaded on the host, where the package index is reachable, as wheels for the
  sandbox's interpreter (its version and platform, asked first), cached, and copied in at /pertask-wheels
  only now, after the agent, with the tests.

Anything else that needs the network (a curl of data, a git clone, a pip install of a URL) is left as written
and fails visibly; `unhandled` names it, so the loader can say so.
"""

from __future__ import annotations

import hashlib
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

SEGMENT = re.compile(r"(\s*(?:&&|\|\||;)\s*)")  # a line's commands, separators kept (quoting is not parsed)
UV_INSTALLER = re.compile(r"\b(curl|wget)\b.*(astral\.sh|/uv/|uv-installer)|\bpip3?\s+install\s+(-\S+\s+)*uv\b")
UV_ENV = re.compile(r"^\s*(source|\.)\s+\S*(\.local/bin/env|\.cargo/env|bin/activate)\b")
APT = re.compile(r"^\s*(sudo\s+)?(apt-get|apt)\s+(?P<what>.*)$")
PIP_INSTALL = re.compile(r"^\s*(uv\s+pip|pip3?|python3?\s+-m\s+pip)\s+install\s+(?P<args>.*)$")
UV_ADD = re.compile(r"^\s*uv\s+add\s+(?P<args>.*)$")
UV_SETUP = re.compile(r"^\s*uv\s+(venv|init|sync|python\s+install)\b")
UV_RUN = re.compile(r"^(?P<lead>\s*(?:\w+=\S+\s+)*)(?:uvx|uv\s+(?:tool\s+)?run)\b"
                    r"(?P<opts>(?:\s+(?:-p|--python|-w|--with|--from|--with-requirements)(?:\s+|=)\S+|\s+--?[\w-]+)*)"
                    r"\s+(?P<cmd>[\w.\-\[\]]+(?:[=<>~!]=?\S+)?)(?P<rest>.*)$")
FETCH = re.compile(r"\b(curl|wget|git\s+clone)\b")
OPTS_WITH = re.compile(r"(?:-w|--with)(?:\s+|=)(\S+)")


@dataclass
class OfflinePlan:
    script: str  # test.sh rewritten
    packages: list[str] = field(default_factory=list)  # pip requirement strings, pytest first
    dropped_apt: list[str] = field(default_factory=list)
    unhandled: list[str] = field(default_factory=list)  # other network use, left as written
    requirement_files: list[str] = field(default_factory=list)  # -r FILE under /tests, read on the host


def _words(args: str) -> list[str]:
    try:
        return shlex.split(args)
    except ValueError:
        return args.split()


def _requirements(args: str, plan: OfflinePlan) -> None:
    words = _words(args)
    skip_next = False
    for i, w in enumerate(words):
        if skip_next:
            skip_next = False
            continue
        if w in ("-r", "--requirement") and i + 1 < len(words):
            plan.requirement_files.append(words[i + 1])
            skip_next = True
        elif w in ("-i", "--index-url", "--extra-index-url", "-f", "--find-links", "-c", "--constraint", "--target",
                   "-t", "--python", "-p", "-e", "--editable"):
            skip_next = True
        elif "://" in w or w.startswith("git+"):  # a URL is fetched, not resolved from the index: offline, it fails
            plan.unhandled.append(f"pip install {w[:60]}")
        elif not w.startswith(("-", ".", "/")):
            plan.packages.append(w)


def plan_offline(test_sh: str) -> OfflinePlan:
    plan = OfflinePlan("")
    pytest_pin = "pytest"
    out = []
    for line in re.sub(r"\\\n", " ", test_sh).splitlines():
        if line.lstrip().startswith("#"):
            out.append(line)
            continue
        parts = SEGMENT.split(line)
        for i in range(0, len(parts), 2):
            seg = parts[i]
            if not seg.strip():
                continue
            if UV_INSTALLER.search(seg) or UV_ENV.match(seg) or UV_SETUP.match(seg):
                parts[i] = "true"
            elif m := APT.match(seg):
                words = [w for w in _words(m["what"]) if not w.startswith("-") and w not in ("install", "update")]
                plan.dropped_apt += words
                parts[i] = "true"
            elif m := PIP_INSTALL.match(seg) or UV_ADD.match(seg):
                _requirements(m["args"], plan)
                parts[i] = "true"
            elif m := UV_RUN.match(seg):
                plan.packages += [p.strip("'\"") for v in OPTS_WITH.findall(m["opts"]) for p in v.split(",") if p]
                cmd = m["cmd"]
                if cmd.startswith("pytest"):
                    pytest_pin = cmd
                    parts[i] = f'{m["lead"]}"$PERTASK_PY" -m pytest{m["rest"]}'
                elif cmd in ("python", "python3"):
                    parts[i] = f'{m["lead"]}"$PERTASK_PY"{m["rest"]}'
                else:  # uvx TOOL: the tool's package, its script from the environment
                    plan.packages.append(cmd)
                    tool = re.split(r"[=<>~!\[]", cmd)[0]
                    parts[i] = f'{m["lead"]}"$PERTASK_VENV/bin/{tool}"{m["rest"]}'
            elif FETCH.search(seg):
                plan.unhandled.append(seg.strip()[:80])
        out.append("".join(parts))
    pins = [p for p in plan.packages if re.split(r"[=<>~!\[ ]", p)[0] == "pytest"]
    plan.packages = [pins[-1] if pins else pytest_pin] + sorted({p for p in plan.packages if p not in pins})
    plan.script = "\n".join(out) + "\n"
    return plan


def prologue(packages: list[str]) -> str:
    """Run first in the sandbox: a fresh environment of its own python3 with the wheels copied in, first on PATH.

    - It sees the image's own packages (--system-site-packages), as the tests' imports may need them, but holds its
      own copy of every package the script names (--ignore-installed), as uvx's environment would.
    - It is made without ensurepip, which slim images lack, with the pip wheel that came with the others.
    - First on PATH, so a script that runs a bare `pytest` or `python3 -m pytest` (expecting what it installed) gets
      this environment's, plugins included."""
    pkgs = " ".join(shlex.quote(p) for p in packages)
    return ("PERTASK_VENV=/tmp/pertask-verifier; rm -rf \"$PERTASK_VENV\"; "
            "\"${PERTASK_BASE_PY:-python3}\" -m venv --system-site-packages --without-pip \"$PERTASK_VENV\" && "
            "\"$PERTASK_VENV/bin/python\" \"$(ls /pertask-wheels/pip-*.whl | head -n 1)/pip\" install -q "
            f"--disable-pip-version-check --ignore-installed --no-index --find-links /pertask-wheels {pkgs} "
            "|| echo 'pertask: the offline verifier could not install its packages'; "
            "export PERTASK_VENV PERTASK_PY=\"$PERTASK_VENV/bin/python\" PATH=\"$PERTASK_VENV/bin:$PATH\"; hash -r\n")


PROBE = "\"${PERTASK_BASE_PY:-python3}\" -c 'import sys, sysconfig; print(\"%d.%d\" % sys.version_info[:2], sysconfig.get_platform())'"


def download_wheels(packages: list[str], python: str, platform: str, cache: Path) -> Path:
    """Wheels of `packages` for that interpreter, from the host's package index, cached by what was asked."""
    key = hashlib.sha256(f"{sorted(packages)}\0{python}\0{platform}\0+pip".encode()).hexdigest()[:16]
    dest = cache / key
    if (dest / ".complete").is_file():
        return dest
    dest.mkdir(parents=True, exist_ok=True)
    arch = platform.split("-", 1)[-1].replace("-", "_")  # linux-x86_64 -> x86_64
    plats = [f"manylinux_2_{n}_{arch}" for n in (17, 28, 31, 34, 36)] + [f"manylinux2014_{arch}", f"linux_{arch}"]
    argv = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--dest", str(dest),
            "--only-binary=:all:", "--python-version", python, "--implementation", "cp",
            *(a for p in plats for a in ("--platform", p)), *packages, "pip"]  # pip: it installs the rest
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        raise RuntimeError(f"pip download {' '.join(packages)} for Python {python}: "
                           f"{(proc.stderr or proc.stdout).strip().splitlines()[-1:]}")
    (dest / ".complete").write_text("")
    return dest

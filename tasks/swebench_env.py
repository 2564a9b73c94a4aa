"""SWE-bench on the host: each repository's tests in an environment of its own, as swebench's specifications give it
for that repository and version — its Python, its packages, its install step — never pertask's interpreter or
site-packages.

The specifications are swebench's own, as its 4.1 release ships them (`swebench/harness/constants/python.py`; the 5.x
releases moved them into the published instance images): read from that wheel, downloaded once from the package
index into pertask's cache. An environment is built once per (repository, version, setup commit) under
`~/.cache/pertask/swebench/envs/`:

- a virtual environment of the Python the specification names, found on the machine (`pythonX.Y` on PATH, or
  pyenv's); none there is a one-line error naming the version to install;
- the packages it names (a list, or the repository's requirements.txt) and its pip packages, then its install step,
  run in a checkout of the instance's environment-setup commit; packages the specification leaves unpinned resolved
  as of SWE-bench Verified's publication (uv's --exclude-newer, where uv is installed), the environments its test
  lists were checked in;
- then the repository itself is uninstalled and its checkout removed: the tests import the sample's workspace (first
  on PYTHONPATH), and the agent never sees the setup commit's code, which may hold the fix.

Repositories whose install builds extensions, or whose specification is a conda environment, need their images.
"""

from __future__ import annotations

import fcntl
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .errors import SuiteError

SPECS_RELEASE = "4.1.0"
# Packages a specification leaves unpinned resolve as of this date: when SWE-bench Verified was published, its
# instances' environments built and their FAIL_TO_PASS / PASS_TO_PASS lists checked (a newer pytest has since dropped
# what 2021 test suites use; an older one, as of an issue's own date, lacks what swebench's log parsers read).
AS_OF = "2024-08-13"
SPECS_FILE = "swebench/harness/constants/python.py"


class EnvError(RuntimeError):
    """An environment could not be built: a set-up error of the machine or the instance, never the model's."""


@dataclass
class HostEnv:
    """What a host SWE-bench task's commands need: its environment's folder and interpreter, visible read-only."""
    repo: str
    version: str
    clone: Path
    setup_commit: str
    spec: dict
    home: Path | None = None  # built: the environment's folder

    @property
    def bin(self) -> Path:
        assert self.home is not None
        return self.home / "venv" / "bin"

    def dirs(self) -> list[Path]:
        """The folders a sandbox shows (read-only): the environment, and the installation its interpreter lives in."""
        if self.home is None:  # not built (its task left out of the run): nothing to show
            return []
        return [self.home, (self.bin / "python").resolve().parents[1]]


def _cache() -> Path:
    from results.store import cache_root
    return cache_root() / "swebench"


def specs() -> dict[str, dict[str, dict]]:
    """swebench's MAP_REPO_VERSION_TO_SPECS_PY: repository -> version -> specification."""
    from .published import built_once

    home = _cache() / f"specs-{SPECS_RELEASE}"

    def fetch(tmp: Path) -> None:
        tmp.mkdir(parents=True)
        proc = subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--disable-pip-version-check",
                               "-d", str(tmp), f"swebench=={SPECS_RELEASE}"], capture_output=True, text=True, timeout=300)
        wheels = list(tmp.glob("swebench-*.whl"))
        if proc.returncode != 0 or not wheels:
            raise SuiteError(f"swebench's specifications (swebench {SPECS_RELEASE} from the package index): "
                             f"{(proc.stderr or proc.stdout).strip().splitlines()[-1:] or 'no wheel'}")
        with zipfile.ZipFile(wheels[0]) as z:
            (tmp / "specs.py").write_bytes(z.read(SPECS_FILE))
        (tmp / ".built").touch()

    built_once(home, ".built", fetch)
    ns: dict = {}
    exec(compile((home / "specs.py").read_text(), SPECS_FILE, "exec"), ns)  # constants only: dicts and strings
    return ns["MAP_REPO_VERSION_TO_SPECS_PY"]


def interpreter(version: str) -> Path | None:
    """A Python of that version on this machine: pyenv's newest X.Y.*, else pythonX.Y on PATH (not a pyenv shim,
    which answers only for the version pyenv has chosen)."""
    root = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
    cands = sorted(glob.glob(str(root / "versions" / f"{version}.*" / "bin" / f"python{version}")),
                   key=lambda p: [int(x) for x in re.findall(r"\d+", Path(p).parts[-3])])
    if cands:
        return Path(cands[-1])
    path = os.pathsep.join(d for d in os.environ.get("PATH", "").split(os.pathsep) if "/shims" not in d)
    found = shutil.which(f"python{version}", path=path)
    return Path(found) if found else None


def for_instance(inst: dict, clone: Path) -> HostEnv:
    """The environment an instance needs (not built yet); a SuiteError where swebench specifies none."""
    table = specs()
    version = str(inst.get("version", ""))
    spec = table.get(inst["repo"], {}).get(version)
    if spec is None:
        raise SuiteError(f"swebench's specifications have no {inst['repo']} version '{version}'")
    return HostEnv(inst["repo"], version, clone, inst.get("environment_setup_commit") or inst["base_commit"], spec)


def build(env: HostEnv, note=lambda _: None) -> HostEnv:
    """The environment, built the first time (minutes: a Python's packages) and found after; one builder at a time."""
    key = hashlib.sha256(json.dumps([env.repo, env.version, env.setup_commit, env.spec, AS_OF], sort_keys=True,
                                    default=str).encode()).hexdigest()[:12]
    home = _cache() / "envs" / f"{env.repo.replace('/', '__')}-{env.version}-{key}"
    home.parent.mkdir(parents=True, exist_ok=True)
    with open(home.parent / f".{home.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # built in place: a venv's scripts name its path, so it cannot be moved
        if not (home / ".built").is_file():
            note(f"{env.repo} {env.version}: building its environment (Python {env.spec['python']}) into {home}")
            shutil.rmtree(home, ignore_errors=True)
            try:
                _build(env, home)
            except BaseException:
                shutil.rmtree(home, ignore_errors=True)
                raise
    env.home = home
    return env


def _sh(cmd: list[str] | str, cwd: Path, env: dict[str, str], what: str, timeout: float = 1800) -> str:
    try:
        proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
                              shell=isinstance(cmd, str), executable="/bin/bash" if isinstance(cmd, str) else None)
    except subprocess.TimeoutExpired:
        raise EnvError(f"{what}: timed out after {timeout:.0f}s") from None
    if proc.returncode != 0:
        tail = " | ".join((proc.stderr or proc.stdout).strip().splitlines()[-3:])
        raise EnvError(f"{what} failed: {tail[-400:]}")
    return proc.stdout


def _build(env: HostEnv, home: Path) -> None:
    spec, version = env.spec, env.spec["python"]
    py = interpreter(version)
    if py is None:
        raise EnvError(f"{env.repo} {env.version} needs Python {version} (swebench's specification), and this machine "
                       f"has none: install it (pyenv install {version}, or the distribution's python{version})")
    if str(spec.get("packages", "")).endswith((".yml", ".yaml")) or spec.get("pre_install"):
        raise EnvError(f"{env.repo} {env.version}: its specification needs a conda environment or system steps "
                       "(pre_install): run it in its image")
    home.mkdir(parents=True)
    _sh([str(py), "-m", "venv", str(home / "venv")], home, dict(os.environ), f"python{version} -m venv")
    src = home / "src"
    _sh(["git", "clone", "-q", "--no-checkout", str(env.clone), str(src)], home, dict(os.environ), "git clone")
    _sh(["git", "-c", "advice.detachedHead=false", "checkout", "-q", env.setup_commit], src, dict(os.environ),
        f"git checkout {env.setup_commit[:12]}")
    run_env = {"UV_NATIVE_TLS": "1", **os.environ, "PATH": f"{home / 'venv' / 'bin'}:{os.environ['PATH']}",
               "VIRTUAL_ENV": str(home / "venv"), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}  # uv: the system's CA bundle
    run_env.pop("PYTHONPATH", None)
    pip = _installer(home)
    packages = str(spec.get("packages", "")).split()
    if packages == ["requirements.txt"]:
        _sh([*pip, "-r", "requirements.txt"], src, run_env, "installing requirements.txt")
    elif packages:
        _sh([*pip, *packages], src, run_env, "installing its packages")
    if spec.get("pip_packages"):
        _sh([*pip, *spec["pip_packages"]], src, run_env, "installing its pip packages")
    install = spec.get("install", "")
    if install:  # its own command, with the installer pinned by date in place of a bare pip where it is one; not
        # editable (the package goes again below, and its date's setuptools may predate editable wheels)
        install = re.sub(r"^python -m pip install", " ".join(pip), install).replace(" -e ", " ")
        _sh(install, src, run_env, f"its install step ({spec['install']})")
    # The repository itself out again (the tests import the workspace), and its checkout gone.
    python = str(home / "venv" / "bin" / "python")
    name = _sh([python, "setup.py", "--name"], src, run_env, "its name").strip().splitlines()[-1:] \
        if (src / "setup.py").is_file() else []
    own = [{"name": n} for n in name]
    for dist in own:
        _sh([python, "-m", "pip", "uninstall", "-y", "-q", dist["name"]], src, run_env, f"uninstalling {dist['name']}")
    shutil.rmtree(src)
    (home / ".built").write_text(json.dumps({"python": version, "interpreter": str(py), "as_of": AS_OF, "spec": spec},
                                            default=str))


def _installer(home: Path) -> list[str]:
    """`uv pip install` as of AS_OF where uv is installed, else the environment's own pip (today's packages)."""
    python = str(home / "venv" / "bin" / "python")
    try:
        from uv import find_uv_bin

        uv = find_uv_bin()
    except (ImportError, FileNotFoundError):
        return [python, "-m", "pip", "install", "-q"]
    cutoff = ["--exclude-newer", AS_OF] if AS_OF else []
    return [uv, "pip", "install", "--quiet", "--python", python, *cutoff]

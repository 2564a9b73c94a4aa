"""Benchmarks kept in git repositories (Terminal-Bench 2.x): fetched with git itself into pertask's cache, one checkout
per commit, laid out as huggingface_hub lays out its cache:

    CACHE/datasets/git/SLUG/checkouts/COMMIT/   the files at that commit (with their .git, one commit deep)
    CACHE/datasets/git/SLUG/refs/REV            the commit a branch or tag named when it was last fetched

A checkout is verified on every reuse: its HEAD must be the commit, and no file in it changed, was added or was removed
(`git status`), so a suite cannot drift from what its run records. Offline, a commit already in the cache is used and a
branch resolves through refs/; anything else is a one-line error.

Mirrors are git's own business: `git config --global url.MIRROR.insteadOf https://github.com/` sends every fetch to a
mirror (a file:// path works), as it does for any other git command on the machine.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from .errors import SuiteError

COMMIT = re.compile(r"^[0-9a-f]{40}$")


def git_cache() -> Path:
    from results.store import cache_root
    return cache_root() / "datasets" / "git"


def slug(url: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "--", re.sub(r"^\w+://", "", url).removesuffix(".git")).strip("-")


def _git(*args: str, cwd: Path | None = None, timeout: float = 1800) -> subprocess.CompletedProcess:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_LFS_SKIP_SMUDGE": "1"}
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
    except FileNotFoundError:
        raise SuiteError("fetching a benchmark from its git repository needs git (apt-get install git)") from None
    except subprocess.TimeoutExpired:
        raise SuiteError(f"git {args[0]} timed out after {timeout:.0f}s") from None


def _why(proc: subprocess.CompletedProcess) -> str:
    lines = [ln for ln in (proc.stderr or proc.stdout).strip().splitlines() if ln.strip()]
    return lines[-1][:200] if lines else f"exit status {proc.returncode}"


def resolve(url: str, rev: str) -> str:
    """The commit `rev` names: itself when it is one; else asked of the remote, else the last answer kept in the cache."""
    if COMMIT.match(rev):
        return rev
    home = git_cache() / slug(url)
    proc = _git("ls-remote", url, rev, f"refs/tags/{rev}^{{}}", timeout=120)
    found = re.findall(r"^([0-9a-f]{40})\t(\S+)$", proc.stdout, re.M) if proc.returncode == 0 else []
    if found:  # a peeled tag (its commit) wins over the tag object
        commit = next((c for c, ref in found if ref.endswith("^{}")), found[0][0])
        (home / "refs").mkdir(parents=True, exist_ok=True)
        (home / "refs" / rev.replace("/", "--")).write_text(commit)
        return commit
    kept = home / "refs" / rev.replace("/", "--")
    if kept.is_file():
        return kept.read_text().strip()
    if proc.returncode == 0:
        raise SuiteError(f"{url}: no branch or tag '{rev}'")
    raise SuiteError(f"{url}: cannot be reached ({_why(proc)}) and '{rev}' was never fetched into {home}; "
                     "fetch it once where the repository is reachable, or point git at a mirror "
                     "(git config --global url.MIRROR.insteadOf https://github.com/)")


def verify(checkout: Path, commit: str) -> str:
    """'' when the checkout is the commit, unchanged; else what differs."""
    head = _git("rev-parse", "HEAD", cwd=checkout)
    if head.returncode != 0 or head.stdout.strip() != commit:
        return f"its HEAD is {head.stdout.strip() or '(none)'}, not {commit}"
    status = _git("status", "--porcelain", "--untracked-files=all", cwd=checkout)
    changed = status.stdout.splitlines()
    if status.returncode != 0 or changed:
        return f"{len(changed)} file(s) changed since it was fetched, e.g. {changed[0][3:] if changed else _why(status)}"
    return ""


def fetch(url: str, rev: str) -> tuple[Path, str]:
    """The checkout of `url` at `rev` in pertask's cache (fetched the first time, verified every time) and its commit."""
    commit = resolve(url, rev)
    home = git_cache() / slug(url) / "checkouts"
    checkout = home / commit
    if checkout.is_dir():
        problem = verify(checkout, commit)
        if not problem:
            return checkout, commit
        raise SuiteError(f"the cached checkout {checkout} is not {url} at {commit}: {problem}; delete the folder to "
                         "fetch it again")
    tmp = home / f".{commit}.{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        steps = [("init", "-q"), ("remote", "add", "origin", url)]
        for step in steps:
            if (proc := _git(*step, cwd=tmp)).returncode != 0:
                raise SuiteError(f"git {step[0]} in {tmp}: {_why(proc)}")
        # One commit deep: a benchmark's history is not needed, and is large.
        proc = _git("fetch", "-q", "--depth", "1", "origin", commit, cwd=tmp)
        if proc.returncode != 0:  # a server that will not hand out a commit by id: the whole history, then the commit
            proc = _git("fetch", "-q", "origin", cwd=tmp)
        if proc.returncode != 0:
            raise SuiteError(f"{url}: could not fetch {commit} ({_why(proc)}); fetch it where the repository is "
                             "reachable, or point git at a mirror (git config --global url.MIRROR.insteadOf URL)")
        if (proc := _git("-c", "advice.detachedHead=false", "checkout", "-q", commit, cwd=tmp)).returncode != 0:
            raise SuiteError(f"{url}: no commit {commit} ({_why(proc)})")
        try:
            tmp.rename(checkout)
        except OSError:  # another process fetched it first: theirs is verified like any reuse
            return fetch(url, commit)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return checkout, commit

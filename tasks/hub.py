"""Suites by dataset name: `--suite hf:OWNER/NAME[@REVISION]` is fetched with huggingface_hub into pertask's cache
(PERTASK_CACHE, else ~/.cache/pertask, under hub/) and loaded from there like any folder. The snapshot's commit is
what the run records, so a report names the exact revision it graded. With HF_HUB_OFFLINE=1 (or no network) only
what the cache already holds is used; nothing is downloaded outside this module."""

from __future__ import annotations

import os
import re
from pathlib import Path

from .errors import SuiteError

PREFIX = "hf:"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")


def is_hub(name: str) -> bool:
    return name.startswith(PREFIX)


def parse(spec: str) -> tuple[str, str | None]:
    """'hf:owner/name@rev' -> ('owner/name', 'rev'); a malformed name is a one-line error."""
    repo, _, rev = spec[len(PREFIX):].partition("@")
    if not _NAME.match(repo) or (_ and not rev):
        raise SuiteError(f"'{spec}' is not a dataset name: write hf:OWNER/NAME or hf:OWNER/NAME@REVISION")
    return repo, rev or None


def cache_dir() -> Path:
    from results.store import cache_root
    return cache_root() / "hub"


def fetch(spec: str) -> tuple[Path, str]:
    """The local snapshot of a dataset and the commit it is at: `hf:OWNER/NAME@COMMIT` is its origin."""
    repo, rev = parse(spec)
    try:
        from huggingface_hub import snapshot_download
        from huggingface_hub.errors import HfHubHTTPError, LocalEntryNotFoundError, RepositoryNotFoundError
    except ImportError as exc:  # a dependency of pertask's: only a broken install lacks it
        raise SuiteError(f"{spec}: huggingface_hub is not installed ({exc})") from None
    # Read now, not when huggingface_hub was imported: offline means the cache alone, with no wait on the network.
    offline = os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes", "on")
    try:
        path = Path(snapshot_download(repo_id=repo, repo_type="dataset", revision=rev, cache_dir=cache_dir(),
                                      local_files_only=offline))
    except LocalEntryNotFoundError:
        raise SuiteError(f"{spec}: not in pertask's cache ({cache_dir()}) and the hub cannot be reached; fetch it "
                         "once on a machine that can (the same command), or give the checkout's folder") from None
    except RepositoryNotFoundError:
        raise SuiteError(f"{spec}: no such dataset on the hub (or it needs a token: set HF_TOKEN)") from None
    except (HfHubHTTPError, OSError, ValueError) as exc:
        raise SuiteError(f"{spec}: could not fetch it: {str(exc).splitlines()[0][:200]}") from None
    return path, f"{PREFIX}{repo}@{path.name}"

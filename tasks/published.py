"""What the loaders of published datasets share (tasks/aa_briefcase.py, tasks/gdpval.py): a dataset's files read only
from inside it, the working folders built once per dataset version, and the prompt templates filled by name.

A dataset from the hub is someone else's: a path in one of its rows, or a link in a checkout, must never bring a host
file into an agent's workspace or prompt (whence the model's provider would see it)."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from .errors import TaskError


def within_dataset(path: Path, root: Path) -> bool:
    """A dataset's file where it should be: in the checkout, or (a hub snapshot, whose files are links) in its
    blobs."""
    real, home = path.resolve(), root.resolve()
    allowed = [home, *([root.parent.parent / "blobs"] if root.parent.name == "snapshots" else [])]
    return any(real.is_relative_to(a.resolve()) for a in allowed)


def dataset_file(root: Path, rel: str, where: str, field: str) -> Path:
    """A file a row names, relative to the dataset; a path or link that leads out of it is the row's error."""
    p = Path(rel)
    if p.is_absolute() or ".." in p.parts:
        raise TaskError(where, field, f"'{rel}' leads outside the dataset")
    if not (root / p).is_file():
        raise TaskError(where, field, f"'{rel}': no file {root / p}")
    if not within_dataset(root / p, root):
        raise TaskError(where, field, f"'{rel}' is a link out of the dataset (to {(root / p).resolve()})")
    return root / p


def task_digest(version: str, task_id: str) -> str:
    """A task's version: its dataset's (which hashes every file it is made of) and its id."""
    return hashlib.sha256(f"{version}/{task_id}".encode()).hexdigest()[:12]


def built_once(home: Path, marker: str, build: Callable[[Path], None]) -> None:
    """`home` made by `build(folder)` once per dataset version (present when `marker` is): in a folder of its own,
    renamed into place whole, so a killed load leaves nothing half-made behind and two loads never mix."""
    if (home / marker).is_file():
        return
    tmp = home.with_name(f".{home.name}.{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    build(tmp)
    home.parent.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(home, ignore_errors=True)
    try:
        tmp.rename(home)
    except OSError:  # another process made it first
        shutil.rmtree(tmp, ignore_errors=True)


def fill(template: str, values: dict[str, str]) -> str:
    """{{ name }} and {name} placeholders of the known names filled; anything else in braces left as written."""
    return re.sub(r"\{\{\s*(\w+)\s*\}\}|\{(\w+)\}",
                  lambda m: values.get(m.group(1) or m.group(2), m.group(0)), template)

"""Task formats, looked up by name: `--task-format NAME`, or by default the first in FORMATS that claims
the path. A format loads either a whole suite from one path (a file, or a folder with an index of its
own) or one task folder at a time of a folder of tasks. Each lives in its own module, imported on use,
with the fields only it knows about kept there."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import SuiteError
from .model import Suite, Task

FORMATS = {  # detection order: a more specific layout before the ones it could be mistaken for
    "aa-briefcase": "tasks.aa_briefcase:FORMAT",
    "gdpval": "tasks.gdpval:FORMAT",
    "swebench": "tasks.swebench:FORMAT",
    "tb1": "tasks.tb1:FORMAT",
    "harbor": "tasks.harbor:FORMAT",
    "native": "tasks.native:FORMAT",
}


@dataclass(frozen=True)
class TaskFormat:
    name: str
    about: str  # what it looks like, for help and errors
    claims: Callable[[Path], bool]
    load_task: Callable[[Path, str], Task] | None = None  # (task folder, suite name)
    load_suite: Callable[[Path], Suite] | None = None  # (the suite's path)


def get_format(name: str) -> TaskFormat:
    if name not in FORMATS:
        raise SuiteError(f"unknown task format '{name}' (valid: {', '.join(FORMATS)})")
    module, _, attr = FORMATS[name].partition(":")
    return getattr(importlib.import_module(module), attr)


def all_formats() -> list[TaskFormat]:
    return [get_format(n) for n in FORMATS]

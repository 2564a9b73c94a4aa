"""The errors of loading tasks: no imports of the package's own, so every module may raise them."""

from __future__ import annotations

from pathlib import Path


class TaskError(ValueError):
    """A malformed task: always names the file and the field."""

    def __init__(self, file: Path | str, field: str, message: str):
        super().__init__(f"{file}: field '{field}': {message}")
        self.file, self.field = str(file), field


class SuiteError(ValueError):
    """A suite that cannot be loaded at all (unknown name, unknown format, a missing package)."""

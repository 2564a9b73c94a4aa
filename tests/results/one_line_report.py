"""A report format for tests only: one line per model. It exists to prove that a format is one file and one line of
REPORTS (tests/results/test_reports.py registers it through the table alone)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def write(summary: dict[str, Any], runs: list[Path], path: Path) -> list[Path]:
    path.write_text("".join(f"{m['model']}\t{m['accuracy']}\t{m['usd_per_task']}\n" for m in summary["models"]))
    return [path]

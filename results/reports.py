"""Report formats by name: REPORTS maps each to its writer ("module:function", imported on use) and what it is.

Two are printed (`terminal`, the default; `json` with --json); the others are written to the file given as
`report --NAME FILE`. A new format is one writer and one line here: the command line takes its flag from this
table. A writer takes (summary, runs, path) and returns the files it wrote."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class ReportFormat:
    writer: str  # "module:function"
    help: str  # said by `report --help`
    printed: bool = False  # to stdout, not to a file


REPORTS: dict[str, ReportFormat] = {
    "terminal": ReportFormat("results.report:print_table", "the tables on the terminal (the default)", printed=True),
    "json": ReportFormat("results.report:print_json", "print one JSON object (the documented contract)", printed=True),
    "html": ReportFormat("results.html:write_html", "write a self-contained HTML report (opens offline)"),
    "markdown": ReportFormat("results.export:write_markdown", "write the summary as a Markdown table"),
    "csv": ReportFormat("results.export:write_csv", "write the summary as CSV (projections to NAME-projections.csv)"),
    "parquet": ReportFormat("results.frame:write_parquet", "write every sample as Parquet"),
}


def writer(name: str):
    if name not in REPORTS:
        raise ValueError(f"unknown report format '{name}' (valid: {', '.join(REPORTS)})")
    module, _, func = REPORTS[name].writer.partition(":")
    return getattr(importlib.import_module(module), func)


def write(name: str, summary: dict[str, Any], runs: list[Path], path: Path | None = None) -> list[Path]:
    return writer(name)(summary, runs, path)


def files() -> list[str]:
    """The formats written to a file (each a `report --NAME FILE` flag)."""
    return [n for n, f in REPORTS.items() if not f.printed]

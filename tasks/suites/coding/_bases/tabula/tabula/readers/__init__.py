"""Readers, chosen by file extension."""

from __future__ import annotations

from pathlib import Path

from ..errors import PipelineError
from .csv_reader import read_csv
from .fixed_width_reader import read_fixed_width
from .jsonl_reader import read_jsonl

READERS = {".csv": read_csv, ".tsv": read_csv, ".jsonl": read_jsonl, ".ndjson": read_jsonl,
           ".fwf": read_fixed_width, ".dat": read_fixed_width}


def read(path: str | Path, **options):
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise PipelineError(f"no reader for '{path.suffix}' files (known: {', '.join(sorted(READERS))})")
    if not path.is_file():
        raise PipelineError(f"input file not found: {path}")
    return reader(path, **options)

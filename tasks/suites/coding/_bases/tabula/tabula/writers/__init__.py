from __future__ import annotations

from pathlib import Path

from ..errors import PipelineError
from .csv_writer import write_csv
from .html_writer import write_html
from .json_writer import write_json
from .markdown_writer import write_markdown
from .sqlite_writer import write_sqlite

WRITERS = {".csv": write_csv, ".json": write_json, ".jsonl": write_json, ".md": write_markdown,
           ".sqlite": write_sqlite, ".db": write_sqlite,
           ".html": write_html}


def write(rows, path: str | Path, **options) -> Path:
    path = Path(path)
    writer = WRITERS.get(path.suffix.lower())
    if writer is None:
        raise PipelineError(f"no writer for '{path.suffix}' files (known: {', '.join(sorted(WRITERS))})")
    path.parent.mkdir(parents=True, exist_ok=True)
    writer(rows, path, **options)
    return path

from __future__ import annotations

import json
from pathlib import Path

from .format import to_json_value


def write_json(rows, path: Path, indent: int | None = None) -> None:
    data = [{k: to_json_value(v) for k, v in r.items()} for r in rows]
    with open(path, "w", encoding="utf-8") as fh:
        if path.suffix.lower() == ".jsonl":
            for r in data:
                fh.write(json.dumps(r) + "\n")
        else:
            json.dump(data, fh, indent=indent)

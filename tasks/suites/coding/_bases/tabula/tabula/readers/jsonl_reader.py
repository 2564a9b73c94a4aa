from __future__ import annotations

import json
from pathlib import Path

from ..errors import PipelineError


def read_jsonl(path: Path, encoding: str = "utf-8") -> list[dict]:
    rows = []
    with open(path, encoding=encoding) as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                raise PipelineError(f"{path}:{n}: invalid JSON ({exc.msg})") from exc
            if not isinstance(value, dict):
                raise PipelineError(f"{path}:{n}: each line must be a JSON object")
            rows.append(value)
    return rows

"""Fixed-width files, as mainframes and banks still export them.

Columns are given as `name:start-end` (1-based, inclusive, like most record layouts), e.g.
`columns = ["account:1-8", "name:9-30", "amount:31-40"]`. Lines shorter than the layout are
padded; blank lines and lines starting with the comment marker are skipped.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import PipelineError

_SPEC = re.compile(r"^\s*([A-Za-z_][\w ]*?)\s*:\s*(\d+)\s*-\s*(\d+)\s*$")


def parse_layout(columns: list[str]) -> list[tuple[str, int, int]]:
    layout = []
    for spec in columns:
        m = _SPEC.match(spec)
        if not m:
            raise PipelineError(f"fixed-width column '{spec}': expected name:start-end")
        name, start, end = m.group(1), int(m.group(2)), int(m.group(3))
        if start < 1 or end < start:
            raise PipelineError(f"fixed-width column '{spec}': start must be >= 1 and <= end")
        layout.append((name, start - 1, end))
    spans = sorted((s, e, n) for n, s, e in layout)
    for (s1, e1, n1), (s2, _e2, n2) in zip(spans, spans[1:]):
        if s2 < e1:
            raise PipelineError(f"fixed-width columns '{n1}' and '{n2}' overlap")
    return layout


def read_fixed_width(path: Path, columns: list[str] | None = None, encoding: str = "utf-8",
                     comment: str = "#", skip: int = 0) -> list[dict[str, str]]:
    if not columns:
        raise PipelineError(f"{path}: a fixed-width input needs `columns` (name:start-end, ...)")
    layout = parse_layout(columns)
    rows = []
    with open(path, encoding=encoding) as fh:
        for number, line in enumerate(fh, 1):
            if number <= skip:
                continue
            line = line.rstrip("\r\n")
            if not line.strip() or (comment and line.startswith(comment)):
                continue
            rows.append({name: line[start:end].strip() for name, start, end in layout})
    return rows

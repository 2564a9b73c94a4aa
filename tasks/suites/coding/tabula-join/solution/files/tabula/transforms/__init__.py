"""Transforms, looked up by the `op` of a pipeline step."""

from __future__ import annotations

from ..errors import PipelineError
from .aggregate import aggregate
from .dedupe import dedupe
from .derive import derive, rename, select
from .filter import filter_rows
from .join import join
from .sort import sort_rows

TRANSFORMS = {
    "filter": filter_rows,
    "derive": derive,
    "rename": rename,
    "select": select,
    "aggregate": aggregate,
    "dedupe": dedupe,
    "sort": sort_rows,
    "join": join,
}


def get_transform(op: str):
    try:
        return TRANSFORMS[op]
    except KeyError:
        raise PipelineError(f"unknown step op '{op}' (known: {', '.join(sorted(TRANSFORMS))})") from None

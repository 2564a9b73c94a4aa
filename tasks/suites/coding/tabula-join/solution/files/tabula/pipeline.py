"""A pipeline: input -> schema -> steps -> output, loaded from a TOML file."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import readers, writers
from .errors import PipelineError
from .schema import Schema
from .transforms import get_transform


@dataclass
class Step:
    op: str
    options: dict[str, Any]

    base: Path = Path(".")

    def run(self, rows):
        options = dict(self.options)
        if self.op == "join":  # the other table is read like the input: relative to the pipeline file
            if "path" not in options:
                raise PipelineError("step 'join': needs a path")
            schema = Schema(options.pop("schema", {}))
            options["other"] = schema.apply(readers.read(self.base / options.pop("path")))
        try:
            return get_transform(self.op)(rows, **options)
        except TypeError as exc:  # a wrong or missing option: say which step
            raise PipelineError(f"step '{self.op}': {exc}") from exc


@dataclass
class Pipeline:
    input: dict[str, Any]
    schema: Schema
    steps: list[Step] = field(default_factory=list)
    output: dict[str, Any] | None = None
    base: Path = Path(".")

    def read(self):
        opts = {k: v for k, v in self.input.items() if k != "path"}
        return self.schema.apply(readers.read(self.base / self.input["path"], **opts))

    def transform(self, rows):
        for step in self.steps:
            rows = step.run(rows)
        return rows

    def run(self):
        rows = self.transform(self.read())
        if self.output:
            opts = {k: v for k, v in self.output.items() if k != "path"}
            writers.write(rows, self.base / self.output["path"], **opts)
        return rows


def load_pipeline(path: str | Path) -> Pipeline:
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text())
    except FileNotFoundError:
        raise PipelineError(f"pipeline file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise PipelineError(f"{path}: {exc}") from exc
    if "input" not in raw or "path" not in raw["input"]:
        raise PipelineError(f"{path}: [input] needs a path")
    steps = []
    for i, s in enumerate(raw.get("steps", []), 1):
        if "op" not in s:
            raise PipelineError(f"{path}: step {i} has no op")
        s = dict(s)
        steps.append(Step(s.pop("op"), s, path.parent))
    return Pipeline(raw["input"], Schema(raw.get("schema", {})), steps, raw.get("output"), path.parent)

"""Rubric checks in AA-Briefcase's published form: `checks.jsonl`, one check a line.

    {"check_id": "...", "task_id": "w1_t1", "week": 1, "check_type": "A" | "C" | "AQ" | "P",
     "scoring_type": "binary" | "pairwise", "taskdoer_output_file": "market_model.xlsx",
     "files_needed": [...], "check_description": "...", "score_1_criteria": "...", "score_0_criteria": "...",
     "specific_file_locations": "..."}

Binary checks (A: accuracy, C: critical insight) are passed or failed by a judge that sees the task, the check and
the deliverables it names (taskdoer_output_file), never the source files; pairwise checks (AQ: analytical quality, P: presentation) compare two models' deliverables. A
malformed line stops the load with its file, line and field; nothing of a suite loads half.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import TaskError

CHECKS = "checks.jsonl"


class CheckType(StrEnum):
    accuracy = "A"
    critical_insight = "C"
    analytical_quality = "AQ"
    presentation = "P"


class Check(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)  # fields a later version adds are read past

    check_id: str = Field(min_length=1)
    task_id: str = Field(min_length=1)
    week: int | None = None
    check_type: CheckType
    scoring_type: str
    taskdoer_output_file: str = ""  # the deliverable(s) it is about, comma-separated ('': all of the task's)
    files_needed: list[str] = Field(default_factory=list)  # the sources its facts come from: never shown to a judge
    check_description: str = ""
    score_1_criteria: str = ""
    score_0_criteria: str = ""
    specific_file_locations: str = ""

    @field_validator("scoring_type")
    @classmethod
    def _scoring(cls, v: str) -> str:
        if v not in ("binary", "pairwise"):
            raise ValueError("must be 'binary' or 'pairwise'")
        return v

    @field_validator("files_needed", mode="before")
    @classmethod
    def _files(cls, v: object) -> object:
        return [v] if isinstance(v, str) else [] if v is None else v  # one file given as a string

    @property
    def binary(self) -> bool:
        return self.scoring_type == "binary"


def load_checks(path: Path) -> list[Check]:
    """Every check of a checks.jsonl; a repeated check_id or a malformed line is an error naming the line."""
    checks: list[Check] = []
    seen: set[str] = set()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeError) as exc:
        raise TaskError(path, "-", f"unreadable: {exc}") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise TaskError(where, "-", f"not JSON: {exc.msg}") from None
        if not isinstance(row, dict):
            raise TaskError(where, "-", "a line must be one JSON object")
        try:
            check = Check.model_validate(row)
        except ValidationError as exc:
            e = exc.errors()[0]
            raise TaskError(where, ".".join(map(str, e["loc"])) or "-", e["msg"]) from None
        if check.check_id in seen:
            raise TaskError(where, "check_id", f"'{check.check_id}' appears twice")
        seen.add(check.check_id)
        checks.append(check)
    return checks


def by_task(checks: list[Check]) -> dict[str, list[Check]]:
    out: dict[str, list[Check]] = {}
    for c in checks:
        out.setdefault(c.task_id, []).append(c)
    return out

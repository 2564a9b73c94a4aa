"""checks.jsonl in AA-Briefcase's published form: read whole, or refused with the file, line and field."""

from __future__ import annotations

import json

import pytest

from tasks.errors import TaskError
from tasks.rubric import CheckType, by_task, load_checks

# Written for this test in the published layout (not a copy of AA's checks).
ROWS = [
    {"check_id": "w1_t1_a1", "task_id": "w1_t1", "week": 1, "check_type": "A", "scoring_type": "binary",
     "taskdoer_output_file": "model.xlsx", "files_needed": ["model.xlsx"], "check_description": "2025 revenue",
     "score_1_criteria": "states NZ$41.2m", "score_0_criteria": "any other figure", "specific_file_locations": "Inputs!B4"},
    {"check_id": "w1_t1_c1", "task_id": "w1_t1", "check_type": "C", "scoring_type": "binary",
     "files_needed": "memo.docx", "check_description": "flags the superseded forecast"},
    {"check_id": "w1_t2_p1", "task_id": "w1_t2", "check_type": "P", "scoring_type": "pairwise", "new_field": 1},
]


def write(tmp_path, rows, extra: str = ""):
    path = tmp_path / "checks.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n" + extra)
    return path


def test_checks_are_read_with_their_types_and_grouped_by_task(tmp_path):
    checks = load_checks(write(tmp_path, ROWS, "\n"))
    assert [c.check_type for c in checks] == [CheckType.accuracy, CheckType.critical_insight, CheckType.presentation]
    assert [c.binary for c in checks] == [True, True, False]
    assert checks[1].files_needed == ["memo.docx"]  # one file given as a string
    assert {t: [c.check_id for c in cs] for t, cs in by_task(checks).items()} == {
        "w1_t1": ["w1_t1_a1", "w1_t1_c1"], "w1_t2": ["w1_t2_p1"]}


@pytest.mark.parametrize("row, line, field", [
    ({**ROWS[0], "check_type": "X"}, 2, "check_type"),
    ({**ROWS[0], "scoring_type": "graded"}, 2, "scoring_type"),
    ({k: v for k, v in ROWS[0].items() if k != "task_id"}, 2, "task_id"),
    (ROWS[0], 2, "check_id"),  # the same check twice
])
def test_a_malformed_line_names_its_file_line_and_field(tmp_path, row, line, field):
    path = write(tmp_path, [ROWS[0], row])
    with pytest.raises(TaskError, match=f"checks.jsonl:{line}: field '{field}'"):
        load_checks(path)
    with pytest.raises(TaskError, match="checks.jsonl:2: field '-': not JSON"):
        load_checks(write(tmp_path, [ROWS[0]], "{oops\n"))

"""AA-Briefcase-Lite's published layout (Artificial Analysis's public week of a business scenario), loaded as it is:

    tasks.jsonl          one task a line: task_id, the brief's path, the deliverables' file names, the shared and
                         week source files mounted for it, the overviews (field names: ROW below)
    tasks/<task_id>.md   the briefs
    source_files/shared/ and source_files/week/      the sources; a task sees only the files its row lists
    summary_docs/        scenario and week overviews, given with the brief
    checks.jsonl         the rubric (tasks/rubric.py), graded by a judge panel
    prompts/             the agent's system and task prompts, the judge's system and user templates (PROMPT_ROLES)
    submissions/         deliverables of published models, per model and task (`pertask grade`)

Each task is a sample as AA runs it: the sources at /home/user/shared and /home/user/week, deliverables saved in
/home/user, AA's prompts (not retyped), finish and abandon tools, 500 turns. What the agent works on is built once
per suite version in pertask's cache (a workspace and a hidden grader folder per task), never in the checkout.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from .errors import SuiteError, TaskError
from .formats import TaskFormat
from .model import GraderConfig, Limits, Suite, Task, TaskConfig, digest_dir
from .published import built_once, dataset_file, fill, task_digest, within_dataset
from .rubric import CHECKS, load_checks

TASKS, WORKDIR, SOURCES = "tasks.jsonl", "/home/user", ("shared", "week")
HASHED = ("tasks", "prompts", "summary_docs", "source_files")  # what a task is made of (not submissions/)
# The document stack AA's task prompt promises (scripts/setup.sh documents installs it): python-docx, python-pptx,
# openpyxl, PyMuPDF, pdfplumber, reportlab; LibreOffice, Pandoc, TeX, FFmpeg, poppler.
STACK = [*(f"python:{m}" for m in ("docx", "pptx", "openpyxl", "fitz", "pdfplumber", "reportlab")),
         *(f"command:{c}" for c in ("soffice", "pandoc", "pdflatex", "ffmpeg", "pdftoppm"))]
DEFAULT_TASK = """{brief}

The source files are in {workdir}/shared and {workdir}/week; treat them as read-only. Save your deliverables in
{workdir}: {deliverables}. When they are saved, call finish with their paths; if you cannot do the task, call
abandon with the reason."""


def _names(*aliases: str) -> AliasChoices:
    return AliasChoices(*aliases)


class Row(BaseModel):
    """A line of tasks.jsonl. The names the dataset's README uses were not published in machine-readable form when
    this was written, so each field takes the spellings such a file would use; docs/tasks.md lists them."""
    model_config = ConfigDict(extra="ignore")
    task_id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    week: int | None = None
    brief: str = Field("", validation_alias=_names("brief", "brief_path", "brief_file", "task_brief", "task_file"))
    deliverables: list[str] = Field(min_length=1, validation_alias=_names(
        "deliverables", "deliverable_files", "expected_deliverables", "output_files", "taskdoer_output_files"))
    shared: list[str] = Field(default_factory=list, validation_alias=_names(
        "shared_files", "shared", "mounted_shared_files", "shared_source_files"))
    week_files: list[str] = Field(default_factory=list, validation_alias=_names(
        "week_files", "mounted_week_files", "week_source_files"))
    overviews: list[str] = Field(default_factory=list, validation_alias=_names(
        "overviews", "overview_files", "overview_paths", "summary_docs"))

    @model_validator(mode="before")
    @classmethod
    def _one_list(cls, row: object) -> object:
        """The mounted files given together — a list with shared/ and week/ prefixes, or {"shared": [...],
        "week": [...]} — under input_files, source_files, mounted_files or files."""
        if not isinstance(row, dict):
            return row
        key = next((k for k in ("input_files", "source_files", "mounted_files", "files") if k in row), None)
        given = row.get(key) if key else None
        if isinstance(given, dict):
            row = {**row, "shared_files": given.get("shared", []), "week_files": given.get("week", [])}
        elif isinstance(given, list):
            paths = [str(p).removeprefix("source_files/") for p in given]
            row = {**row, "shared_files": [p for p in paths if not p.startswith("week/")],
                   "week_files": [p for p in paths if p.startswith("week/")]}
        return row

    @field_validator("deliverables", "shared", "week_files", "overviews", mode="before")
    @classmethod
    def _list(cls, v: object) -> object:  # "a.pdf, a.tex" as the checks file writes several files
        return [x.strip() for x in v.split(",") if x.strip()] if isinstance(v, str) else [] if v is None else v


def claims(path: Path) -> bool:
    return path.is_dir() and (path / TASKS).is_file() and (path / "source_files").is_dir()


# prompts/ files by what their names say: (judge or grader) or agent, (system) or the user/task template.
PROMPT_ROLES = {("agent", "system"): "agent_system", ("agent", "user"): "agent_task",
                ("judge", "system"): "judge_system", ("judge", "user"): "judge_user"}


def read_prompts(folder: Path) -> dict[str, str]:
    found: dict[str, Path] = {}
    for p in sorted(folder.iterdir()) if folder.is_dir() else []:
        name = p.stem.lower()
        if not p.is_file() or p.name.startswith(".") or "pairwise" in name:  # pairwise: pertask's own prompt
            continue
        role = PROMPT_ROLES[("judge" if "judge" in name or "grader" in name else "agent",
                             "system" if "system" in name else "user")]
        if role in found:
            raise SuiteError(f"{p}: both {found[role].name} and {p.name} read as the {role} prompt; keep one")
        if not within_dataset(p, folder.parent):
            raise SuiteError(f"{p}: a link out of the dataset (to {p.resolve()}); a prompt is read from inside it")
        found[role] = p
    return {role: p.read_text(encoding="utf-8") for role, p in found.items()}


def _rows(path: Path) -> list[Row]:
    rows, seen = [], set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = Row.model_validate(json.loads(line))
        except json.JSONDecodeError as exc:
            raise TaskError(f"{path}:{n}", "-", f"not JSON: {exc.msg}") from None
        except ValidationError as exc:
            e = exc.errors()[0]
            raise TaskError(f"{path}:{n}", ".".join(map(str, e["loc"])) or "-", e["msg"]) from None
        if row.task_id in seen:
            raise TaskError(f"{path}:{n}", "task_id", f"'{row.task_id}' appears twice")
        seen.add(row.task_id)
        rows.append(row)
    return rows


def _source(root: Path, rel: str, kind: str, where: str, field: str) -> tuple[Path, str]:
    """A listed source file and where the agent sees it (shared/… or week/…); nothing outside source_files/."""
    parts = Path(rel.removeprefix("source_files/")).parts
    parts = parts if parts and parts[0] == kind else (kind, *parts)
    if ".." in parts or Path(rel).is_absolute():
        raise TaskError(where, field, f"'{rel}' leads outside source_files/")
    return dataset_file(root, str(Path("source_files", *parts)), where, field), str(Path(*parts))


def load_suite(root: Path) -> Suite:
    from results.store import cache_root
    parts = "".join(digest_dir(root / d) for d in HASHED if (root / d).is_dir()) + digest_dir_files(root, [TASKS, CHECKS])
    version = hashlib.sha256(parts.encode()).hexdigest()[:12]
    suite = Suite(root.name, root, version)
    prompts = read_prompts(root / "prompts")
    checks_path = root / CHECKS
    checks = load_checks(checks_path) if checks_path.is_file() else []
    home = cache_root() / "aa-briefcase" / version
    suite.hidden.append(home.parent)  # the hidden grader folders of every version
    for n, row in enumerate(_rows(root / TASKS), 1):
        where = f"{root / TASKS}:{n}"
        try:
            suite.tasks.append(_task(root, row, where, prompts, [c for c in checks if c.task_id == row.task_id],
                                     home / row.task_id, suite.name))
        except TaskError as exc:
            suite.errors.append(exc)
    return suite


def digest_dir_files(root: Path, names: list[str]) -> str:
    h = hashlib.sha256(b"".join((root / n).read_bytes() for n in names if (root / n).is_file()))
    return h.hexdigest()[:12]


def _task(root: Path, row: Row, where: str, prompts: dict[str, str], checks: list, home: Path, suite: str) -> Task:
    brief_path = dataset_file(root, row.brief or f"tasks/{row.task_id}.md", where, "brief")
    files = [_source(root, r, "shared", where, "shared_files") for r in row.shared] + \
            [_source(root, r, "week", where, "week_files") for r in row.week_files]
    if not files:  # a row that lists none: the whole of both folders
        files = [(p, str(p.relative_to(root / "source_files"))) for k in SOURCES
                 for p in sorted((root / "source_files" / k).rglob("*")) if p.is_file() and within_dataset(p, root)]
    overview = []
    for rel in row.overviews:
        p = dataset_file(root, rel if (root / rel).is_file() else f"summary_docs/{rel}", where, "overviews")
        overview.append(f"## {p.stem.replace('_', ' ')}\n\n{p.read_text(encoding='utf-8')}")
    values = {"brief": brief_path.read_text(encoding="utf-8"), "task_id": row.task_id, "workdir": WORKDIR,
              "deliverables": ", ".join(row.deliverables), "overview": "\n\n".join(overview),
              "week": str(row.week or "")}
    template = prompts.get("agent_task", DEFAULT_TASK)
    instruction = fill(template, values)
    if not re.search(r"\{\{?\s*brief\s*\}?\}", template):  # a template that does not place the brief: it follows
        instruction += "\n\n" + values["brief"]
    if overview and not re.search(r"\{\{?\s*overview\s*\}?\}", template):
        instruction += "\n\n" + values["overview"]
    built_once(home, "grader/deliverables.json", lambda tmp: _build(tmp, files, checks, row.deliverables))
    config = TaskConfig(id=row.task_id, kind="document", tags=["aa-briefcase", *([f"week{row.week}"] if row.week else [])],
                        limits=Limits(max_turns=500, max_tokens=200_000_000, timeout_s=4 * 3600, command_timeout_s=600),
                        grader=GraderConfig(type="deliverables"))
    return Task(home, suite, config, instruction, task_digest(home.parent.name, row.task_id), workdir=WORKDIR,
                prompts={k: v for k, v in prompts.items() if k != "agent_task"}, finish_tools=True, stack=STACK,
                readonly=list(SOURCES))


def _build(tmp: Path, files: list[tuple[Path, str]], checks: list, deliverables: list[str]) -> None:
    """The task's workspace (its sources, copied) and hidden grader folder (its checks, its deliverables' names)."""
    for src, rel in files:
        (tmp / "workspace" / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, tmp / "workspace" / rel)
    (tmp / "grader").mkdir(parents=True)
    (tmp / "grader" / CHECKS).write_text("".join(c.model_dump_json() + "\n" for c in checks))
    # The sources are no place for a deliverable: the grader does not look there.
    (tmp / "grader" / "deliverables.json").write_text(json.dumps({"files": deliverables, "skip": list(SOURCES)}))
    (tmp / "solution").mkdir()


FORMAT = TaskFormat("aa-briefcase", "tasks.jsonl, checks.jsonl, source_files/, tasks/, prompts/ (AA-Briefcase-Lite)",
                    claims, load_suite=load_suite)

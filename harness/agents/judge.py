"""`--judge MODEL`: an LLM grades the deliverable against the task's rubric, on top of the
deterministic grader. Its verdict, tokens and dollars are kept apart from the agent's: the
judge's cost is the evaluator's, not the model's under test, and its score never replaces
the checks' score.
"""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

from harness.sandboxes.overlay import DirView
from providers.base import ChatRequest, Model, ModelCallError, ModelOutput, Sampling
from results.prices import call_usd
from results.records import JudgeRecord
from tasks import Task

from .render import page_images, render

RUBRIC = "rubric.md"  # in the task's grader folder; hidden from the agent like the rest of it
DEFAULT_RUBRIC = """- The deliverable asked for exists, in the format and place asked for.
- Every figure, name and date in it is supported by the source files, and none is superseded.
- It is complete: nothing the instruction asks for is missing.
- It is clear enough to hand to the person who asked, without edits."""
SYSTEM = ("You grade work against a rubric. Read the task, the rubric and the files the worker produced. "
          'Reply with one JSON object and nothing else: {"score": <a number from 0 to 1>, '
          '"reasons": "<two or three sentences>"}.')
FILE_LIMIT, TOTAL_LIMIT = 20_000, 60_000  # characters of deliverables shown to the judge


async def deliverables(task: Task, files: DirView) -> dict[str, str]:
    """Files the agent created or changed (in the grading copy), as text, truncated to fit the judge's prompt."""
    before = dict(task.workspace_files())
    out, budget = {}, TOTAL_LIMIT
    for rel, path in files.files():
        if "__pycache__" in rel.split("/") or rel.startswith(".git/"):
            continue
        src = before.get(rel)
        if src is not None and await asyncio.to_thread(_same, src, path):
            continue
        text = await render(path, min(FILE_LIMIT, budget))
        out[rel], budget = text, budget - len(text)
        if budget <= 0:
            break
    return out


async def pdf_pages(files: DirView, shown: dict[str, str]) -> dict[str, list[str]]:
    """The first pages of each PDF deliverable shown to the judges, as images (base64 PNG), for judges that take
    images: the layout a page's text cannot show (a single-page brief, a chart)."""
    out = {}
    for rel, path in files.files():
        if rel in shown and rel.lower().endswith(".pdf") and (pages := await page_images(path)):
            out[rel] = pages
    return out


def _same(a: Path, b: Path) -> bool:
    return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()


def prompt(task: Task, files: dict[str, str]) -> list[dict]:
    rubric_file = task.grader_dir / RUBRIC
    rubric = rubric_file.read_text() if rubric_file.is_file() else DEFAULT_RUBRIC
    return [{"role": "system", "content": SYSTEM},
            {"role": "user", "content": f"Grade this deliverable.\n\n## The task\n{task.instruction}\n\n## Rubric\n"
                                        f"{rubric}\n\n## Files the worker wrote or changed\n"
                                        f"{files_block(files, '(no files were written)')}"}]


def files_block(files: dict[str, str], empty: str, level: str = "###") -> str:
    """Deliverables as a judge reads them: each under its name, in a fence longer than any run of backticks in it,
    so a deliverable cannot close its fence and write headings of the prompt's own (another deliverable, a check);
    `empty` when there are none."""
    def fenced(text: str) -> str:
        fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", text)), default=0))
        return f"{fence}\n{text}\n{fence}"

    return "\n\n".join(f"{level} {name}\n{fenced(text)}" for name, text in files.items()) or empty


def reply_json(text: str) -> dict:
    """The JSON object in a judge's reply (models wrap it in prose or fences)."""
    m = re.search(r"\{.*\}", text or "", re.S)
    if not m:
        raise ValueError("the judge's reply held no JSON verdict")
    data = json.loads(m.group(0))
    if not isinstance(data, dict):
        raise ValueError("the judge's verdict is not a JSON object")
    return data


async def ask(judge: Model, messages: list[dict]) -> tuple[ModelOutput | None, str, float | None]:
    """One judge call at temperature 0: its output ('' or why there is none) and its dollars."""
    try:
        out = await judge.generate(ChatRequest(messages, sampling=Sampling(temperature=0.0, max_tokens=600)))
    except ModelCallError as exc:
        return None, f"{exc.kind}: {exc.detail}"[:500], None
    return out, "", call_usd(judge.info, out.usage)


def parse_verdict(text: str) -> tuple[float, str]:
    data = reply_json(text)
    score = float(data["score"])
    if not 0 <= score <= 1:
        raise ValueError(f"the judge's score {score} is outside 0..1")
    return score, str(data.get("reasons", ""))[:2000]


async def judge_sample(judge: Model, task: Task, shown: dict[str, str]) -> JudgeRecord:
    """The deliverables as text (`deliverables` above) rated against the task's rubric."""
    rec = JudgeRecord(model=judge.info.spec)
    out, rec.error, rec.usd = await ask(judge, prompt(task, shown))
    if out is None:
        return rec
    rec.usage = out.usage
    try:
        rec.score, rec.reasons = parse_verdict(out.message.get("content") or "")
    except (ValueError, KeyError, TypeError) as exc:
        rec.error = f"unreadable verdict: {exc}"[:500]
    return rec

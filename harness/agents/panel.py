"""Binary rubric checks judged by a panel, as AA-Briefcase grades them: each check (accuracy, critical insight) is
passed or failed by one judge of the panel drawn for that check (by its id, so a re-run draws the same one), or by
the majority of the panel. A judge sees the task, the check and the parsed deliverables it names — never the source
files. Each verdict keeps its judge, reasoning, tokens and dollars; a judge that fails gives no verdict (never a 0).
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Sequence

from providers.base import Model
from results.records import CheckVerdict, JudgeRecord, Usage
from tasks import Task
from tasks.published import fill
from tasks.rubric import CHECKS, Check, load_checks

from .judge import ask, files_block, reply_json

SUBMISSION = ("submission", "deliverables", "parsed_submission", "taskdoer_output")  # template names for the files

SYSTEM = ("You grade one check of a rubric, strictly: pass only if the deliverable meets the pass criteria in full. "
          "You see the task, the check and the deliverables; judge only what they contain. Reply with one JSON object "
          'and nothing else: {"score": 1 or 0, "reasoning": "<one to three sentences>"}.')
PANEL_MODES = ("draw", "majority")


def draw(check: Check, panel: Sequence[Model]) -> Model:
    """The judge of the panel for this check: fixed by the check's id, spread evenly over the panel."""
    return panel[int(hashlib.sha256(check.check_id.encode()).hexdigest(), 16) % len(panel)]


def shown(check: Check, deliverables: dict[str, str]) -> dict[str, str]:
    """What of the deliverables the judge sees for a check: the files it is about (taskdoer_output_file, one or
    several names), else all of them. Its files_needed are the sources its facts come from: never shown."""
    wanted = [f.strip() for f in check.taskdoer_output_file.split(",") if f.strip()]
    if not wanted:
        return deliverables
    return {rel: text for rel, text in deliverables.items()
            if any(rel == w or rel.endswith("/" + w) or rel.rsplit("/", 1)[-1] == w.rsplit("/", 1)[-1] for w in wanted)}


def check_prompt(instruction: str, check: Check, deliverables: dict[str, str],
                 prompts: dict[str, str] | None = None, images: dict[str, list[str]] | None = None) -> list[dict]:
    """The judge's messages: the task's own templates (a published benchmark's judge_system and judge_user, filled
    with the check and the files) where it brings them, else pertask's wording; `images`, for a judge that takes
    them, adds the drawn pages of the PDFs it is shown after the text."""
    files = shown(check, deliverables)
    messages = _check_messages(instruction, check, files, prompts)
    pages = [(rel, page) for rel in files for page in (images or {}).get(rel, [])]
    if pages:
        names = ", ".join(dict.fromkeys(rel for rel, _ in pages))
        messages[1]["content"] = [{"type": "text", "text": f"{messages[1]['content']}\n\nThe first pages of {names} "
                                                           "follow as images."},
                                  *({"type": "image", "media_type": "image/png", "data": p} for _, p in pages)]
    return messages


def _check_messages(instruction: str, check: Check, files: dict[str, str], prompts: dict[str, str] | None) -> list[dict]:
    body = files_block(files, "(none of the deliverables this check reads was produced)")
    if prompts and "judge_user" in prompts:
        template = prompts["judge_user"]
        values = {**{k: str(v) for k, v in check.model_dump(mode="json").items()},
                  "task": instruction, "brief": instruction, "task_prompt": instruction, **dict.fromkeys(SUBMISSION, body)}
        user = fill(template, values)
        if not any(name in template for name in SUBMISSION):  # a template that does not place the files
            user += f"\n\n## The deliverables\n{body}"
        return [{"role": "system", "content": prompts.get("judge_system", SYSTEM)}, {"role": "user", "content": user}]
    where = f"\n\nWhere to look: {check.specific_file_locations}" if check.specific_file_locations else ""
    return [{"role": "system", "content": SYSTEM},
            {"role": "user", "content": f"## The task\n{instruction}\n\n## The check ({check.check_id})\n"
                                        f"{check.check_description}\n\nPass (1) if: {check.score_1_criteria}\n"
                                        f"Fail (0) if: {check.score_0_criteria}{where}\n\n## The deliverables\n{body}"}]


def parse_pass(text: str) -> tuple[bool, str]:
    data = reply_json(text)
    score = data.get("score", data.get("pass"))
    if score not in (0, 1, True, False):
        raise ValueError(f"the judge's score {score!r} is not 1 or 0")
    return bool(score), str(data.get("reasoning", data.get("reasons", "")))[:2000]


async def _ask(judge: Model, check: Check, messages: list[dict]) -> CheckVerdict:
    verdict = CheckVerdict(check_id=check.check_id, check_type=check.check_type.value, judge=judge.info.spec)
    out, verdict.error, verdict.usd = await ask(judge, messages)
    if out is None:
        return verdict
    verdict.usage = out.usage
    try:
        verdict.passed, verdict.reasons = parse_pass(out.message.get("content") or "")
    except (ValueError, TypeError) as exc:
        verdict.error = f"unreadable verdict: {exc}"[:500]
    return verdict


async def judge_checks(panel: Sequence[Model], instruction: str, checks: Sequence[Check],
                       deliverables: dict[str, str], mode: str = "draw", prompts: dict[str, str] | None = None,
                       images: dict[str, list[str]] | None = None) -> list[CheckVerdict]:
    """One verdict per binary check, in the checks' order; pairwise checks are left to the pairwise comparison."""
    if mode not in PANEL_MODES:
        raise ValueError(f"unknown panel mode '{mode}' (valid: {', '.join(PANEL_MODES)})")

    def asked(judge: Model, check: Check) -> Awaitable[CheckVerdict]:  # page images only to a judge that takes them
        return _ask(judge, check, check_prompt(instruction, check, deliverables, prompts,
                                               images if judge.takes_images else None))

    async def one(check: Check) -> CheckVerdict:
        if mode == "draw":
            return await asked(draw(check, panel), check)
        votes = await asyncio.gather(*(asked(j, check) for j in panel))
        return _majority(check, votes)

    return list(await asyncio.gather(*(one(c) for c in checks if c.binary)))


def _majority(check: Check, votes: list[CheckVerdict]) -> CheckVerdict:
    counted = [v for v in votes if v.passed is not None]
    usage = sum((v.usage for v in votes), Usage())
    usd = None if any(v.usd is None and not v.error for v in votes) else sum(v.usd or 0.0 for v in votes)
    out = CheckVerdict(check_id=check.check_id, check_type=check.check_type.value, judge=f"majority of {len(votes)}",
                       usage=usage, usd=usd, reasons=" | ".join(f"{v.judge}: {v.reasons or v.error}" for v in votes),
                       votes=votes)
    yes = sum(v.passed for v in counted)
    if len(counted) * 2 <= len(votes) or yes * 2 == len(counted):  # most judges gave no verdict, or a tie
        out.error = f"no majority ({yes} of {len(counted)} verdicts pass, {len(votes) - len(counted)} failed)"
    else:
        out.passed = yes * 2 > len(counted)
    return out


def task_checks(task: Task) -> list[Check]:
    """The task's checks of its grader's checks.jsonl (a file may hold a whole suite's: those of other tasks are not
    its own)."""
    return [c for c in load_checks(task.grader_dir / CHECKS) if c.task_id == task.id]


def pass_rate(verdicts: Sequence[CheckVerdict]) -> float | None:
    """The share of checks passed, of those given a verdict."""
    counted = [v.passed for v in verdicts if v.passed is not None]
    return round(sum(counted) / len(counted), 6) if counted else None


async def judge_rubric(panel: Sequence[Model], mode: str, task: Task, shown: dict[str, str],
                       images: dict[str, list[str]] | None = None) -> JudgeRecord:
    """A sample's rubric checks (its task's grader/checks.jsonl) by the panel, on its deliverables as text (`shown`,
    harness/agents/judge.py: deliverables): the pass rate is the judge's score."""
    checks = task_checks(task)
    verdicts = await judge_checks(panel, task.instruction, checks, shown, mode, task.prompts, images)
    paid = [v for v in verdicts if v.usage.calls]
    rec = JudgeRecord(model=", ".join(j.info.spec for j in panel), checks=verdicts, score=pass_rate(verdicts),
                      usage=sum((v.usage for v in verdicts), Usage()),
                      usd=None if any(v.usd is None for v in paid) else sum(v.usd for v in paid))
    if rec.score is None:
        rec.error = "no rubric check got a verdict" if verdicts else "the task's checks.jsonl holds no binary check"
    return rec

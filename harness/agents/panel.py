"""Binary rubric checks judged by a panel, as AA-Briefcase grades them: each check (accuracy, critical insight) is
passed or failed by one judge of the panel drawn for that check (by its id, so a re-run draws the same one), or by
the majority of the panel. A judge sees the task, the check and the parsed deliverables it names — never the source
files. Each verdict keeps its judge, reasoning, tokens and dollars; a judge that fails gives no verdict (never a 0).
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Sequence

from providers.base import Model
from results.records import CheckVerdict, JudgeRecord, Usage
from tasks import Task
from tasks.rubric import CHECKS, Check, load_checks

from .judge import ask, files_block, reply_json

SYSTEM = ("You grade one check of a rubric, strictly: pass only if the deliverable meets the pass criteria in full. "
          "You see the task, the check and the deliverables; judge only what they contain. Reply with one JSON object "
          'and nothing else: {"score": 1 or 0, "reasoning": "<one to three sentences>"}.')
PANEL_MODES = ("draw", "majority")


def draw(check: Check, panel: Sequence[Model]) -> Model:
    """The judge of the panel for this check: fixed by the check's id, spread evenly over the panel."""
    return panel[int(hashlib.sha256(check.check_id.encode()).hexdigest(), 16) % len(panel)]


def shown(check: Check, deliverables: dict[str, str]) -> dict[str, str]:
    """What of the deliverables the judge sees for a check: the files it names (by name or path), else all of them."""
    wanted = [f for f in [*check.files_needed, check.taskdoer_output_file] if f]
    if not wanted:
        return deliverables
    return {rel: text for rel, text in deliverables.items()
            if any(rel == w or rel.endswith("/" + w) or rel.rsplit("/", 1)[-1] == w.rsplit("/", 1)[-1] for w in wanted)}


def check_prompt(instruction: str, check: Check, deliverables: dict[str, str]) -> list[dict]:
    files = shown(check, deliverables)
    body = files_block(files, "(none of the deliverables this check reads was produced)")
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
                       deliverables: dict[str, str], mode: str = "draw") -> list[CheckVerdict]:
    """One verdict per binary check, in the checks' order; pairwise checks are left to the pairwise comparison."""
    if mode not in PANEL_MODES:
        raise ValueError(f"unknown panel mode '{mode}' (valid: {', '.join(PANEL_MODES)})")

    async def one(check: Check) -> CheckVerdict:
        messages = check_prompt(instruction, check, deliverables)
        if mode == "draw":
            return await _ask(draw(check, panel), check, messages)
        votes = await asyncio.gather(*(_ask(j, check, messages) for j in panel))
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


def pass_rate(verdicts: Sequence[CheckVerdict]) -> float | None:
    """The share of checks passed, of those given a verdict."""
    counted = [v.passed for v in verdicts if v.passed is not None]
    return round(sum(counted) / len(counted), 6) if counted else None


async def judge_rubric(panel: Sequence[Model], mode: str, task: Task, shown: dict[str, str]) -> JudgeRecord:
    """A sample's rubric checks (its task's grader/checks.jsonl) by the panel, on its deliverables as text (`shown`,
    harness/agents/judge.py: deliverables): the pass rate is the judge's score."""
    checks = load_checks(task.grader_dir / CHECKS)
    verdicts = await judge_checks(panel, task.instruction, checks, shown, mode)
    paid = [v for v in verdicts if v.usage.calls]
    rec = JudgeRecord(model=", ".join(j.info.spec for j in panel), checks=verdicts, score=pass_rate(verdicts),
                      usage=sum((v.usage for v in verdicts), Usage()),
                      usd=None if any(v.usd is None for v in paid) else sum(v.usd for v in paid))
    if rec.score is None:
        rec.error = "no rubric check got a verdict" if verdicts else "the task's checks.jsonl holds no binary check"
    return rec

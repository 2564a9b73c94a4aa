"""Pairwise checks (AA-Briefcase's analytical quality and presentation): a judge compares two models' deliverables for
one task, blind to which model made which, and prefers one or calls a tie. Each pair is judged in both orders, so a
judge's lean towards what it reads first cancels (results/elo.py measures how far the two orders agree). Verdicts are
cached by content — the check, both deliverables in the order shown, the judge — so a report made again pays for
nothing twice."""

from __future__ import annotations

import asyncio
import hashlib
import json
from pathlib import Path

from providers.base import Model
from results.elo import Judgement
from tasks.rubric import Check

from .judge import ask, files_block, reply_json

SYSTEM = ("You compare two deliverables made for the same task, on one criterion only. You do not know who made "
          "them. Reply with one JSON object and nothing else: "
          '{"preferred": 1 or 2, or 0 for a tie, "reasoning": "<one to three sentences>"}.')


def prompt(instruction: str, check: Check, first: dict[str, str], second: dict[str, str]) -> list[dict]:
    def block(files: dict[str, str]) -> str:
        return files_block(files, "(nothing was produced)", "####")

    return [{"role": "system", "content": SYSTEM},
            {"role": "user", "content": f"## The task\n{instruction}\n\n## The criterion ({check.check_id})\n"
                                        f"{check.check_description}\n\n## Deliverable 1\n{block(first)}\n\n"
                                        f"## Deliverable 2\n{block(second)}"}]


def parse_preference(text: str) -> tuple[float, str]:
    """The first deliverable's outcome: 1.0 preferred, 0.0 the second preferred, 0.5 a tie."""
    preferred = reply_json(text).get("preferred")
    if preferred not in (0, 1, 2):
        raise ValueError(f"the judge's preference {preferred!r} is not 1, 2 or 0")
    return {1: 1.0, 2: 0.0, 0: 0.5}[preferred], str(reply_json(text).get("reasoning", ""))[:2000]


class PairwiseJudge:
    """One judge, its verdicts cached under `cache` (a folder) by content."""

    def __init__(self, judge: Model, cache: Path):
        self.judge, self.cache = judge, cache
        self.calls: list[dict] = []  # what was paid for this time: usage and dollars per call

    def _key(self, messages: list[dict]) -> Path:
        body = json.dumps([self.judge.info.spec, self.judge.info.settings, messages], sort_keys=True)
        return self.cache / f"{hashlib.sha256(body.encode()).hexdigest()}.json"

    async def _once(self, messages: list[dict]) -> dict:
        path = self._key(messages)
        if path.is_file():
            return json.loads(path.read_text())
        out, error, usd = await ask(self.judge, messages)
        if out is None:  # no verdict, and nothing cached: asked again next time
            return {"error": error}
        self.calls.append({"usage": out.usage.model_dump(), "usd": usd})
        try:
            outcome, reasons = parse_preference(out.message.get("content") or "")
            verdict = {"outcome": outcome, "reasons": reasons}
        except (ValueError, TypeError) as exc:
            verdict = {"error": f"unreadable verdict: {exc}"[:500]}
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(verdict))  # an unreadable verdict was paid for: kept, not asked again
        return verdict

    async def compare(self, task: str, instruction: str, check: Check, a: str, a_files: dict[str, str], b: str,
                      b_files: dict[str, str]) -> list[Judgement]:
        """Both orders; a verdict the judge did not give is left out (no judgement, never a loss)."""
        orders = [(a, a_files, b, b_files), (b, b_files, a, a_files)]
        verdicts = await asyncio.gather(*(self._once(prompt(instruction, check, f1, f2)) for _, f1, _, f2 in orders))
        return [Judgement(task, x, y, v["outcome"], self.judge.info.spec)
                for (x, _, y, _), v in zip(orders, verdicts, strict=True) if "outcome" in v]

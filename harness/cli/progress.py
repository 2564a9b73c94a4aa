"""Live progress of a run: a bar per model and one for the run (with its ETA) on a terminal, one line per
finished sample elsewhere (CI, logs), folded at $COLUMNS, else 80. On resume the counters start from what is already
recorded."""

from __future__ import annotations

import shutil
import time

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from results.records import ErrorClass, SampleRecord

NARROW = 110  # columns below which the live bars are compact


class Tally:
    def __init__(self) -> None:
        self.done = self.passed = self.errors = 0
        self.usd = 0.0
        self.unpriced = False

    def add(self, rec: SampleRecord) -> None:
        self.done += 1
        self.passed += bool(rec.passed)
        self.errors += rec.error != ErrorClass.none
        self.usd += rec.usd or 0.0
        self.unpriced |= rec.usd is None and rec.error != ErrorClass.infra

    def text(self, compact: bool = False) -> str:
        if compact:
            return f"{self.passed} ok · {self.errors} err · ${self.usd:.4f}" + ("+null" if self.unpriced else "")
        return f"passed {self.passed} · errors {self.errors} · ${self.usd:.4f}" + (" + null" if self.unpriced else "")


class RunProgress:
    def __init__(self, totals: dict[str, int], done: list[SampleRecord], console: Console,
                 labels: dict[str, str] | None = None):
        self.console, self.totals = console, totals
        self.total = sum(totals.values())
        self.all, self.models = Tally(), {m: Tally() for m in totals}
        for rec in done:  # already recorded: the counters include them, the ETA does not
            self.all.add(rec)
            if rec.model in self.models:
                self.models[rec.model].add(rec)
        self.resumed, self.t0 = self.all.done, time.monotonic()
        self.live = console.is_terminal
        # Below NARROW columns the bars drop the elapsed time and say their counts briefly, so that no figure is cut.
        self.compact = console.width < NARROW
        name = 18 if self.compact else 28
        self.bar = Progress(TextColumn("{task.description}", style="bold", markup=False),
                            BarColumn(bar_width=8 if self.compact else 40), MofNCompleteColumn(),
                            TextColumn("{task.fields[stats]}", markup=False),
                            *([] if self.compact else [TimeElapsedColumn()]), TextColumn("ETA"),
                            TimeRemainingColumn(), console=console, transient=False, disable=not self.live)
        self.task = self.bar.add_task("all", total=self.total, completed=self.all.done, stats=self._stats(self.all))
        labels = labels or {}
        def cut(label: str) -> str:  # a name that does not fit ends in "…"
            return label if len(label) <= name else label[:name - 1] + "…"

        self.tasks = {m: self.bar.add_task(cut(labels.get(m, m)), total=n, completed=self.models[m].done,
                                           stats=self._stats(self.models[m])) for m, n in totals.items()} \
            if len(totals) > 1 else {}

    def _stats(self, tally: Tally) -> str:
        return tally.text(self.compact)

    def __enter__(self) -> RunProgress:
        self.bar.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self.bar.__exit__(*exc)

    def note(self, text: str) -> None:
        self.console.print(text, style="dim", highlight=False, soft_wrap=True, markup=False)

    def eta_s(self) -> float | None:
        """Seconds left at this session's pace (samples resumed from earlier sessions are not its pace)."""
        new = self.all.done - self.resumed
        if new <= 0:
            return None
        return (time.monotonic() - self.t0) / new * (self.total - self.all.done)

    def update(self, rec: SampleRecord) -> None:
        self.all.add(rec)
        self.bar.update(self.task, advance=1, stats=self._stats(self.all))
        if rec.model in self.models:
            self.models[rec.model].add(rec)
            if rec.model in self.tasks:
                self.bar.update(self.tasks[rec.model], advance=1, stats=self._stats(self.models[rec.model]))
        if not self.live:
            self._log(rec)

    def _log(self, rec: SampleRecord) -> None:
        """One line a sample, folded in two where it would pass the console's width (80 when piped, or $COLUMNS):
        where it is, then how it went; an error on a line of its own; a model's totals when its last sample is in."""
        width = shutil.get_terminal_size((80, 24)).columns  # $COLUMNS, else the terminal's, else 80
        mine = self.models.get(rec.model)
        several = len(self.totals) > 1 and mine is not None
        head = f"[{self.all.done}/{self.total}] {rec.model} {rec.task_id} e{rec.epoch}"
        # A limit or a crash the model caused is scored (failed); only an infra error is not scored.
        verdict = "passed" if rec.passed else "failed" if rec.passed is False else "not scored"
        eta = self.eta_s()
        parts = [verdict + ("" if rec.score is None else f" {rec.score:.2f}"), f"{rec.turns} turns",
                 "$null" if rec.usd is None else f"${rec.usd:.4f}", f"{rec.wall_s:.1f}s",
                 *([f"model {mine.done}/{self.totals[rec.model]}"] if several else []),
                 *([f"ETA {eta:.0f}s"] if eta is not None else [])]
        detail = " · ".join(parts)
        lines = [f"{head}: {detail}"] if len(head) + 2 + len(detail) <= width else [head, f"  {detail}"]
        if rec.error != ErrorClass.none:
            lines.append(f"  {rec.error.value}: {' '.join(rec.error_detail.split())}"[:max(width, 40)])
        if several and mine.done == self.totals[rec.model]:
            lines.append(f"{rec.model}: {mine.done}/{self.totals[rec.model]} done, {mine.text()}")
        for line in lines:
            self.console.print(line, highlight=False, soft_wrap=True, markup=False)

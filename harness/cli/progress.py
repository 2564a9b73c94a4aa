"""Live progress of a run: a bar per model and one for the run (with its ETA) on a terminal, one line per
finished sample elsewhere (CI, logs). On resume the counters start from what is already recorded."""

from __future__ import annotations

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

    def text(self) -> str:
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
        self.bar = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.fields[stats]}"), TimeElapsedColumn(), TextColumn("ETA"),
                            TimeRemainingColumn(), console=console, transient=False, disable=not self.live)
        self.task = self.bar.add_task("all", total=self.total, completed=self.all.done, stats=self.all.text())
        labels = labels or {}
        self.tasks = {m: self.bar.add_task(labels.get(m, m)[:28], total=n, completed=self.models[m].done,
                                           stats=self.models[m].text()) for m, n in totals.items()} \
            if len(totals) > 1 else {}

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
        self.bar.update(self.task, advance=1, stats=self.all.text())
        if rec.model in self.models:
            self.models[rec.model].add(rec)
            if rec.model in self.tasks:
                self.bar.update(self.tasks[rec.model], advance=1, stats=self.models[rec.model].text())
        if not self.live:
            score = "-" if rec.score is None else f"{rec.score:.2f}"
            err = "" if rec.error == ErrorClass.none else f" error={rec.error.value}: {rec.error_detail[:80]}"
            usd = "null" if rec.usd is None else f"{rec.usd:.4f}"
            eta = self.eta_s()
            mine = self.models.get(rec.model)
            self.console.print(f"[{self.all.done}/{self.total}] {rec.model} {rec.task_id} e{rec.epoch}: "
                               f"passed={rec.passed} score={score} turns={rec.turns} ${usd} {rec.wall_s:.1f}s{err}"
                               + (f" | {rec.model}: {mine.done}/{self.totals[rec.model]}, {mine.text()}" if mine else "")
                               + (f" | ETA {eta:.0f}s" if eta is not None else ""), highlight=False, soft_wrap=True)

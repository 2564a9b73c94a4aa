"""Live progress of a run: a bar on a terminal, one line per finished sample elsewhere (CI, logs)."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from results.records import ErrorClass, SampleRecord


class RunProgress:
    def __init__(self, total: int, skipped: int, console: Console):
        self.console, self.total, self.done = console, total, skipped
        self.passed = self.errors = 0
        self.usd = 0.0
        self.live = console.is_terminal
        self.bar = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.fields[stats]}"), TimeElapsedColumn(), console=console,
                            transient=False, disable=not self.live)
        self.task = self.bar.add_task("samples", total=total, completed=skipped, stats=self._stats())

    def _stats(self) -> str:
        return f"passed {self.passed} · errors {self.errors} · ${self.usd:.4f}"

    def __enter__(self) -> RunProgress:
        self.bar.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self.bar.__exit__(*exc)

    def note(self, text: str) -> None:
        self.console.print(text, style="dim", highlight=False, soft_wrap=True, markup=False)

    def update(self, rec: SampleRecord) -> None:
        self.done += 1
        self.passed += bool(rec.passed)
        self.errors += rec.error != ErrorClass.none
        self.usd += rec.usd or 0.0
        self.bar.update(self.task, advance=1, stats=self._stats())
        if not self.live:
            score = "-" if rec.score is None else f"{rec.score:.2f}"
            err = "" if rec.error == ErrorClass.none else f" error={rec.error.value}: {rec.error_detail[:80]}"
            usd = "null" if rec.usd is None else f"{rec.usd:.4f}"
            self.console.print(f"[{self.done}/{self.total}] {rec.model} {rec.task_id} e{rec.epoch}: "
                               f"passed={rec.passed} score={score} turns={rec.turns} ${usd} {rec.wall_s:.1f}s{err}",
                               highlight=False, soft_wrap=True)

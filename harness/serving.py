"""Models with a server of their own (vLLM): start them, scrape their /metrics around a
session, and write RUN/servers/NAME.json with the harness's token totals beside the server's."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
from pathlib import Path
from typing import Any

from rich.console import Console

from providers.base import Model
from results.records import SampleRecord, now_iso
from results.store import slug

SCRAPE_EVERY_S = 15.0


def served(models: list[Model]) -> list[Model]:
    return [m for m in models if hasattr(m, "snapshot")]


async def start_servers(models: list[Model], run_dir: Path, console: Console) -> None:
    for m in served(models):
        label = m.info.spec
        with console.status(f"starting vLLM for {label} …") as status:
            def progress(elapsed: float, line: str, status=status, label=label) -> None:
                status.update(f"starting vLLM for {label}: {elapsed:.0f}s  [dim]{line[-100:]}[/dim]")

            await m.start(run_dir, slug(label), progress)
        startup = m.record.get("startup_s")
        console.print(f"vLLM ready for {label} at {m.info.base_url}"
                      + (f" after {startup:.1f}s" if startup is not None else " (attached)"), highlight=False)


class ServerWatch:
    """Snapshots before, every SCRAPE_EVERY_S during, and after a session; harness totals per model."""

    def __init__(self, models: list[Model], run_dir: Path):
        self.models, self.run_dir = served(models), run_dir
        self.sessions: dict[str, dict[str, Any]] = {}
        self._task: asyncio.Task | None = None

    async def __aenter__(self) -> ServerWatch:
        for m in self.models:
            self.sessions[m.info.spec] = {"started_at": now_iso(), "snapshots": [await m.snapshot()],
                                          "periodic": [], "harness_tokens": {"prompt": 0, "output": 0, "calls": 0}}
        if self.models:
            self._task = asyncio.create_task(self._periodic())
        return self

    async def _periodic(self) -> None:
        while True:
            await asyncio.sleep(SCRAPE_EVERY_S)
            for m in self.models:
                snap = await m.snapshot(full=False)
                if snap:
                    self.sessions[m.info.spec]["periodic"].append(snap)

    def add(self, rec: SampleRecord) -> None:
        tokens = self.sessions.get(rec.model, {}).get("harness_tokens")
        if tokens is not None:
            tokens["prompt"] += rec.usage.input_total
            tokens["output"] += rec.usage.output
            tokens["calls"] += rec.usage.calls

    async def __aexit__(self, *exc) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        for m in self.models:
            session = self.sessions[m.info.spec]
            with contextlib.suppress(Exception):  # a dead server gives no final scrape; that is recorded as such
                session["snapshots"].append(await asyncio.wait_for(m.snapshot(), 15))
            session["finished_at"] = now_iso()
            self._write(m, session)

    def _write(self, m: Model, session: dict[str, Any]) -> None:
        path = self.run_dir / "servers" / f"{slug(m.info.spec)}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        record = json.loads(path.read_text()) if path.exists() else {}
        record.update(m.record)
        record.setdefault("sessions", []).append(session)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(record, indent=1))
        os.replace(tmp, path)

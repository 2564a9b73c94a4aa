"""Models with a server of their own (vLLM): start them, scrape their /metrics around a
session, and write RUN/servers/NAME.json with the harness's token totals beside the server's."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text

from providers.base import Model
from results.cost import attribute_session, billed_time
from results.records import TOKEN_FIELDS, SampleRecord, now_iso
from results.store import RunStore, slug

SCRAPE_EVERY_S = 5.0  # the resolution of the load timeline and of the busy share (`--scrape-every`)


def served(models: list[Model]) -> list[Model]:
    return [m for m in models if m.serves_metrics]


async def start_servers(models: list[Model], run_dir: Path, console: Console) -> None:
    for m in served(models):
        label = m.info.spec
        with console.status(f"starting vLLM for {label} …") as status:
            def progress(elapsed: float, line: str, status=status, label=label) -> None:
                status.update(Text.assemble(f"starting vLLM for {label}: {elapsed:.0f}s  ", (line[-100:], "dim")))

            await m.start(run_dir, slug(label), progress)
        startup = m.record.get("startup_s")
        console.print(f"vLLM ready for {label} at {m.info.base_url}"
                      + (f" after {startup:.1f}s" if startup is not None else " (attached)"), highlight=False)


class ServerWatch:
    """Snapshots before, every SCRAPE_EVERY_S during, and after a session; harness totals per model;
    and, when the node's price is given, each sample's share of the node cost."""

    def __init__(self, models: list[Model], store: RunStore, node: dict[str, Any], every_s: float = SCRAPE_EVERY_S):
        self.models, self.store, self.run_dir, self.node = served(models), store, store.root, node
        self.every_s = every_s
        self.sessions: dict[str, dict[str, Any]] = {}
        self.records: dict[str, list[SampleRecord]] = {m.info.spec: [] for m in self.models}
        self._task: asyncio.Task | None = None
        self._t0 = time.monotonic()

    async def __aenter__(self) -> ServerWatch:
        self._t0 = time.monotonic()
        for m in self.models:
            self.sessions[m.info.spec] = {"started_at": now_iso(), "snapshots": [await m.snapshot()],
                                          "periodic": [], "scrape_every_s": self.every_s, "harness_tokens": {"prompt": 0, "output": 0, "calls": 0},
                                          "samples": {}}
        if self.models:
            self._task = asyncio.create_task(self._periodic())
        return self

    async def _periodic(self) -> None:
        while True:
            await asyncio.sleep(self.every_s)
            for m in self.models:
                snap = await m.snapshot(full=False)
                if snap:
                    self.sessions[m.info.spec]["periodic"].append(snap)

    def add(self, rec: SampleRecord) -> None:
        session = self.sessions.get(rec.model)
        if session is None:
            return
        tokens = session["harness_tokens"]
        tokens["prompt"] += rec.usage.input_total
        tokens["output"] += rec.usage.output
        tokens["calls"] += rec.usage.calls
        session["samples"][rec.sample_id] = rec.usage.model_dump(include=set(TOKEN_FIELDS) | {"calls"})
        self.records[rec.model].append(rec)

    async def __aexit__(self, *exc) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        for m in self.models:
            session = self.sessions[m.info.spec]
            with contextlib.suppress(Exception):  # a dead server gives no final scrape; that is recorded as such
                session["snapshots"].append(await asyncio.wait_for(m.snapshot(), 15))
            if (replicas := m.replica_stats()) is not None:
                session["replicas"] = replicas  # what each was sent, and which samples it served
            session["finished_at"] = now_iso()
            end, clock = time.monotonic(), m.server_clock()
            # The renter's bill runs until the server stops: a server pertask launched is stopped now, and the
            # seconds that takes are the idle tail. An attached server is not ours to stop: its session only.
            if clock:
                await m.aclose()
            session["node_time"] = {"startup_s": clock.get("startup_s"),
                                    "serving_s": round(end - clock.get("ready_at", self._t0), 3),
                                    "tail_s": round(time.monotonic() - end, 3) if clock else None}
            session["node_time_s"] = round(sum(billed_time(session["node_time"], self.node.get("bill_from")).values()), 3)
            self._price(m, session)
            self._write(m, session)

    def _price(self, m: Model, session: dict[str, Any]) -> None:
        """Each sample's share of the node cost, stored once with the session (servers/*.json): the records
        are not written again to carry it; RunStore.load_samples joins it."""
        snaps = session["snapshots"]
        session["serving_gpus"] = m.serving_gpus()  # kept: a reprice without --gpus bills these again
        usages = {r.sample_id: r.usage for r in self.records[m.info.spec]}
        session["cost"] = attribute_session(usages, self.node, session["node_time"], snaps[0],
                                            snaps[-1] if len(snaps) > 1 else None, session["serving_gpus"])

    def _write(self, m: Model, session: dict[str, Any]) -> None:
        path = self.run_dir / "servers" / f"{slug(m.info.spec)}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        record = json.loads(path.read_text()) if path.exists() else {}
        record.update(m.record)
        record.setdefault("sessions", []).append(session)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(record, indent=1))
        os.replace(tmp, path)

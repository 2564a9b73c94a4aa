"""The run directory: manifest.json, samples.jsonl, transcripts/.

samples.jsonl is append-only and fsynced per line, so a killed run loses at most
the line being written; readers skip (and report) a torn last line.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from .records import ErrorClass, RunManifest, SampleRecord

SAMPLES = "samples.jsonl"
MANIFEST = "manifest.json"


def cache_root() -> Path:
    """The user's cache for pertask (prepared models, materialized imports); never the repo."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(os.environ.get("PERTASK_CACHE") or Path(base) / "pertask")


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("_")[:120] or "x"


def sample_id(model: str, task_id: str, epoch: int) -> str:
    return f"{model}|{task_id}|{epoch}"


class RunStore:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.samples_path = self.root / SAMPLES
        self.manifest_path = self.root / MANIFEST
        self.torn_lines = 0

    def create(self) -> None:
        (self.root / "transcripts").mkdir(parents=True, exist_ok=True)

    # -- samples -------------------------------------------------------------
    def load_samples(self) -> list[SampleRecord]:
        """Every record, later lines replacing earlier ones for the same sample."""
        if not self.samples_path.exists():
            return []
        by_id: dict[str, SampleRecord] = {}
        self.torn_lines = 0
        with self.samples_path.open("rb") as fh:
            for raw in fh:
                try:
                    rec = SampleRecord.model_validate_json(raw)
                except ValueError:
                    self.torn_lines += 1  # a write cut short by a kill; that sample simply re-runs
                    continue
                by_id[rec.sample_id] = rec
        return list(by_id.values())

    def finished_ids(self) -> set[str]:
        """Samples that need no re-run. Infra errors are retried: they say nothing about the model."""
        return {r.sample_id for r in self.load_samples() if r.error != ErrorClass.infra}

    def append(self, rec: SampleRecord) -> None:
        line = (rec.to_json() + "\n").encode()
        # If a previous process died mid-line, start on a fresh line so this record stays readable.
        with self.samples_path.open("ab+") as fh:
            if fh.tell() > 0:
                fh.seek(-1, os.SEEK_END)
                if fh.read(1) != b"\n":
                    line = b"\n" + line
            fh.write(line)
            fh.flush()
            os.fsync(fh.fileno())

    def rewrite(self, records: list[SampleRecord]) -> None:
        """Replace samples.jsonl with exactly these records, atomically (reprice; never during a run)."""
        tmp = self.samples_path.with_suffix(".tmp")
        with tmp.open("w") as fh:
            fh.writelines(r.to_json() + "\n" for r in records)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.samples_path)

    # -- manifest ------------------------------------------------------------
    def read_manifest(self) -> RunManifest | None:
        if not self.manifest_path.exists():
            return None
        return RunManifest.model_validate_json(self.manifest_path.read_text())

    def write_manifest(self, manifest: RunManifest) -> None:
        tmp = self.manifest_path.with_suffix(".tmp")
        tmp.write_text(manifest.model_dump_json(by_alias=True, indent=2))
        os.replace(tmp, self.manifest_path)

    # -- transcripts ---------------------------------------------------------
    def write_transcript(self, model: str, task_id: str, epoch: int, data: dict[str, Any]) -> str:
        rel = Path("transcripts") / slug(model) / f"{slug(task_id)}__e{epoch}.json"
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1, default=str))
        os.replace(tmp, path)
        return str(rel)

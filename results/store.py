"""The run directory: manifest.json, samples.jsonl, transcripts/, grading/ (each sample's verifier logs).

samples.jsonl is append-only and fsynced per line, so a killed run loses at most
the line being written; readers skip (and report) a torn last line.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .records import ErrorClass, RunManifest, SampleRecord

NANO = 1_000_000_000  # attributed dollars are stored as integer nano-dollars, so that they add up exactly

SAMPLES = "samples.jsonl"
MANIFEST = "manifest.json"
CALLS = "calls.jsonl"  # the call ledger: one line per model call, appended as its response arrives
LOCK = "run.lock"
GRADING_KEPT = 50 << 20  # of one sample's grading logs, what the run directory keeps


class RunDirError(ValueError):
    """A run directory that cannot be used as asked: in use by another run, a file, an unreadable manifest."""


def cache_root() -> Path:
    """The user's cache for pertask (prepared models, materialized imports); never the repo."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(os.environ.get("PERTASK_CACHE") or Path(base) / "pertask")


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("_")[:120] or "x"


def sample_id(model: str, task_id: str, epoch: int) -> str:
    return f"{model}|{task_id}|{epoch}"


def model_of(sample: str) -> str:
    """The model key a sample id was made from (task ids and epochs hold no '|')."""
    return sample.rsplit("|", 2)[0]


class RunStore:
    def __init__(self, root: Path):
        # Absolute: saved workspaces under it are mounted by processes that run in other directories.
        self.root = Path(root).absolute()
        self.samples_path = self.root / SAMPLES
        self.manifest_path = self.root / MANIFEST
        self.torn_lines = 0
        self._lock_fd: int | None = None
        self._calls_fd: int | None = None

    def create(self) -> None:
        if self.root.exists() and not self.root.is_dir():
            raise RunDirError(f"{self.root} is a file, not a run directory: give --out a folder")
        (self.root / "transcripts").mkdir(parents=True, exist_ok=True)

    def lock(self) -> None:
        """One writer per run directory: a second run (or reprice) on it fails at once, naming the holder.
        The kernel drops the lock when its process dies, kill -9 included, so a resume never finds it stale."""
        if self._lock_fd is not None:
            return
        fd = os.open(self.root / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "another process"
            os.close(fd)
            raise RunDirError(f"{self.root} is in use by pertask {holder}: wait for it, or give another --out") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"PID {os.getpid()}".encode(), 0)
        self._lock_fd = fd

    def unlock(self) -> None:
        if self._calls_fd is not None:
            os.close(self._calls_fd)
            self._calls_fd = None
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    # -- samples -------------------------------------------------------------
    def load_samples(self, attributed: bool = True) -> list[SampleRecord]:
        """Every record, later lines replacing earlier ones for the same sample. A self-hosted sample's
        dollars are its share of its server session's node cost, stored once with the session
        (servers/*.json) and joined here, so every reader sees the same figure and no record is written
        twice to carry it; `attributed=False` gives the records as written."""
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
        if attributed:
            for sid, usd in self.attributed_usd().items():
                if sid in by_id:
                    by_id[sid].usd, by_id[sid].cost_basis = usd, "gpu-hour"
        return list(by_id.values())

    def attributed_usd(self) -> dict[str, float | None]:
        """sample id -> dollars attributed by its server session (a later session's re-run wins)."""
        out: dict[str, float | None] = {}
        for path in sorted((self.root / "servers").glob("*.json")):
            try:
                record = json.loads(path.read_text())
            except (OSError, ValueError):
                continue  # reported by the servers section; the records keep their own (null) dollars
            for session in record.get("sessions", []):
                cost = session.get("cost")
                for sid in session.get("samples", {}):
                    out[sid] = None if not cost else cost["per_sample_nano_usd"][sid] / NANO
        return out

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

    # -- agent phases saved before grading --------------------------------------
    def agent_dir(self, sample_id: str) -> Path:
        return self.root / "agent" / slug(sample_id)

    def save_agent(self, rec: SampleRecord, transcript: dict[str, Any]) -> None:
        """The finished agent phase (record so far, transcript; the workspace is moved beside it by the
        sandbox): a kill during grading then costs a re-grade, not the model's calls again."""
        rec.transcript = self.write_transcript(rec.model, rec.task_id, rec.epoch, transcript)
        tmp = self.agent_dir(rec.sample_id) / "sample.tmp"
        tmp.write_text(rec.to_json())
        os.replace(tmp, tmp.with_suffix(".json"))

    def load_agent(self, sample_id: str) -> tuple[SampleRecord, dict[str, Any]] | None:
        path = self.agent_dir(sample_id) / "sample.json"
        try:
            rec = SampleRecord.model_validate_json(path.read_text())
            return rec, json.loads((self.root / rec.transcript).read_text())
        except (OSError, ValueError):
            return None  # none saved, or saved only in part: the sample runs again

    # -- the call ledger -----------------------------------------------------
    def append_call(self, entry: dict[str, Any]) -> None:
        """One paid call, written the moment it is known: one write(2) to an O_APPEND file survives a
        kill -9 of this process (no fsync: that guards against the machine's crash, at a disk wait per call).
        The file stays open for the run: opening it per call costs more than the write."""
        if self._calls_fd is None:
            self._calls_fd = os.open(self.root / CALLS, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        os.write(self._calls_fd, (json.dumps(entry, separators=(",", ":"), default=str) + "\n").encode())

    def load_calls(self) -> list[dict[str, Any]]:
        path = self.root / CALLS
        if not path.exists():
            return []
        out = []
        for raw in path.read_bytes().splitlines():
            try:
                out.append(json.loads(raw))
            except ValueError:
                continue  # a write cut short by a kill
        return out

    # -- manifest ------------------------------------------------------------
    def read_manifest(self) -> RunManifest | None:
        if not self.manifest_path.exists():
            return None
        try:
            return RunManifest.model_validate_json(self.manifest_path.read_text())
        except (OSError, ValueError) as exc:  # pydantic's ValidationError is a ValueError
            raise RunDirError(f"{self.manifest_path}: unreadable manifest ({_first_error(exc)}); the samples are "
                              f"kept: move the file aside to start a new manifest") from None

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


    def save_grading(self, model: str, task_id: str, epoch: int, src: Path, limit: int = GRADING_KEPT) -> str | None:
        """What a grader left in its logs folder (Harbor's /logs/verifier, the test log), kept in the run directory
        beside the transcripts. Regular files only, never through a link (the sandbox wrote them), up to `limit`
        bytes in all; a later grading of the sample replaces them."""
        if not src.is_dir():
            return None
        rel = Path("grading") / slug(model) / f"{slug(task_id)}__e{epoch}"
        dest = self.root / rel
        shutil.rmtree(dest, ignore_errors=True)
        left = limit
        found = sorted(Path(d) / f for d, _, files in os.walk(src) for f in files)  # links to folders not followed
        for path in found:
            if path.is_symlink() or not path.is_file():
                continue
            size = path.stat().st_size
            target = dest / path.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            if size > left:
                target.with_name(target.name + ".not-kept").write_text(f"{size} bytes: over the {limit >> 20} MiB kept\n")
                continue
            shutil.copyfile(path, target, follow_symlinks=False)
            left -= size
        return str(rel) if dest.is_dir() else None


def _first_error(exc: Exception) -> str:
    """One line from a pydantic error (the field and what is wrong), or the exception's own text."""
    if isinstance(exc, ValidationError):
        e = exc.errors()[0]
        return f"field '{'.'.join(map(str, e['loc']))}': {e['msg']}"
    return str(exc).splitlines()[0]

"""State in one JSON file, shared by the processes of one machine without a database.

Every operation happens under an exclusive `flock` on a lock file next to it, and a write replaces
the file atomically (write a temporary file, then rename), so a process killed mid-write leaves
the old state, never half a file. Suited to a few requests a second (a cron job, a CLI tool, a
small site); above that, use SQLiteStorage.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
import time
from collections import deque
from contextlib import contextmanager
from pathlib import Path


class FileStorage:
    def __init__(self, path: str | Path, clock=time.time):
        self.path = Path(path)
        self._lock_path = self.path.with_name(self.path.name + ".lock")
        self._clock = clock
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._fh = None
        self._data: dict | None = None

    @contextmanager
    def lock(self, key: str):
        """One lock for the whole file: the key only names what the caller is about to change."""
        with self._thread_lock:
            if self._depth == 0:
                self._fh = open(self._lock_path, "a+")
                fcntl.flock(self._fh, fcntl.LOCK_EX)
                self._data = self._load()
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._save(self._data)
                    self._data = None
                    fcntl.flock(self._fh, fcntl.LOCK_UN)
                    self._fh.close()

    def _load(self) -> dict:
        try:
            return json.loads(self.path.read_text() or "{}")
        except FileNotFoundError:
            return {}
        except json.JSONDecodeError:
            return {}  # a corrupt file (edited by hand): start afresh rather than refuse every request

    def _save(self, data: dict) -> None:
        now = self._clock()
        live = {k: v for k, v in data.items() if v[1] > now}
        tmp = self.path.with_name(self.path.name + f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(live))
        os.replace(tmp, self.path)

    @contextmanager
    def _state(self):
        if self._depth:  # already inside lock(): use the loaded state
            yield self._data
        else:
            with self.lock(""):
                yield self._data

    def get(self, key: str):
        with self._state() as data:
            item = data.get(key)
            if item is None or item[1] <= self._clock():
                return None
            return item[0]

    def set(self, key: str, value, ttl: float) -> None:
        if isinstance(value, deque):
            value = list(value)
        with self._state() as data:
            data[key] = [value, self._clock() + ttl]

    def delete(self, key: str) -> None:
        with self._state() as data:
            data.pop(key, None)

    def sweep(self) -> int:
        with self._state() as data:
            now = self._clock()
            dead = [k for k, (_, exp) in data.items() if exp <= now]
            for k in dead:
                del data[k]
            return len(dead)

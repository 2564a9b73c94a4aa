"""State shared by every process on a machine, through one SQLite file."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections import deque
from contextlib import contextmanager


class SQLiteStorage:
    def __init__(self, path: str = ":memory:", clock=time.time):
        self._conn = sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("CREATE TABLE IF NOT EXISTS throttle (key TEXT PRIMARY KEY, value TEXT, expires REAL)")
        self._thread_lock = threading.RLock()
        self._clock = clock

    @contextmanager
    def lock(self, key: str):
        # BEGIN IMMEDIATE takes the write lock, so a read-modify-write is atomic across processes too.
        with self._thread_lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def get(self, key: str):
        row = self._conn.execute("SELECT value, expires FROM throttle WHERE key = ?", (key,)).fetchone()
        if row is None or row[1] <= self._clock():
            return None
        return json.loads(row[0])

    def set(self, key: str, value, ttl: float) -> None:
        if isinstance(value, deque):
            value = list(value)
        self._conn.execute("INSERT OR REPLACE INTO throttle (key, value, expires) VALUES (?, ?, ?)",
                           (key, json.dumps(value), self._clock() + ttl))

    def delete(self, key: str) -> None:
        self._conn.execute("DELETE FROM throttle WHERE key = ?", (key,))

    def sweep(self) -> int:
        return self._conn.execute("DELETE FROM throttle WHERE expires <= ?", (self._clock(),)).rowcount

    def close(self) -> None:
        self._conn.close()

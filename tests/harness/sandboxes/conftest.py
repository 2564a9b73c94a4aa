"""The test-only backend (fresh_backend.py), registered in SANDBOXES for every test here: through the table alone,
as a user's own backend would be."""

from __future__ import annotations

import contextlib
import socket
import threading

import pytest

from harness.sandboxes import SANDBOXES, backend_class

TEST_BACKENDS = {"fresh": "tests.harness.sandboxes.fresh_backend:FreshSandbox"}


def isolating() -> list[str]:
    """Every backend that isolates and runs pertask's own tasks, the test-only one included: the red-team suite runs
    against each."""
    table = {**SANDBOXES, **TEST_BACKENDS}
    names = []
    for name in table:
        SANDBOXES.setdefault(name, table[name])
        try:
            cls = backend_class(name)
        finally:
            if name in TEST_BACKENDS:
                del SANDBOXES[name]
        if cls.isolated and not cls.runs_images:
            names.append(name)
    return names


@pytest.fixture(autouse=True)
def test_backends(monkeypatch):
    for name, target in TEST_BACKENDS.items():
        monkeypatch.setitem(SANDBOXES, name, target)


@contextlib.contextmanager
def secret_server():
    """A TCP service on the host's 127.0.0.1 that gives a secret to whoever connects: no sandbox may reach it."""
    tcp = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        tcp.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = tcp.accept()
            except OSError:
                continue
            conn.sendall(b"host-loopback-secret")
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield tcp.getsockname()[1]
    finally:
        stop.set()
        thread.join(2)
        tcp.close()

import signal

import pytest


@pytest.fixture
def within():
    """Fails the test when the block runs longer than `seconds` (a linear dedupe needs well under 1 s)."""
    class Budget:
        def __init__(self, seconds):
            self.seconds = seconds

        def __enter__(self):
            def boom(*_):
                raise TimeoutError(f"took longer than {self.seconds}s: not linear")
            self.old = signal.signal(signal.SIGALRM, boom)
            signal.alarm(self.seconds)

        def __exit__(self, *exc):
            signal.alarm(0)
            signal.signal(signal.SIGALRM, self.old)
    return Budget

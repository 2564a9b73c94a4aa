"""Loopback fakes of each provider's dialect and documented rules, served by providers/scripted.py.

Each fake reads a request the way its provider does, refuses what its provider refuses (with the
provider's status and wording), and counts tokens and cache hits by its provider's rules, so that a
client that drops reasoning, misplaces a cache breakpoint or misreads a usage field fails a test.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

SECRET = b"pertask-fake"  # signs thinking blocks and encrypted reasoning: a changed one is refused


def sign(*parts: Any) -> str:
    return hmac.new(SECRET, json.dumps(parts).encode(), hashlib.sha256).hexdigest()[:40]


def default_reasoning(idx: int) -> str:
    return f"Turn {idx}: look at what the last command showed, then decide the next step."


class Refusal(Exception):
    """The request breaks one of the provider's rules: answered with this status and message."""

    def __init__(self, status: int, message: str, kind: str = "invalid_request_error"):
        super().__init__(message)
        self.status, self.message, self.kind = status, message, kind

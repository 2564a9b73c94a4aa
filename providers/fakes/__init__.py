"""Loopback fakes of each provider's dialect and documented rules, served by providers/scripted.py.

Each fake reads a request the way its provider does, refuses what its provider refuses (with the
provider's status and wording), and counts tokens and cache hits by its provider's rules, so that a
client that drops reasoning, misplaces a cache breakpoint or misreads a usage field fails a test.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
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


# What the built-in agent writes when it compacts a conversation (harness/agents/compaction.py: MARKER): the fakes
# count the turns it replaced, so a script's turn numbers stay the task's across a compaction.
REPLACED = re.compile(r"\[pertask: (\d+) earlier turns summarised to fit the context\]")


def replaced_turns(texts: list[str]) -> int:
    return sum(int(m.group(1)) for t in texts for m in [REPLACED.match(t)] if m)  # a note starts with it


def text_of(content: Any) -> str:
    """A message's text, whether a string or a list of parts (text, input_text), for matching the script."""
    if isinstance(content, str):
        return content
    return "".join(p.get("text", "") for p in content or [] if isinstance(p, dict)
                   and p.get("type") in ("text", "input_text"))


MAGIC = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff", "image/gif": b"GIF8", "image/webp": b"RIFF"}


def check_image(media: str, data: Any, where: str) -> None:
    """What every provider checks of an inline image: a type it takes, base64 that decodes, bytes of that type."""
    if media not in MAGIC:
        raise Refusal(400, f"{where}: image media type '{media}' is not one of {', '.join(MAGIC)}")
    try:
        raw = base64.b64decode(data if isinstance(data, str) else "", validate=True)
    except (binascii.Error, ValueError):
        raise Refusal(400, f"{where}: the image's base64 data is invalid") from None
    if not raw.startswith(MAGIC[media]):
        raise Refusal(400, f"{where}: Image does not match the provided media type {media}")


def check_data_url(url: Any, where: str) -> None:
    """An image URL as OpenAI takes it: http(s), or data:image/...;base64,... holding an image of that type."""
    if not isinstance(url, str):
        raise Refusal(400, f"{where}: expected a string URL")
    if url.startswith(("http://", "https://")):
        return
    head, sep, data = url.partition(",")
    if not (url.startswith("data:") and sep and head.endswith(";base64")):
        raise Refusal(400, f"{where}: Invalid image URL: expected a URL or a base64 data URL")
    check_image(head[5:-7], data, where)


def count_images(node: Any) -> int:
    """Image parts anywhere in a request, in any dialect's form (each fake has checked its own)."""
    if isinstance(node, dict):
        own = node.get("type") in ("image", "image_url", "input_image")
        return own + sum(count_images(v) for v in node.values())
    return sum(count_images(v) for v in node) if isinstance(node, list) else 0

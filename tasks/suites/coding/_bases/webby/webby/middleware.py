"""Middleware wraps handling: each is called as mw(request, call_next) and returns a Response."""

from __future__ import annotations

import logging
import time
from typing import Callable

from .response import Response

log = logging.getLogger("webby")
Next = Callable[[object], Response]


class RequestLog:
    def __init__(self, logger: logging.Logger = log):
        self.logger = logger

    def __call__(self, request, call_next: Next) -> Response:
        start = time.perf_counter()
        response = call_next(request)
        ms = (time.perf_counter() - start) * 1000
        self.logger.info("%s %s -> %s (%.1f ms)", request.method, request.path, response.status, ms)
        return response


class SecurityHeaders:
    DEFAULTS = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
                "Referrer-Policy": "same-origin"}

    def __init__(self, **overrides: str):
        self.headers = {**self.DEFAULTS, **{k.replace("_", "-"): v for k, v in overrides.items()}}

    def __call__(self, request, call_next: Next) -> Response:
        response = call_next(request)
        for k, v in self.headers.items():
            if k not in response.headers:
                response.headers[k] = v
        return response


class TrailingSlash:
    """Redirects /path/ to /path (or the reverse) so that each page has one URL."""

    def __init__(self, strip: bool = True):
        self.strip = strip

    def __call__(self, request, call_next: Next) -> Response:
        path = request.path
        if self.strip and len(path) > 1 and path.endswith("/"):
            target = path.rstrip("/") or "/"
            if request.query_string:
                target += "?" + request.query_string
            return Response(b"", 308, {"Location": target})
        return call_next(request)

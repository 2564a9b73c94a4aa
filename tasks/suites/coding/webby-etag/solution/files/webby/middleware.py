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


class ConditionalGet:
    """ETags on successful GET/HEAD responses, and 304 Not Modified when the client has them."""

    KEEP_ON_304 = ("ETag", "Cache-Control", "Expires", "Vary", "Date", "Content-Location")

    def __call__(self, request, call_next: Next) -> Response:
        response = call_next(request)
        if request.method not in ("GET", "HEAD") or response.status != 200:
            return response
        if "ETag" not in response.headers:
            if not response.body:
                return response
            import hashlib

            response.headers["ETag"] = '"' + hashlib.sha1(response.body).hexdigest() + '"'
        wanted = request.headers.get("If-None-Match")
        if wanted is None or not _matches(wanted, response.headers["ETag"]):
            return response
        not_modified = Response(b"", 304)
        for name in self.KEEP_ON_304:
            if name in response.headers:
                not_modified.headers[name] = response.headers[name]
        return not_modified


def _opaque(tag: str) -> str:
    tag = tag.strip()
    return tag[2:] if tag.startswith("W/") else tag


def _matches(header: str, etag: str) -> bool:
    if header.strip() == "*":
        return True
    return any(_opaque(t) == _opaque(etag) for t in header.split(",") if t.strip())

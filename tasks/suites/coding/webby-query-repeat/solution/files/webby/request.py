from __future__ import annotations

import json
from functools import cached_property
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl

from .datastructures import Headers, MultiDict
from .errors import HTTPError

MAX_BODY = 10 * 1024 * 1024


class Request:
    def __init__(self, environ: dict):
        self.environ = environ
        self.method = environ.get("REQUEST_METHOD", "GET").upper()
        self.path = environ.get("PATH_INFO", "/") or "/"
        self.query_string = environ.get("QUERY_STRING", "")
        self.route_params: dict[str, object] = {}
        self.state: dict[str, object] = {}  # for middleware to pass things to handlers

    @cached_property
    def headers(self) -> Headers:
        pairs = [(k[5:].replace("_", "-").title(), v) for k, v in self.environ.items() if k.startswith("HTTP_")]
        for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            if self.environ.get(key):
                pairs.append((key.replace("_", "-").title(), self.environ[key]))
        return Headers(pairs)

    @cached_property
    def args(self) -> MultiDict:
        return MultiDict(parse_qsl(self.query_string, keep_blank_values=True))

    @cached_property
    def body(self) -> bytes:
        try:
            length = int(self.environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise HTTPError(400, "bad Content-Length") from None
        if length > MAX_BODY:
            raise HTTPError(413, "request body too large")
        stream = self.environ.get("wsgi.input")
        return stream.read(length) if stream and length else b""

    @cached_property
    def form(self) -> MultiDict:
        if not self.content_type.startswith("application/x-www-form-urlencoded"):
            return MultiDict()
        return MultiDict(parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True))

    @cached_property
    def json(self):
        if not self.content_type.startswith("application/json"):
            return None
        try:
            return json.loads(self.body or b"null")
        except json.JSONDecodeError:
            raise HTTPError(400, "invalid JSON body") from None

    @property
    def content_type(self) -> str:
        return self.environ.get("CONTENT_TYPE", "")

    @cached_property
    def cookies(self) -> dict[str, str]:
        jar = SimpleCookie()
        jar.load(self.environ.get("HTTP_COOKIE", ""))
        return {k: m.value for k, m in jar.items()}

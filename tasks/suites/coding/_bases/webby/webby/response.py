from __future__ import annotations

import json
from http import HTTPStatus

from .datastructures import Headers


class Response:
    def __init__(self, body: str | bytes = b"", status: int = 200, headers=None,
                 content_type: str = "text/html; charset=utf-8"):
        self.body = body.encode("utf-8") if isinstance(body, str) else body
        self.status = status
        self.headers = Headers(headers.items() if isinstance(headers, (dict, Headers)) else headers or [])
        if "Content-Type" not in self.headers and self.body:
            self.headers["Content-Type"] = content_type

    @property
    def status_line(self) -> str:
        try:
            return f"{self.status} {HTTPStatus(self.status).phrase}"
        except ValueError:
            return f"{self.status} Unknown"

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def set_cookie(self, name: str, value: str, max_age: int | None = None, path: str = "/",
                   http_only: bool = True) -> None:
        parts = [f"{name}={value}", f"Path={path}"]
        if max_age is not None:
            parts.append(f"Max-Age={max_age}")
        if http_only:
            parts.append("HttpOnly")
        self.headers.add("Set-Cookie", "; ".join(parts))

    def wsgi_headers(self) -> list[tuple[str, str]]:
        items = self.headers.items()
        if not any(k.lower() == "content-length" for k, _ in items):
            items.append(("Content-Length", str(len(self.body))))
        return items


def json_response(data, status: int = 200) -> Response:
    return Response(json.dumps(data), status, content_type="application/json")


def redirect(location: str, status: int = 302) -> Response:
    return Response(b"", status, {"Location": location})


def make_response(value) -> Response:
    """What a handler returned, as a Response."""
    if isinstance(value, Response):
        return value
    if isinstance(value, tuple) and len(value) == 2:
        resp = make_response(value[0])
        resp.status = value[1]
        return resp
    if isinstance(value, (dict, list)):
        return json_response(value)
    if value is None:
        return Response(b"", 204)
    return Response(value)

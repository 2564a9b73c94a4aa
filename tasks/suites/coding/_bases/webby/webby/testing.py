"""A test client: calls the WSGI app directly, no sockets."""

from __future__ import annotations

import io
import json as jsonlib
from urllib.parse import urlencode, urlsplit

from .datastructures import Headers


class TestResponse:
    def __init__(self, status: str, headers: list[tuple[str, str]], body: bytes):
        self.status_code = int(status.split()[0])
        self.status = status
        self.headers = Headers(headers)
        self.body = body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self):
        return jsonlib.loads(self.body)


class Client:
    __test__ = False  # not a pytest test class

    def __init__(self, app):
        self.app = app
        self.cookies: dict[str, str] = {}

    def request(self, method: str, url: str, *, data=None, json=None, headers=None) -> TestResponse:
        parts = urlsplit(url)
        body, ctype = b"", ""
        if json is not None:
            body, ctype = jsonlib.dumps(json).encode(), "application/json"
        elif data is not None:
            body, ctype = urlencode(data, doseq=True).encode(), "application/x-www-form-urlencoded"
        environ = {
            "REQUEST_METHOD": method.upper(), "PATH_INFO": parts.path or "/", "QUERY_STRING": parts.query,
            "SERVER_NAME": "testserver", "SERVER_PORT": "80", "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "http", "CONTENT_LENGTH": str(len(body)), "CONTENT_TYPE": ctype,
        }
        if self.cookies:
            environ["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for k, v in (headers or {}).items():
            environ["HTTP_" + k.upper().replace("-", "_")] = v
        captured = {}

        def start_response(status, hdrs):
            captured["status"], captured["headers"] = status, hdrs

        chunks = self.app(environ, start_response)
        resp = TestResponse(captured["status"], captured["headers"], b"".join(chunks))
        for k, v in resp.headers.items():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                self.cookies[name] = rest.split(";")[0]
        return resp

    def get(self, url: str, **kw) -> TestResponse:
        return self.request("GET", url, **kw)

    def head(self, url: str, **kw) -> TestResponse:
        return self.request("HEAD", url, **kw)

    def post(self, url: str, **kw) -> TestResponse:
        return self.request("POST", url, **kw)

    def delete(self, url: str, **kw) -> TestResponse:
        return self.request("DELETE", url, **kw)

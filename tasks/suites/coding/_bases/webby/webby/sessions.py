"""Sessions kept in a signed cookie: the server stores nothing, the client cannot change them.

    app.use(SessionMiddleware(secret="..."))

    @app.post("/login")
    def login(request):
        request.state["session"]["user"] = "ada"

The session is a JSON object; keep it small (browsers cap a cookie at about 4 KB) and never put
secrets in it: it is signed, not encrypted, so the client can read it.
"""

from __future__ import annotations

import json

from .cookies import BadSignature, Cookie, delete_cookie, sign, unsign
from .response import Response

MAX_COOKIE_BYTES = 4000


class Session(dict):
    """A dict that knows whether it was changed, so unchanged sessions send no Set-Cookie."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.modified = False
        self.cleared = False

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        self.modified = True

    def __delitem__(self, key):
        super().__delitem__(key)
        self.modified = True

    def pop(self, key, *default):
        self.modified = True
        return super().pop(key, *default)

    def update(self, *args, **kwargs):
        super().update(*args, **kwargs)
        self.modified = True

    def setdefault(self, key, default=None):
        if key not in self:
            self.modified = True
        return super().setdefault(key, default)

    def clear(self):
        super().clear()
        self.modified = self.cleared = True


class SessionMiddleware:
    def __init__(self, secret: str, cookie_name: str = "session", max_age: int = 14 * 24 * 3600,
                 secure: bool = False, same_site: str = "Lax"):
        if not secret or len(secret) < 16:
            raise ValueError("the session secret must be at least 16 characters")
        self.secret, self.cookie_name, self.max_age = secret, cookie_name, max_age
        self.secure, self.same_site = secure, same_site

    def load(self, request) -> Session:
        raw = request.cookies.get(self.cookie_name)
        if not raw:
            return Session()
        try:
            data = json.loads(unsign(raw, self.secret, max_age=self.max_age))
        except (BadSignature, ValueError):
            return Session()  # forged, expired or from an old secret: start afresh
        return Session(data) if isinstance(data, dict) else Session()

    def __call__(self, request, call_next) -> Response:
        session = request.state["session"] = self.load(request)
        response = call_next(request)
        if session.cleared and not session:
            response.headers.add("Set-Cookie", delete_cookie(self.cookie_name).header_value())
        elif session.modified:
            value = sign(json.dumps(session, separators=(",", ":"), sort_keys=True), self.secret)
            if len(value) > MAX_COOKIE_BYTES:
                raise ValueError(f"session too large for a cookie ({len(value)} bytes)")
            cookie = Cookie(self.cookie_name, value, max_age=self.max_age, secure=self.secure,
                            same_site=self.same_site)
            response.headers.add("Set-Cookie", cookie.header_value())
        return response

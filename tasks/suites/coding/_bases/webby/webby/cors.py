"""Cross-origin resource sharing (CORS) as middleware.

    app.use(CORS(origins=["https://app.example.com"], allow_credentials=True))

Simple requests get Access-Control-Allow-Origin when their Origin is allowed; preflight requests
(OPTIONS with Access-Control-Request-Method) are answered here with 204 and never reach a
handler. Responses vary on Origin whenever the answer depends on it, so caches keep them apart.
"""

from __future__ import annotations

from .response import Response

SAFELISTED_HEADERS = {"accept", "accept-language", "content-language", "content-type"}


class CORS:
    def __init__(self, origins: list[str] | str = "*", methods=("GET", "HEAD", "POST"),
                 headers=(), expose_headers=(), allow_credentials: bool = False, max_age: int | None = 600):
        if origins == "*" and allow_credentials:
            # The spec forbids "*" with credentials; echoing any origin would let every site in.
            raise ValueError("allow_credentials needs an explicit list of origins, not '*'")
        self.any_origin = origins == "*"
        self.origins = set() if self.any_origin else {o.rstrip("/").lower() for o in origins}
        self.methods = [m.upper() for m in methods]
        self.headers = {h.lower() for h in headers}
        self.expose = list(expose_headers)
        self.credentials, self.max_age = allow_credentials, max_age

    def allowed(self, origin: str) -> bool:
        return self.any_origin or origin.rstrip("/").lower() in self.origins

    def _origin_headers(self, response: Response, origin: str) -> None:
        if self.any_origin:
            response.headers["Access-Control-Allow-Origin"] = "*"
        else:
            response.headers["Access-Control-Allow-Origin"] = origin
            _vary(response, "Origin")
        if self.credentials:
            response.headers["Access-Control-Allow-Credentials"] = "true"

    def preflight(self, request) -> Response:
        origin = request.headers.get("Origin", "")
        method = request.headers.get("Access-Control-Request-Method", "").upper()
        asked = [h.strip().lower() for h in request.headers.get("Access-Control-Request-Headers", "").split(",")
                 if h.strip()]
        response = Response(b"", 204)
        if not self.any_origin:
            _vary(response, "Origin")
        if not self.allowed(origin) or method not in self.methods:
            return response  # no CORS headers: the browser blocks the real request
        refused = [h for h in asked if h not in self.headers and h not in SAFELISTED_HEADERS]
        if refused:
            return response
        self._origin_headers(response, origin)
        response.headers["Access-Control-Allow-Methods"] = ", ".join(self.methods)
        if asked:
            response.headers["Access-Control-Allow-Headers"] = ", ".join(asked)
        if self.max_age is not None:
            response.headers["Access-Control-Max-Age"] = str(self.max_age)
        return response

    def __call__(self, request, call_next) -> Response:
        origin = request.headers.get("Origin")
        if origin is None:
            return call_next(request)
        if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            return self.preflight(request)
        response = call_next(request)
        if self.allowed(origin):
            self._origin_headers(response, origin)
            if self.expose:
                response.headers["Access-Control-Expose-Headers"] = ", ".join(self.expose)
        elif not self.any_origin:
            _vary(response, "Origin")
        return response


def _vary(response: Response, header: str) -> None:
    current = [v.strip() for v in response.headers.get("Vary", "").split(",") if v.strip()]
    if header.lower() not in (v.lower() for v in current):
        response.headers["Vary"] = ", ".join([*current, header])

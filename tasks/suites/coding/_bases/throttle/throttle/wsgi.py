"""WSGI middleware: 429 with Retry-After when a client exceeds its limit."""

from __future__ import annotations


class RateLimitMiddleware:
    def __init__(self, app, limiter, key=lambda environ: environ.get("REMOTE_ADDR", "unknown"),
                 exempt=("/health",)):
        self.app, self.limiter, self.key, self.exempt = app, limiter, key, tuple(exempt)

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO", "/").startswith(self.exempt):
            return self.app(environ, start_response)
        decision = self.limiter.hit(self.key(environ))
        headers = list(decision.headers(self.limiter.policy).items())
        if not decision.allowed:
            body = b"rate limit exceeded\n"
            start_response("429 Too Many Requests",
                           [("Content-Type", "text/plain"), ("Content-Length", str(len(body))), *headers])
            return [body]

        def start(status, app_headers, exc_info=None):
            return start_response(status, list(app_headers) + headers, exc_info)

        return self.app(environ, start)

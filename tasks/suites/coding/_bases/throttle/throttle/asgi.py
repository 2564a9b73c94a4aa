"""ASGI middleware: the same limits for async apps (Starlette, FastAPI, plain ASGI callables).

Limiters are synchronous and fast (memory storage) or short (SQLite); for a SQLite storage under
heavy load, run the hit in a thread with `offload=True` so it does not stall the event loop.
"""

from __future__ import annotations

import asyncio


def scope_environ(scope: dict) -> dict:
    """The parts of a WSGI environ the key functions read, built from an ASGI scope."""
    env = {"PATH_INFO": scope.get("path", "/"), "REQUEST_METHOD": scope.get("method", "GET")}
    client = scope.get("client")
    if client:
        env["REMOTE_ADDR"] = client[0]
    for raw_name, raw_value in scope.get("headers", []):
        name = raw_name.decode("latin-1").upper().replace("-", "_")
        env["HTTP_" + name] = raw_value.decode("latin-1")
    return env


class AsyncRateLimitMiddleware:
    def __init__(self, app, limiter, key=lambda env: env.get("REMOTE_ADDR", "unknown"), exempt=("/health",),
                 offload: bool = False):
        self.app, self.limiter, self.key = app, limiter, key
        self.exempt, self.offload = tuple(exempt), offload

    async def __call__(self, scope, receive, send):
        if scope.get("type") != "http" or scope.get("path", "/").startswith(self.exempt):
            await self.app(scope, receive, send)
            return
        client = self.key(scope_environ(scope))
        if self.offload:
            decision = await asyncio.to_thread(self.limiter.hit, client)
        else:
            decision = self.limiter.hit(client)
        extra = [(k.lower().encode(), v.encode()) for k, v in decision.headers(self.limiter.policy).items()]
        if not decision.allowed:
            body = b"rate limit exceeded\n"
            await send({"type": "http.response.start", "status": 429,
                        "headers": [(b"content-type", b"text/plain"),
                                    (b"content-length", str(len(body)).encode()), *extra]})
            await send({"type": "http.response.body", "body": body})
            return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)

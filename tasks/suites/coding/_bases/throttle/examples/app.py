"""A small WSGI app behind throttle's middleware: run it and hit it with curl.

    python examples/app.py            # serves http://127.0.0.1:8080
    for i in $(seq 12); do curl -s -o /dev/null -w "%{http_code} " http://127.0.0.1:8080/api/items; done

The API allows 10 requests a minute per client IP (a token bucket, so a burst of 10 then one every
6 seconds); /login allows 3 POSTs a minute; /health is never limited.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from wsgiref.simple_server import make_server

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from throttle.rules import RuleSet  # noqa: E402

RULES = RuleSet.from_dict({"rule": [
    {"path": "/login", "methods": ["POST"], "policy": "3/minute", "algorithm": "sliding_log"},
    {"path": "/api/", "policy": "10/minute"},
]})


def api(environ, start_response):
    body = json.dumps({"path": environ.get("PATH_INFO"), "ok": True}).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def app(environ, start_response):
    rule, decision = RULES.hit(environ)
    if decision is None:
        return api(environ, start_response)
    headers = list(decision.headers(rule.limiter.policy).items())
    if not decision.allowed:
        body = b'{"error": "rate limited"}'
        start_response("429 Too Many Requests", [("Content-Type", "application/json"), *headers])
        return [body]
    return api(environ, lambda status, h, exc=None: start_response(status, h + headers, exc))


if __name__ == "__main__":
    with make_server("127.0.0.1", 8080, app) as server:
        print("serving on http://127.0.0.1:8080", flush=True)
        server.serve_forever()

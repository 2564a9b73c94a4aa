from __future__ import annotations

import logging
import traceback
from http import HTTPStatus
from typing import Callable

from .errors import HTTPError, error_page
from .request import Request
from .response import Response, make_response
from .routing import Router

log = logging.getLogger("webby")


class App:
    def __init__(self, debug: bool = False):
        self.router = Router()
        self.middleware: list[Callable] = []
        self.error_handlers: dict[int, Callable] = {}
        self.debug = debug

    def route(self, pattern: str, methods=("GET",), name: str | None = None):
        def register(handler):
            self.router.add(pattern, handler, methods, name)
            return handler
        return register

    def get(self, pattern: str, **kw):
        return self.route(pattern, methods=("GET",), **kw)

    def post(self, pattern: str, **kw):
        return self.route(pattern, methods=("POST",), **kw)

    def use(self, middleware: Callable) -> None:
        self.middleware.append(middleware)

    def errorhandler(self, status: int):
        def register(handler):
            self.error_handlers[status] = handler
            return handler
        return register

    def url_for(self, name: str, /, **params) -> str:
        return self.router.url_for(name, **params)

    # -- handling
    def dispatch(self, request: Request) -> Response:
        route, found = self.router.match(request.method, request.path)
        if route is None:
            if found and request.method == "OPTIONS":
                raise HTTPError(405, f"use {', '.join(sorted(found))}", {"Allow": ", ".join(sorted(found))})
            raise HTTPError(404, f"no page at {request.path}")
        request.route_params = found
        return make_response(route.handler(request, **found))

    def handle(self, request: Request) -> Response:
        def innermost(req):
            return self._safe(self.dispatch, req)

        call = innermost
        for mw in reversed(self.middleware):
            call = (lambda m, nxt: lambda req: self._safe(lambda r: m(r, nxt), req))(mw, call)
        response = call(request)
        if request.method == "HEAD":
            response.headers["Content-Length"] = str(len(response.body))
            response.body = b""
        return response

    def _safe(self, fn, request) -> Response:
        try:
            return fn(request)
        except HTTPError as exc:
            return self.error_response(request, exc)
        except Exception:
            log.exception("unhandled error on %s %s", request.method, request.path)
            detail = traceback.format_exc() if self.debug else "the server hit an error"
            return self.error_response(request, HTTPError(500, detail))

    def error_response(self, request: Request, exc: HTTPError) -> Response:
        if exc.status in self.error_handlers:
            resp = make_response(self.error_handlers[exc.status](request, exc))
        else:
            phrase = HTTPStatus(exc.status).phrase if exc.status in HTTPStatus._value2member_map_ else "Error"
            resp = Response(error_page(exc.status, phrase, exc.message), exc.status)
        resp.status = exc.status
        for k, v in exc.headers.items():
            resp.headers[k] = v
        return resp

    def __call__(self, environ, start_response):
        response = self.handle(Request(environ))
        start_response(response.status_line, response.wsgi_headers())
        return [response.body]

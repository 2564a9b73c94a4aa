"""Serving files from a folder, safely: no path may leave the folder."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from .errors import HTTPError
from .response import Response


TYPES = {".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}


class StaticFiles:
    def __init__(self, folder: str | Path, max_age: int = 3600):
        self.folder = Path(folder).resolve()
        self.max_age = max_age

    def __call__(self, request, path: str) -> Response:
        target = (self.folder / path).resolve()
        if not target.is_relative_to(self.folder) or not target.is_file():
            raise HTTPError(404, f"no file {path}")
        # RFC 9239: JavaScript is text/javascript, whatever this system's mime table says.
        ctype = TYPES.get(target.suffix.lower()) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if ctype.startswith("text/"):
            ctype += "; charset=utf-8"
        return Response(target.read_bytes(), 200, {"Cache-Control": f"max-age={self.max_age}"}, content_type=ctype)


def mount_static(app, prefix: str = "/static", folder: str | Path | None = None) -> None:
    handler = StaticFiles(folder or Path(__file__).parent / "static")
    app.router.add(prefix.rstrip("/") + "/<path:path>", handler, ("GET",), name="static")

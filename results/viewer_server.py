"""The server behind `pertask view [RUNS_DIR]`: a local web app over run directories, on loopback, from the standard
library (no framework, no CDN). It lists the runs, shows a run's summary (the figures of `report --json`), filters
its samples, opens a transcript with its failed checks, and follows a run that is still writing (the page
polls). It only reads: a run directory is written by its run alone."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

from .browse import Viewer
from .report import load_summary, to_json

ASSETS = Path(str(resources.files("results").joinpath("data")))  # the viewer's page ships with the report's assets


def _handler(viewer: Viewer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # quiet: the terminal is the user's
            pass

        def _send(self, status: int, body: bytes, ctype: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def _json(self, data: Any, status: int = 200) -> None:
            body = data if isinstance(data, str) else json.dumps(data, default=str)
            self._send(status, body.encode(), "application/json")

        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            # Only a page this server served asks it: a web page elsewhere that points a name of its own at
            # 127.0.0.1 (DNS rebinding) sends its own Host, and reads no transcript.
            port = self.server.server_address[1]
            if self.headers.get("Host", "") not in {f"{h}:{port}" for h in ("127.0.0.1", "localhost")}:
                return self._json({"error": "forbidden host"}, 403)
            url = urlparse(self.path)
            parts = [unquote(p) for p in url.path.strip("/").split("/") if p]
            if not parts:
                return self._send(200, (ASSETS / "viewer.html").read_bytes(), "text/html; charset=utf-8")
            if parts == ["favicon.ico"]:
                return self._send(204, b"", "image/x-icon")
            if parts == ["viewer.js"]:
                return self._send(200, (ASSETS / "viewer.js").read_bytes(), "text/javascript")
            if parts == ["viewer.css"]:
                return self._send(200, (ASSETS / "report.css").read_bytes(), "text/css")
            if parts == ["api", "runs"]:
                return self._json(viewer.runs())
            if len(parts) >= 4 and parts[:2] == ["api", "runs"] and (d := viewer.run_dir(parts[2])):
                if parts[3] == "summary":
                    return self._json(viewer.cached("summary", d, lambda d: to_json(load_summary([d]))))
                if parts[3] == "samples":
                    return self._json(viewer.cached("samples", d, viewer.samples))
                if parts[3] == "sample":
                    got = viewer.sample(d, parse_qs(url.query).get("id", [""])[0])
                    return self._json(got) if got else self._json({"error": "no such sample"}, 404)
            return self._json({"error": "not found"}, 404)

    return Handler


def serve_viewer(root: Path, port: int = 8765, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((host, port), _handler(Viewer(root)))
    server.daemon_threads = True
    return server


def start_in_thread(root: Path, port: int = 0) -> tuple[ThreadingHTTPServer, str]:
    server = serve_viewer(root, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"

"""python -m webby.serve module:app [--port 8000]: a development server (wsgiref)."""

from __future__ import annotations

import argparse
import importlib
from wsgiref.simple_server import make_server


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("target", help="module:attribute of the App")
    ap.add_argument("--port", type=int, default=8000)
    a = ap.parse_args()
    module, _, attr = a.target.partition(":")
    app = getattr(importlib.import_module(module), attr or "app")
    with make_server("127.0.0.1", a.port, app) as server:
        print(f"serving on http://127.0.0.1:{a.port}")
        server.serve_forever()


if __name__ == "__main__":
    main()

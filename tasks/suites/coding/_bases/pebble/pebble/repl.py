from __future__ import annotations

import sys
from pathlib import Path

from .errors import PebbleError
from .interpreter import Interpreter


def main(argv: list[str]) -> int:
    if argv and argv[0] in ("--fmt", "--check"):
        return tool(argv[0], argv[1:])
    interp = Interpreter()
    if argv:
        try:
            interp.run(Path(argv[0]).read_text())
        except PebbleError as exc:
            print(f"{argv[0]}: {exc}", file=sys.stderr)
            return 1
        return 0
    while True:
        try:
            line = input("pebble> ")
        except EOFError:
            return 0
        try:
            result = interp.run(line)
            if result is not None:
                print(result)
        except PebbleError as exc:
            print(f"error: {exc}")


def tool(flag: str, files: list[str]) -> int:
    """--fmt FILE...: print each file formatted. --check FILE...: print diagnostics; exit 1 on errors."""
    from .checker import check_source
    from .formatter import format_source

    if not files:
        print(f"usage: python -m pebble {flag} FILE...", file=sys.stderr)
        return 2
    status = 0
    for name in files:
        try:
            src = Path(name).read_text()
            if flag == "--fmt":
                print(format_source(src), end="")
                continue
            for d in check_source(src):
                print(f"{name}: {d}")
                if d.severity == "error":
                    status = 1
        except (OSError, PebbleError) as exc:
            print(f"{name}: {exc}", file=sys.stderr)
            status = 1
    return status

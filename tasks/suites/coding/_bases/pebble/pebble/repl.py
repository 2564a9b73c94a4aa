from __future__ import annotations

import sys
from pathlib import Path

from .errors import PebbleError
from .interpreter import Interpreter


def main(argv: list[str]) -> int:
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

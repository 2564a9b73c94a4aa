"""docs/cli.md, generated from the command line's own parser (harness/cli/parser.py), so that the reference never
drifts from the flags: every command's usage and help, as `pertask COMMAND --help` prints it at 100 columns.

    .venv/bin/python scripts/cli_reference.py [--check]    (--check: exit 1 if docs/cli.md is not what it would write)
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGET = ROOT / "docs" / "cli.md"


def reference() -> str:
    os.environ["COLUMNS"] = "100"  # argparse wraps help at the terminal's width: fixed, so the page is stable
    from harness.cli.parser import make_parser

    ap = make_parser()
    subs = next(a for a in ap._actions if isinstance(a, argparse._SubParsersAction))
    out = ["# Command-line reference", "",
           "Generated from the parser by `scripts/cli_reference.py` (a test fails when it is out of date). Every "
           "command also prints this with `--help`.", ""]
    out += [f"- [`pertask {a.dest}`](#pertask-{a.dest}): {a.help.replace('%%', '%')}" for a in subs._choices_actions]
    for name, parser in subs.choices.items():
        text = parser.format_help().replace(ap.prog + " " + name, "pertask " + name, 1)
        out += ["", f"## pertask {name}", "", "```text", text.rstrip(), "```"]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    text = reference()
    if "--check" in sys.argv:
        sys.exit(0 if TARGET.read_text() == text else 1)
    TARGET.write_text(text)
    print(f"wrote {TARGET}")

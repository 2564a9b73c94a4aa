from __future__ import annotations

import argparse
import sys

from . import readers
from .errors import TabulaError
from .inspect import profile
from .pipeline import load_pipeline


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="tabula")
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="run a pipeline file")
    r.add_argument("pipeline")
    r.add_argument("--dry-run", action="store_true", help="print the first rows instead of writing")
    i = sub.add_parser("inspect", help="profile a data file")
    i.add_argument("file")
    a = ap.parse_args(argv)
    try:
        if a.cmd == "run":
            p = load_pipeline(a.pipeline)
            if a.dry_run:
                for row in p.transform(p.read())[:10]:
                    print(row)
                return 0
            rows = p.run()
            print(f"wrote {len(rows)} rows to {p.output['path'] if p.output else '(nowhere)'}")
        else:
            for col in profile(readers.read(a.file)):
                print(f"{col['column']:<20} {col['type']:<8} {col['empty']:>5} empty of {col['rows']}")
    except TabulaError as exc:
        print(f"tabula: error: {exc}", file=sys.stderr)
        return 2
    return 0

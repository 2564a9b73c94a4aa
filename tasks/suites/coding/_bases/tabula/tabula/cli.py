from __future__ import annotations

import argparse
import sys

from . import readers
from .diff import diff_tables
from .errors import TabulaError
from .inspect import profile
from .pipeline import load_pipeline
from .pivot import pivot
from .report import build_report, render
from .schema import Schema
from .validate import Rules, summarize, validate


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="tabula")
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="run a pipeline file")
    r.add_argument("pipeline")
    r.add_argument("--dry-run", action="store_true", help="print the first rows instead of writing")
    i = sub.add_parser("inspect", help="profile a data file")
    i.add_argument("file")
    v = sub.add_parser("validate", help="check a data file against data-quality rules")
    v.add_argument("file")
    v.add_argument("--rules", required=True, help="a TOML rules file")
    v.add_argument("--schema", action="append", default=[], metavar="COLUMN=TYPE",
                   help="type a column before checking (repeatable), e.g. amount=decimal")
    v.add_argument("--limit", type=int, default=50, help="violations to print (default 50)")
    d = sub.add_parser("diff", help="compare two data files by key")
    d.add_argument("old")
    d.add_argument("new")
    d.add_argument("--key", required=True, help="key column(s), comma-separated")
    d.add_argument("--ignore", default="", help="columns not to compare, comma-separated")
    rp = sub.add_parser("report", help="a data-quality report of a file, in Markdown")
    rp.add_argument("file")
    pv = sub.add_parser("pivot", help="a pivot table of a data file, printed as CSV")
    pv.add_argument("file")
    pv.add_argument("--index", required=True)
    pv.add_argument("--columns", required=True)
    pv.add_argument("--values", required=True)
    pv.add_argument("--agg", default="sum")
    pv.add_argument("--schema", action="append", default=[], metavar="COLUMN=TYPE")
    pv.add_argument("--margins", action="store_true", help="add a total row and column")
    a = ap.parse_args(argv)
    try:
        if a.cmd == "pivot":
            return _pivot(a)
        if a.cmd == "report":
            from pathlib import Path
            print(render(Path(a.file).name, build_report(readers.read(a.file))), end="")
            return 0
        if a.cmd == "validate":
            return _validate(a)
        if a.cmd == "diff":
            result = diff_tables(readers.read(a.old), readers.read(a.new), _names(a.key), _names(a.ignore))
            for line in result.lines():
                print(line)
            print(result.summary())
            return 0 if result.empty else 1
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


def _names(text: str) -> list[str]:
    return [n.strip() for n in text.split(",") if n.strip()]


def _types(items: list[str]) -> dict[str, str]:
    types = {}
    for item in items:
        column, sep, kind = item.partition("=")
        if not sep:
            raise TabulaError(f"--schema {item}: expected COLUMN=TYPE")
        types[column.strip()] = kind.strip()
    return types


def _pivot(a) -> int:
    import csv

    from .writers.format import to_text
    rows = readers.read(a.file)
    types = _types(a.schema)
    if types:
        rows = Schema(types).apply(rows)
    table = pivot(rows, a.index, a.columns, a.values, a.agg, margins=a.margins)
    if table:
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(list(table[0]))
        for row in table:
            w.writerow([to_text(v) for v in row.values()])
    return 0


def _validate(a) -> int:
    """Exit 0 when the data passes, 1 when it has violations (so scripts can gate on it)."""
    types = _types(a.schema)
    rows = readers.read(a.file)
    if types:
        rows = Schema(types).apply(rows)
    violations = validate(rows, Rules.load(a.rules))
    for v in violations[: a.limit]:
        print(v)
    if len(violations) > a.limit:
        print(f"... and {len(violations) - a.limit} more")
    for rule, n in sorted(summarize(violations).items()):
        print(f"{rule}: {n}")
    print(f"{len(rows)} rows, {len(violations)} violations")
    return 1 if violations else 0

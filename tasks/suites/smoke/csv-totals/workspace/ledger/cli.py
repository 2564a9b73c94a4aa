import argparse

from .parse import read_rows
from .report import totals_by_category


def main(argv):
    ap = argparse.ArgumentParser(prog="ledger")
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("totals", help="total amount per category")
    t.add_argument("file")
    args = ap.parse_args(argv)
    if args.cmd == "totals":
        with open(args.file, encoding="utf-8") as fh:
            rows = read_rows(fh)
        for category, amount in totals_by_category(rows):
            print(f"{category}\t{amount:.2f}")
    return 0

from __future__ import annotations

import argparse
import sys

from .db import connect
from .errors import StockError
from .importer import import_csv
from .reports import format_cents, inventory_report, reorder_list
from .service import Inventory


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="stockroom")
    ap.add_argument("--db", default="stockroom.db")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("init")
    p = sub.add_parser("add-product")
    p.add_argument("sku")
    p.add_argument("name")
    p.add_argument("--reorder-level", type=int, default=0)
    p.add_argument("--unit-cost-cents", type=int, default=0)
    w = sub.add_parser("add-warehouse")
    w.add_argument("code")
    w.add_argument("name")
    for name in ("receive", "ship"):
        m = sub.add_parser(name)
        m.add_argument("sku")
        m.add_argument("warehouse")
        m.add_argument("qty", type=int)
    t = sub.add_parser("transfer")
    t.add_argument("sku")
    t.add_argument("source")
    t.add_argument("target")
    t.add_argument("qty", type=int)
    i = sub.add_parser("import")
    i.add_argument("csv")
    sub.add_parser("report")
    sub.add_parser("reorder")
    a = ap.parse_args(argv)
    inv = Inventory(connect(a.db))
    try:
        if a.cmd == "add-product":
            inv.add_product(a.sku, a.name, a.reorder_level, a.unit_cost_cents)
        elif a.cmd == "add-warehouse":
            inv.add_warehouse(a.code, a.name)
        elif a.cmd in ("receive", "ship"):
            left = getattr(inv, a.cmd)(a.sku, a.warehouse, a.qty)
            print(f"{a.sku.upper()} at {a.warehouse.upper()}: {left}")
        elif a.cmd == "transfer":
            inv.transfer(a.sku, a.source, a.target, a.qty)
        elif a.cmd == "import":
            print(import_csv(inv, a.csv))
        elif a.cmd == "report":
            for r in inventory_report(inv):
                split = " ".join(f"{k}={v}" for k, v in sorted(r["by_warehouse"].items()))
                print(f"{r['sku']:<12} {r['total']:>6} {format_cents(r['value_cents']):>12}  {split}")
        elif a.cmd == "reorder":
            for r in reorder_list(inv):
                print(f"{r['sku']:<12} short by {r['short_by']}")
    except StockError as exc:
        print(f"stockroom: error: {exc}", file=sys.stderr)
        return 2
    return 0

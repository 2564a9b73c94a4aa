from __future__ import annotations

import argparse
import sys

from .aging import age_stock, value_by_warehouse
from .audit import check
from .db import connect
from .errors import StockError
from .forecast import forecast
from .purchasing import Purchasing
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
    sub.add_parser("check", help="do stock levels agree with the movements? (exit 1 if not)")
    sub.add_parser("aging", help="units on hand by age, and stock value by warehouse")
    fc = sub.add_parser("forecast", help="daily demand, days of cover and a suggested order per product")
    fc.add_argument("--target-days", type=int, default=30)
    fc.add_argument("--lead-days", type=int, default=7)
    po = sub.add_parser("po", help="purchase orders")
    po_sub = po.add_subparsers(dest="po_cmd", required=True)
    c = po_sub.add_parser("create")
    c.add_argument("number")
    c.add_argument("supplier")
    c.add_argument("warehouse")
    line = po_sub.add_parser("add")
    line.add_argument("number")
    line.add_argument("sku")
    line.add_argument("qty", type=int)
    line.add_argument("--unit-cost-cents", type=int)
    for name in ("send", "cancel", "show"):
        po_sub.add_parser(name).add_argument("number")
    r = po_sub.add_parser("receive")
    r.add_argument("number")
    r.add_argument("lines", nargs="+", metavar="SKU=QTY")
    po_sub.add_parser("open")
    a = ap.parse_args(argv)
    inv = Inventory(connect(a.db))
    try:
        if a.cmd == "po":
            return _po(Purchasing(inv), a)
        if a.cmd == "check":
            problems = check(inv.repo.conn)
            for line in problems:
                print(line)
            print("consistent" if not problems else f"{len(problems)} problem(s)")
            return 1 if problems else 0
        if a.cmd == "forecast":
            open_orders = Purchasing(inv).open_orders()
            coming: dict[str, int] = {}
            for order in open_orders:
                for sku, left in order.outstanding.items():
                    coming[sku] = coming.get(sku, 0) + left
            for f in forecast(inv.repo.conn, target_days=a.target_days, lead_days=a.lead_days, on_order=coming):
                cover = "-" if f.days_of_cover is None else f"{f.days_of_cover:g} days"
                print(f"{f.sku:<12} {f.on_hand:>6} on hand  {f.daily_demand:>7.2f}/day  cover {cover:<10} "
                      f"order {f.suggested_order}")
            return 0
        if a.cmd == "aging":
            aged = age_stock(inv.repo.conn)
            for row in aged:
                split = ", ".join(f"{k}: {v}" for k, v in row.by_bucket.items())
                print(f"{row.sku:<12} {row.warehouse:<6} {row.quantity:>6}  {split}")
            for code, cents in value_by_warehouse(aged).items():
                print(f"{code:<6} {format_cents(cents):>12}")
            return 0
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


def _po(purchasing: Purchasing, a) -> int:
    if a.po_cmd == "create":
        order = purchasing.create(a.number, a.supplier, a.warehouse)
    elif a.po_cmd == "add":
        order = purchasing.add_line(a.number, a.sku, a.qty, a.unit_cost_cents)
    elif a.po_cmd == "receive":
        deliveries = {}
        for item in a.lines:
            sku, sep, qty = item.partition("=")
            if not sep or not qty.strip().isdigit():
                raise StockError(f"'{item}': expected SKU=QTY")
            deliveries[sku] = int(qty)
        order = purchasing.receive(a.number, deliveries)
    elif a.po_cmd == "open":
        for order in purchasing.open_orders():
            left = ", ".join(f"{k} {v}" for k, v in order.outstanding.items())
            print(f"{order.number:<10} {order.supplier:<20} {order.status:<8} outstanding: {left}")
        return 0
    else:
        order = getattr(purchasing, a.po_cmd if a.po_cmd != "show" else "get")(a.number)
    print(f"{order.number} {order.supplier} -> {order.warehouse}: {order.status}, "
          f"total {format_cents(order.total_cents)}")
    for line in order.lines:
        print(f"  {line.sku:<12} ordered {line.ordered:>5} received {line.received:>5}")
    return 0

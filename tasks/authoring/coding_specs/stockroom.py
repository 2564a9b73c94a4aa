"""The coding suite's tasks on the stockroom base (inventory service on SQLite)."""

from . import task

task(id="stockroom-reorder-boundary", base="stockroom", difficulty="easy", tags=["bugfix", "sqlite", "python"],
     instruction="""
In stockroom, a product whose total stock is exactly at its reorder level is missing from
`python -m stockroom reorder` (and from `reorder_list`), although `StockLine.needs_reorder`
treats "at the reorder level" as needing a reorder, as our purchasing policy says. Make the
reports follow the policy.
""",
     mutate={"stockroom/reports.py": [('"reorder": total <= p.reorder_level', '"reorder": total < p.reorder_level')]})

task(id="stockroom-import-atomic", base="stockroom", difficulty="medium", tags=["bugfix", "sqlite", "python"],
     instruction="""
`stockroom import FILE.csv` is documented as all-or-nothing, but it is not: when line 5 of a
file has a bad `unit_cost`, the products and stock of lines 2–4 stay imported, and running
the import again after fixing the file receives their stock a second time. Make the import
atomic: after an error nothing of that file is imported, and the error still names the line.
Receipts, shipments, transfers and adjustments must stay atomic on their own too.
""",
     mutate={"stockroom/importer.py": [('''    with inv.repo.transaction():
        for n, row in enumerate(rows, start=2):
            sku = (row.get("sku") or "").strip().upper()
            if not sku:
                raise StockError(f"line {n}: sku is empty")
            try:
                inv.repo.product(sku)
            except StockError:
                inv.add_product(sku, row.get("name") or sku, int(row.get("reorder_level") or 0),
                                _cents(row.get("unit_cost") or "0", n))
                counts["products"] += 1
            qty = int(row.get("quantity") or 0)
            if qty:
                inv.receive(sku, row["warehouse"], qty, reference=f"import:{Path(path).name}:{n}")
                counts["receipts"] += 1
''', '''    for n, row in enumerate(rows, start=2):
        sku = (row.get("sku") or "").strip().upper()
        if not sku:
            raise StockError(f"line {n}: sku is empty")
        try:
            inv.repo.product(sku)
        except StockError:
            inv.add_product(sku, row.get("name") or sku, int(row.get("reorder_level") or 0),
                            _cents(row.get("unit_cost") or "0", n))
            counts["products"] += 1
        qty = int(row.get("quantity") or 0)
        if qty:
            inv.receive(sku, row["warehouse"], qty, reference=f"import:{Path(path).name}:{n}")
            counts["receipts"] += 1
''')],
             "stockroom/repository.py": [('''        if self.conn.in_transaction:  # nested: the outer transaction decides
            yield
            return
''', "")]})

task(id="stockroom-report-queries", base="stockroom", difficulty="hard", tags=["performance", "sqlite", "python"],
     instruction="""
The inventory report (`stockroom report`, `stockroom.reports.inventory_report`) takes minutes
on our production database (8,000 products, 12 warehouses). Make it fast: the number of SQL
statements it runs must not grow with the number of products or warehouses. Its output must
stay exactly the same, including products that have no stock anywhere, and `reorder_list`
must keep working.
""",
     mutate={"stockroom/reports.py": [('''    rows = []
    by_product: dict[str, dict[str, int]] = defaultdict(dict)
    for line in repo.stock_rows():
        by_product[line["sku"]][line["warehouse"]] = line["quantity"]
    for p in repo.products():
        split = by_product.get(p.sku, {})
        total = sum(split.values())
''', '''    rows = []
    for p in repo.products():
        split = {}
        for w in repo.warehouses():
            if repo.conn.execute("SELECT 1 FROM stock WHERE product_id = ? AND warehouse_id = ?",
                                 (p.id, w.id)).fetchone():
                split[w.code] = repo.quantity(p.id, w.id)
        total = sum(split.values())
'''), ("from collections import defaultdict\n\n", "")]})

task(id="stockroom-backup-script", base="stockroom", difficulty="medium", tags=["bugfix", "shell", "bash"],
     instruction="""
Two problems with `scripts/backup.sh` (usage: `scripts/backup.sh DB DEST_DIR [KEEP]`):

1. It fails when the database path or the backup folder contains a space
   (our NAS mounts at `/mnt/Shared Backups`).
2. Operations noticed that after rotation the *newest* backups were gone while the oldest
   stayed. Rotation must keep the KEEP newest backups (the new one included) and delete
   older ones — and never touch other files in the folder.
""",
     mutate={"scripts/backup.sh": [('mkdir -p "$dest"', "mkdir -p $dest"),
                                   ('python3 - "$db" "$dest/$name" <<', "python3 - $db $dest/$name <<"),
                                   ('ls -1 "$dest" | grep', "ls -1 $dest | grep"),
                                   ("\\.db$\" | sort)", "\\.db$\" | sort -r)"),
                                   ('rm -f -- "$dest/${all[$i]}"', "rm -f -- $dest/${all[$i]}")]})

#!/bin/bash
cd /app
sqlite3 total.db "create table totals(sku text, qty int)"
python3 - <<'PY'
import csv, sqlite3, tomli_w
rows = list(csv.DictReader(open("/app/inventory.csv")))
db = sqlite3.connect("/app/total.db")
db.executemany("insert into totals values (?, ?)", [(r["sku"], int(r["qty"])) for r in rows])
db.commit()
open("/app/out.toml", "wb").write(tomli_w.dumps({"total": sum(int(r["qty"]) for r in rows)}).encode())
PY
echo "$GREETING $HOME $(cat /opt/built/marker) $(helper)" > env.txt
test -f /solution/solve.sh

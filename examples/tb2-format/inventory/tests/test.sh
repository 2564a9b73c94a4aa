#!/bin/bash
ok=1
check() { if ! eval "$1"; then echo "FAILED: $1"; ok=0; fi; }
check '[ "$(sqlite3 /app/total.db "select sum(qty) from totals")" = "42" ]'
check 'python3 -c "import tomllib; assert tomllib.load(open(\"/app/out.toml\",\"rb\"))[\"total\"] == 42"'
check '[ "$(cat /app/env.txt)" = "hello-from-the-image /root yes helped" ]'
echo $ok > /logs/verifier/reward.txt

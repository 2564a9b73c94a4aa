#!/usr/bin/env bash
# backup.sh DB DEST_DIR [KEEP]: a consistent copy of the SQLite database (sqlite3's online
# backup, safe while the app runs), named by UTC time, keeping only the KEEP newest.
set -euo pipefail
db="$1"
dest="$2"
keep="${3:-7}"
[ -f "$db" ] || { echo "backup.sh: no database at $db" >&2; exit 1; }
mkdir -p "$dest"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
name="$(basename "$db" .db)-$stamp.db"
python3 - "$db" "$dest/$name" <<'PY'
import sqlite3, sys
src, dst = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
with dst:
    src.backup(dst)
PY
echo "backed up to $dest/$name"
# Oldest first by name (the stamp sorts by time); remove all but the newest $keep.
mapfile -t all < <(ls -1 "$dest" | grep -E "^$(basename "$db" .db)-[0-9]{8}T[0-9]{6}Z\.db$" | sort)
excess=$(( ${#all[@]} - keep ))
for (( i = 0; i < excess; i++ )); do
  rm -f -- "$dest/${all[$i]}"
  echo "removed old backup ${all[$i]}"
done

#!/usr/bin/env bash
set -euo pipefail
cat > ledger/parse.py <<'PY'
import csv


def read_rows(lines):
    """Yield dicts keyed by the header row (RFC 4180: quoted commas and quotes)."""
    for row in csv.DictReader(lines):
        if any(v.strip() for v in row.values() if v):
            yield row
PY
cat > ledger/report.py <<'PY'
from collections import defaultdict


def parse_amount(text):
    return float(text.replace(",", "").strip())


def totals_by_category(rows):
    sums = defaultdict(float)
    for row in rows:
        sums[row["category"]] += parse_amount(row["amount"])
    return sorted(sums.items())
PY
# The rows were read lazily after the file had been closed.
sed -i 's/rows = read_rows(fh)/rows = list(read_rows(fh))/' ledger/cli.py
grep -q 'rows = list(read_rows(fh))' ledger/cli.py

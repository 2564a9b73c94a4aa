#!/usr/bin/env bash
set -euo pipefail
python3 - <<'PY'
from openpyxl import Workbook
wb = Workbook()
ws = wb.active
for row in [["department", "budget", "actual", "variance"], ["Sales", "699000.00", "226034.75", "472965.25"], ["Operations", "855000.00", "491562.87", "363437.13"], ["People", "745000.00", "583318.97", "161681.03"], ["Facilities", "429000.00", "605045.56", "-176045.56"], ["Legal", "325000.00", "355567.01", "-30567.01"], ["Customer Success", "787000.00", "550845.62", "236154.38"], ["TOTAL", "3840000.00", "2812374.78", "1027625.22"]]:
    ws.append(row)
wb.save('reconciled.xlsx')
PY

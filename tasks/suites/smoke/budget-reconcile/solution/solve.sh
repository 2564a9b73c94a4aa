#!/usr/bin/env bash
# Marketing: 98400 + 31800 (duplicate removed) = 130200; Support: 83950 + 4100 = 88050.
set -euo pipefail
cat > summary.md <<'MD'
# Q3 budget vs actuals

| Department | Planned | Actual | Variance |
|---|---|---|---|
| Engineering | 410000 | 417500 | 7500 |
| Marketing | 152000 | 130200 | -21800 |
| Sales | 198000 | 196400 | -1600 |
| Support | 87000 | 88050 | 1050 |

Total variance: -14850
MD

#!/usr/bin/env bash
set -euo pipefail
cat > comparison.csv <<'CSV'
vendor,three_year_cost,meets_requirements
Helpwise,54496.00,yes
Deskora,53800.00,yes
Ticketly,12960.00,no
CSV
cat > recommendation.md <<'MD'
We recommend Deskora: it is the cheapest option over three years ($53,800.00) that meets the single sign-on and EU data requirements.
MD

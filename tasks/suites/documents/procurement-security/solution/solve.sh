#!/usr/bin/env bash
set -euo pipefail
cat > comparison.csv <<'CSV'
vendor,three_year_cost,meets_requirements
Sentinel One-Stop,236140.00,yes
Bastion,80540.00,yes
Aegis Labs,90400.00,yes
Warden,43200.00,no
CSV
cat > recommendation.md <<'MD'
We recommend Bastion: it is the cheapest option over three years ($80,540.00) that meets the single sign-on and EU data requirements.
MD

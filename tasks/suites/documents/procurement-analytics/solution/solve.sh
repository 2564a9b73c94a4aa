#!/usr/bin/env bash
set -euo pipefail
cat > comparison.csv <<'CSV'
vendor,three_year_cost,meets_requirements
Chartwell,21218.00,yes
Insightly BI,49903.00,yes
Quantix,21240.00,yes
Metricon,9677.25,no
CSV
cat > recommendation.md <<'MD'
We recommend Chartwell: it is the cheapest option over three years ($21,218.00) that meets the single sign-on and EU data requirements.
MD

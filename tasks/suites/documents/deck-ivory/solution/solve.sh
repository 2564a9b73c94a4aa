#!/usr/bin/env bash
set -euo pipefail
cat > board_deck.md <<'MD'
# Ivory Bay Bank board deck, Q2 2026

## Highlights
- Revenue of $6,989,000.00 for the quarter; gross margin 62.5%.
- 11 new customers won.

## Financials
- Total Q2 revenue: $6,989,000.00 (June restated after a reseller credit note)
- Gross margin: 62.5%

## Customers
- New customers won in Q2: 11
- Customers lost in Q2: 7

## Risks
- Top risk by score: Loss of top customer

## Asks
- Approve $2,300,000.00 for the APAC sales expansion
MD

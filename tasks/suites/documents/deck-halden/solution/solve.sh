#!/usr/bin/env bash
set -euo pipefail
cat > board_deck.md <<'MD'
# Halden Robotics board deck, Q2 2026

## Highlights
- Revenue of $4,538,000.00 for the quarter; gross margin 58.2%.
- 19 new customers won.

## Financials
- Total Q2 revenue: $4,538,000.00 (June restated after a reseller credit note)
- Gross margin: 58.2%

## Customers
- New customers won in Q2: 19
- Customers lost in Q2: 9

## Risks
- Top risk by score: Currency exposure

## Asks
- Approve $1,400,000.00 for the APAC sales expansion
MD

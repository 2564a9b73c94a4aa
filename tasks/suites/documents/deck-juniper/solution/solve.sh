#!/usr/bin/env bash
set -euo pipefail
cat > board_deck.md <<'MD'
# Juniper Grid board deck, Q2 2026

## Highlights
- Revenue of $5,339,000.00 for the quarter; gross margin 71.1%.
- 20 new customers won.

## Financials
- Total Q2 revenue: $5,339,000.00 (June restated after a reseller credit note)
- Gross margin: 71.1%

## Customers
- New customers won in Q2: 20
- Customers lost in Q2: 7

## Risks
- Top risk by score: Loss of top customer

## Asks
- Approve $1,200,000.00 for the platform re-architecture
MD

#!/usr/bin/env bash
set -euo pipefail
cat > escalation_brief.md <<'MD'
# Escalation brief: Lumen Retail

## Summary
Lumen Retail's API access failed on 2026-10-06. Tickets: SUP-88959, SUP-23133, SUP-85468.

## Timeline
- Start: 2026-10-06 08:40 UTC
- End: 2026-10-06 15:20 UTC
- Length: 400 minutes

## Impact
- 4513 users affected

## Root cause
- an expired TLS certificate on the API gateway

## Next steps
- Service credit of $8,000.00 (25% of the monthly fee)
- Automate the check and add alerting
MD

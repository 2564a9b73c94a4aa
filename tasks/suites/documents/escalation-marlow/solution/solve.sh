#!/usr/bin/env bash
set -euo pipefail
cat > escalation_brief.md <<'MD'
# Escalation brief: Marlow Insurance

## Summary
Marlow Insurance's API access failed on 2026-10-06. Tickets: SUP-52729, SUP-44295, SUP-58869.

## Timeline
- Start: 2026-10-06 07:10 UTC
- End: 2026-10-06 09:19 UTC
- Length: 129 minutes

## Impact
- 4841 users affected

## Root cause
- an expired TLS certificate on the API gateway

## Next steps
- Service credit of $5,100.00 (10% of the monthly fee)
- Automate the check and add alerting
MD

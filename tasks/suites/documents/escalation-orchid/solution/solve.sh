#!/usr/bin/env bash
set -euo pipefail
cat > escalation_brief.md <<'MD'
# Escalation brief: Orchid Telecom

## Summary
Orchid Telecom's API access failed on 2026-10-06. Tickets: SUP-25424, SUP-13582, SUP-63936.

## Timeline
- Start: 2026-10-06 17:00 UTC
- End: 2026-10-06 21:56 UTC
- Length: 296 minutes

## Impact
- 3965 users affected

## Root cause
- a database failover that left replicas read-only

## Next steps
- Service credit of $20,250.00 (25% of the monthly fee)
- Automate the check and add alerting
MD

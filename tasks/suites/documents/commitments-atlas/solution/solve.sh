#!/usr/bin/env bash
set -euo pipefail
cat > commitments.json <<'JSON'
[
  {
    "owner": "Chloe Iqbal",
    "action": "draft the data migration plan",
    "due": "2026-03-11"
  },
  {
    "owner": "Chloe Iqbal",
    "action": "shortlist three vendors",
    "due": "2026-03-17"
  },
  {
    "owner": "Tess Fischer",
    "action": "complete the security review",
    "due": "2026-04-06"
  },
  {
    "owner": "Dev Brandt",
    "action": "update the training materials",
    "due": "2026-03-29"
  },
  {
    "owner": "Gus Eriksen",
    "action": "book the go-live war room",
    "due": "2026-04-05"
  },
  {
    "owner": "Chloe Iqbal",
    "action": "sign off the test strategy",
    "due": "2026-04-09"
  }
]
JSON

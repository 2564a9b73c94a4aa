#!/usr/bin/env bash
set -euo pipefail
cat > commitments.json <<'JSON'
[
  {
    "owner": "Wen Costa",
    "action": "draft the data migration plan",
    "due": "2026-03-11"
  },
  {
    "owner": "Wen Costa",
    "action": "shortlist three vendors",
    "due": "2026-03-17"
  },
  {
    "owner": "Yara Quist",
    "action": "complete the security review",
    "due": "2026-04-08"
  },
  {
    "owner": "Elif Okafor",
    "action": "update the training materials",
    "due": "2026-04-01"
  },
  {
    "owner": "Chloe Kowalski",
    "action": "book the go-live war room",
    "due": "2026-04-05"
  },
  {
    "owner": "Wen Costa",
    "action": "sign off the test strategy",
    "due": "2026-04-11"
  }
]
JSON

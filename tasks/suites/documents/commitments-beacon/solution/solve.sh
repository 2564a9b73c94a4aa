#!/usr/bin/env bash
set -euo pipefail
cat > commitments.json <<'JSON'
[
  {
    "owner": "Tess Tanaka",
    "action": "draft the data migration plan",
    "due": "2026-03-12"
  },
  {
    "owner": "Tess Tanaka",
    "action": "shortlist three vendors",
    "due": "2026-03-16"
  },
  {
    "owner": "Ana Iqbal",
    "action": "complete the security review",
    "due": "2026-04-08"
  },
  {
    "owner": "Hana Fischer",
    "action": "update the training materials",
    "due": "2026-03-30"
  },
  {
    "owner": "Lena Novak",
    "action": "book the go-live war room",
    "due": "2026-04-06"
  },
  {
    "owner": "Tess Tanaka",
    "action": "sign off the test strategy",
    "due": "2026-04-09"
  }
]
JSON

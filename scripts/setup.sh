#!/usr/bin/env bash
# One-time set-up of a fresh machine: system packages, then a virtualenv with pertask in it.
#   scripts/setup.sh          runtime only
#   scripts/setup.sh dev      plus the test tools
set -euo pipefail
cd "$(dirname "$0")/.."

# bubblewrap gives each sample's commands no network and a read-only view of the system.
if ! command -v bwrap >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "setup: installing bubblewrap (sandbox)"
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq bubblewrap >/dev/null
  else
    echo "setup: warning: bubblewrap not found and no apt-get; commands will run without isolation" >&2
  fi
fi

PY=${PYTHON:-python3}
"$PY" -c 'import sys; assert sys.version_info >= (3, 11), "pertask needs Python 3.11 or newer"'
[ -x .venv/bin/python ] || "$PY" -m venv .venv
extra=""; [ "${1:-}" = "dev" ] && extra="[dev]"
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extra}"
echo "setup: ready (.venv/bin/pertask)"

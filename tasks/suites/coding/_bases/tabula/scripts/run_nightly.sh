#!/usr/bin/env bash
# Runs every pipeline in a folder; a failing pipeline is reported and the others still run.
set -u
dir="${1:-pipelines}"
failed=0
for p in "$dir"/*.toml; do
  [ -e "$p" ] || { echo "no pipelines in $dir"; exit 1; }
  if python -m tabula run "$p"; then
    echo "ok: $p"
  else
    echo "FAILED: $p"
    failed=$((failed + 1))
  fi
done
exit "$failed"

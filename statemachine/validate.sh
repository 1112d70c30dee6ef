#!/usr/bin/env bash
# Validates the state machine definitions with asl-validator (npm), installed into
# statemachine/.tools so the repository's own dependencies stay untouched.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tools="$here/.tools"
if [ ! -x "$tools/node_modules/.bin/asl-validator" ]; then
  npm install --no-save --no-audit --no-fund --prefix "$tools" asl-validator >/dev/null
fi
status=0
for def in "$here"/documents.asl.json "$here"/records.asl.json "$here"/jobs.asl.json; do
  if "$tools/node_modules/.bin/asl-validator" --json-path "$def"; then
    echo "ok: $(basename "$def")"
  else
    echo "INVALID: $(basename "$def")" >&2
    status=1
  fi
done
exit "$status"

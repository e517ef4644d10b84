#!/usr/bin/env bash
# One command: set everything up, then run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
# pytest exits 5 when no tests were collected: that is a failure, never a pass.
if [ "$status" -eq 5 ]; then echo "test: no tests ran" >&2; exit 1; fi
exit "$status"

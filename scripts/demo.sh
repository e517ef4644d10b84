#!/usr/bin/env bash
# One command: set everything up, then render the demo (renders/demo.mp4).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/visualizer render --out renders/demo.mp4 "$@"

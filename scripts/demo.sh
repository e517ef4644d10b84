#!/usr/bin/env bash
# One command: set everything up, then render the demo set (renders/demo.mp4): five presets
# over the demo track, changing on its sections with transitions, the drop a red-flash cut.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/visualizer render --playlist demo --out renders/demo.mp4 "$@"

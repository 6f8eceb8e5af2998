#!/usr/bin/env bash
# Sets up what is missing, builds Drover and runs `drover up` (embedded PostgreSQL, server, dashboard).
# Extra arguments go to `drover up`, e.g. scripts/up.sh --port 9090 --data-dir /tmp/drover
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
swift build -c release --product drover
exec .build/release/drover up "$@"

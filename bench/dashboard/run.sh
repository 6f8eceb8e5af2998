#!/usr/bin/env bash
# Dashboard benchmark (issue 12): `drover up` (release) with NODES hollow nodes, JOBS Jobs and PODS
# pods bound to them (the controllers and scheduler off, so the only writes are the benchmark's),
# then the dashboard in headless chromium: the Jobs view's render time after its list arrives,
# its frames and long tasks while RATE Job status changes a second stream in for SECONDS, and the
# topology view's render time. Prints figures; asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DROVER_TEST_PACKAGES=1
source scripts/setup.sh
nodes=${NODES:-1000}
source bench/lib.sh
bench_build
start_drover_up --no-agent --no-scheduler --no-controllers
echo "== machine: $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg); $(chromium --version 2>/dev/null | head -1)"
start_hollow_nodes "$nodes"
node bench/dashboard/measure.mjs --server "http://127.0.0.1:$port" --token "$token" \
    --jobs "${JOBS:-1000}" --pods "${PODS:-5000}" --rate "${RATE:-100}" --seconds "${SECONDS_STREAMED:-20}" \
    --profile "$dir/chromium" --screenshots "${SCREENSHOTS:-.build/dashboard-screenshots/bench}"

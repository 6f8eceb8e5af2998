#!/usr/bin/env bash
# Sets up what is missing, builds Drover and runs the whole test suite (unit, integration against a
# PostgreSQL the tests start themselves, and end-to-end tests of the real binary).
set -euo pipefail
cd "$(dirname "$0")/.."
export DROVER_TEST_PACKAGES=1
source scripts/setup.sh
# The official Python client, for the end-to-end client test (skipped with a reason if this fails).
python3 -c "import kubernetes" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check kubernetes==37.0.2 \
    || echo "drover: could not install the Python kubernetes client; its test will be skipped" >&2
# Prometheus' own text-format parser, for the /metrics end-to-end test (skipped with a reason if this fails).
python3 -c "import prometheus_client" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check prometheus_client==0.21.1 \
    || echo "drover: could not install prometheus_client; the metrics parsing test will be skipped" >&2
# The kernel the cgroup v2 tests boot under qemu (skipped with a reason if this fails).
scripts/guest/kernel.sh .build/guest || echo "drover: no guest kernel; the cgroup v2 guest test will be skipped" >&2
# The dashboard's pure JavaScript modules (formatting, selectors, cron, watch reconnection).
node --test web/tests/
swift build --build-tests
# The end-to-end tests run the real binary; build it first so they find it in .build/debug.
swift build --product drover
# One test at a time: on two cores, suites that block threads (real processes, the real binary)
# would otherwise starve the async ones of Swift's cooperative threads.
swift test --skip-build --no-parallel

#!/usr/bin/env bash
# Sets up what is missing, builds Drover and runs the whole test suite (unit, integration against a
# PostgreSQL the tests start themselves, and end-to-end tests of the real binary).
set -euo pipefail
cd "$(dirname "$0")/.."
export DROVER_TEST_PACKAGES=1
source scripts/setup.sh
swift build --build-tests
# The end-to-end tests run the real binary; build it first so they find it in .build/debug.
swift build --product drover
swift test --skip-build --parallel

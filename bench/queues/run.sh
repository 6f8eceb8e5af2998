#!/usr/bin/env bash
# Queues benchmark (issue 14): the shape of Kueue's scheduler performance test (baseline config:
# 5 cohorts × 6 ClusterQueues of 20 cpu, borrowingLimit 100, reclaimWithinCohort Any,
# withinClusterQueue LowerPriority; per ClusterQueue 350 small / 100 medium / 50 large Jobs) on
# `drover up` (release, no agent) with NODES hollow nodes of 32 cpu whose pods take their Job's
# run time. Prints wall time beside the bound, average ClusterQueue usage and time to admission per
# class. SCALE=0.2 runs a fifth of the Jobs. Asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/setup.sh
nodes=${NODES:-20}
source bench/lib.sh
bench_build
start_drover_up --no-agent
echo "== machine: $(nproc) cores, $(uname -r); $nodes hollow nodes of 32 cpu"
start_hollow_nodes "$nodes"
"$bin/drover-bench" queues --port "$port" --token "$token" --cohorts "${COHORTS:-5}" --queues "${QUEUES:-6}" \
    --scale "${SCALE:-1}" --clients 16 --timeout "${TIMEOUT:-900}"

#!/usr/bin/env bash
# Scheduler benchmark: `drover up` (embedded PostgreSQL, fsync on, in-process scheduler) built in
# release mode, NODES hollow nodes from `drover sim nodes`, PODS pods created up front; prints the
# throughput from the first pod created to the last pod bound, the creation→binding latency and the
# packing ratio of a mixed trace; before that, the pure placement bench (bin-packing beside spreading).
# Asserts nothing. NODES (default 5000) and PODS (default 10000) may be set in the environment.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/setup.sh
nodes=${NODES:-5000}
pods=${PODS:-10000}
source bench/lib.sh
bench_build

# First, while nothing else runs: placement alone, both profiles.
echo "== placement without the API (pure Scheduling module): both profiles on $nodes nodes"
"$bin/drover-bench" scheduling --nodes "$nodes" --pods "$pods"

start_drover_up --no-agent

echo "== machine: $(nproc) cores, $(uname -r)"
start_hollow_nodes "$nodes"

echo "== $pods pods created up front (16 keep-alive clients), scheduled by the in-process scheduler"
"$bin/drover-bench" scheduler --port "$port" --token "$token" --pods "$pods" --clients 16 --node-cpu 32 --node-memory-gi 128

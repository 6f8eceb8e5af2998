#!/usr/bin/env bash
# Agent benchmark: `drover up` (embedded PostgreSQL, fsync on, no scheduler) with its local agent,
# built in release mode. Pods are created already bound to the agent's node. Prints the latency
# from a pod's creation to its process running (LATENCY_PODS, default 200, one at a time) and the
# sustained rate of `true` pods started and finished (PODS, default 2000, 16 clients).
# Asserts nothing. Run as root so the agent can use cgroups.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/setup.sh
latency_pods=${LATENCY_PODS:-200}
pods=${PODS:-2000}
source bench/lib.sh
bench_build
start_drover_up --no-scheduler

echo "== machine: $(nproc) cores, $(uname -r), running as $(id -un)"
"$bin/drover-bench" agent --port "$port" --token "$token" --latency-pods "$latency_pods" --pods "$pods" --clients 16
if grep -q "drover agent:" "$dir/up.log"; then
    echo "== agent messages (first 10)"
    grep "drover agent:" "$dir/up.log" | head -10
fi

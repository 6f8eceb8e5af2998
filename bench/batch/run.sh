#!/usr/bin/env bash
# Batch benchmark: the Job controller end to end on `drover up` (embedded PostgreSQL, fsync on, the
# in-process scheduler and controllers, its local agent), release build, everything on this machine.
# Prints, in one run: the raw agent rate (bench/agent's `true` pods bound at creation) beside one Job
# of COMPLETIONS `true` completions at PARALLELISM, JOBS one-pod Jobs from 8 clients, and the create →
# Complete latency of LATENCY_JOBS Jobs one after another. With HOLLOW=N it instead runs on N hollow
# nodes (`drover sim nodes`, pods finishing after a simulated 0 s): WIDE_JOBS Jobs × 100 completions,
# parallelism 50. Asserts nothing. Run as root so the agent can use cgroups.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/setup.sh
completions=${COMPLETIONS:-2000}
parallelism=${PARALLELISM:-100}
jobs=${JOBS:-1000}
latency_jobs=${LATENCY_JOBS:-100}
hollow=${HOLLOW:-}
source bench/lib.sh
bench_build
echo "== machine: $(nproc) cores, $(uname -r), running as $(id -un)"

if [[ -n "$hollow" ]]; then
    start_drover_up --no-agent
    start_hollow_nodes "$hollow" --run-seconds 0
    "$bin/drover-bench" batch --port "$port" --token "$token" --scenario wide --jobs "${WIDE_JOBS:-100}" --completions 100 \
        --parallelism 50 --clients 8 --timeout 600
    exit 0
fi

start_drover_up
"$bin/drover-bench" agent --port "$port" --token "$token" --latency-pods 0 --pods "$completions" --clients 16
"$bin/drover-bench" batch --port "$port" --token "$token" --scenario big --completions "$completions" --parallelism "$parallelism"
"$bin/drover-bench" batch --port "$port" --token "$token" --scenario many --jobs "$jobs" --clients 8
"$bin/drover-bench" batch --port "$port" --token "$token" --scenario latency --jobs "$latency_jobs"

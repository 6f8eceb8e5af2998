#!/usr/bin/env bash
# Preemption benchmark (issue 13): `drover up` (release, fsync on) with NODES hollow nodes of 32 CPUs;
# LOW low-priority pods of 8 CPUs fill them (4 per node), then HIGH high-priority pods of 8 CPUs,
# each needing one victim, are created together. Prints preemptors bound per second. Asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/setup.sh
nodes=${NODES:-5000}
low=${LOW:-$((nodes * 4))}
high=${HIGH:-$((nodes))}
source bench/lib.sh
bench_build
start_drover_up --no-agent
echo "== machine: $(nproc) cores, $(uname -r); $nodes hollow nodes"
start_hollow_nodes "$nodes"
"$bin/drover-bench" preemption --port "$port" --token "$token" --low "$low" --high "$high" --pod-millicpu 8000 --clients 16 --timeout 600

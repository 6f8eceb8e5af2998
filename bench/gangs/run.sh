#!/usr/bin/env bash
# Gang scheduling benchmark (issue 13): `drover up` (release, fsync on) with NODES hollow nodes of
# 32 CPUs; GANGS PodGroups of SIZE members, then their pods of 1 CPU. Prints pods bound per second
# and whether any gang was left partly bound. Asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/setup.sh
nodes=${NODES:-1000}
gangs=${GANGS:-1000}
size=${SIZE:-10}
source bench/lib.sh
bench_build
start_drover_up --no-agent
echo "== machine: $(nproc) cores, $(uname -r); $nodes hollow nodes"
start_hollow_nodes "$nodes"
"$bin/drover-bench" gangs --port "$port" --token "$token" --gangs "$gangs" --size "$size" --clients 16 --timeout 600

#!/usr/bin/env bash
# Service controllers benchmark (issue 10): `drover up` (release) without its local agent.
# 1. A DaemonSet on DS_NODES hollow nodes: created → a pod bound on every node, → every pod Ready.
# 2. A Deployment of REPLICAS on DEPLOY_NODES hollow nodes: created → all bound, → all available,
#    then a rolling update with the worst watched instant against maxSurge / maxUnavailable.
# Prints figures, asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/setup.sh
source bench/lib.sh
bench_build
echo "== machine: $(nproc) cores, $(uname -r)"

start_drover_up --no-agent
start_hollow_nodes "${DS_NODES:-5000}"
"$bin/drover-bench" apps --port "$port" --token "$token" --scenario daemonset --nodes "${DS_NODES:-5000}" --timeout 300
bench_cleanup
trap - EXIT
bench_extra_pids=""

start_drover_up --no-agent
start_hollow_nodes "${DEPLOY_NODES:-100}"
"$bin/drover-bench" apps --port "$port" --token "$token" --scenario deployment --replicas "${REPLICAS:-1000}" --timeout 300

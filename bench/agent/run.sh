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
swift build -c release --product drover >/dev/null
swift build -c release --product drover-bench >/dev/null
bin=.build/release

dir=$(mktemp -d /tmp/drover-agent.XXXXXX)
port=$(( 20000 + RANDOM % 20000 ))
"$bin/drover" up --data-dir "$dir" --port "$port" --secure-port 0 --no-scheduler >"$dir/up.log" 2>&1 &
up=$!
trap 'kill -INT $up 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && [[ -s "$dir/admin-token" ]] && break
    sleep 0.1
done
token=$(cat "$dir/admin-token")

echo "== machine: $(nproc) cores, $(uname -r), running as $(id -un)"
"$bin/drover-bench" agent --port "$port" --token "$token" --latency-pods "$latency_pods" --pods "$pods" --clients 16
if grep -q "drover agent:" "$dir/up.log"; then
    echo "== agent messages (first 10)"
    grep "drover agent:" "$dir/up.log" | head -10
fi

#!/usr/bin/env bash
# API benchmark: GET rate, create rate and latency with 16 clients, watch fan-out latency to 100
# watchers, against `drover up` (embedded PostgreSQL, fsync on) built in release mode.
# Prints the figures; asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/setup.sh
command -v wrk >/dev/null || { echo "bench needs wrk (apt-get install wrk)"; exit 1; }
source bench/lib.sh
bench_build
start_drover_up --no-scheduler --no-agent
auth="Authorization: Bearer $token"
base="http://127.0.0.1:$port"

echo "== machine: $(nproc) cores, $(uname -r)"
curl -sf -H "$auth" -H 'Content-Type: application/json' -X POST "$base/api/v1/namespaces/default/pods" \
    -d '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"bench"},"spec":{"containers":[{"name":"main","image":"busybox"}]}}' >/dev/null

echo "== GET one object (wrk, 2 threads, 32 connections, 10 s)"
wrk -t2 -c32 -d10s --latency -H "$auth" "$base/api/v1/namespaces/default/pods/bench" | grep -E "Requests/sec|Latency|99%"

echo "== creates (16 concurrent clients, 10 s)"
"$bin/drover-bench" creates --port "$port" --token "$token" --clients 16 --seconds 10

echo "== watch fan-out (100 watchers)"
"$bin/drover-bench" watch-latency --port "$port" --token "$token" --watchers 100 --events 200

echo "== GET one object again, beside 5,000 idle keep-alive connections (bench/api/hold_idle.py)"
python3 bench/api/hold_idle.py "$port" 5000 "$token" > "$dir/hold.log" 2>&1 &
holder=$!
bench_extra_pids="$holder"
for _ in $(seq 1 300); do grep -q holding "$dir/hold.log" 2>/dev/null && break; sleep 0.1; done
cat "$dir/hold.log"
wrk -t2 -c32 -d10s --latency -H "$auth" "$base/api/v1/namespaces/default/pods/bench" | grep -E "Requests/sec|Latency|99%"

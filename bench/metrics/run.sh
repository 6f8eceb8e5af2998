#!/usr/bin/env bash
# Metrics benchmark (issue 19): what recording metrics costs — bench/api's GET throughput (wrk) and
# create rate with metrics on and with --no-metrics, alternating, ROUNDS times — and how long a
# /metrics scrape takes on a server with NODES hollow nodes and PODS pods bound to them. Release
# build, `drover up` with fsync on, everything on this machine. Asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/setup.sh
command -v wrk >/dev/null || { echo "bench needs wrk (apt-get install wrk)"; exit 1; }
rounds=${ROUNDS:-2}
nodes=${NODES:-5000}
pods=${PODS:-50000}
source bench/lib.sh
bench_build
echo "== machine: $(nproc) cores, $(uname -r)"

for round in $(seq 1 "$rounds"); do
    for mode in on off; do
        flags=(--no-scheduler --no-agent)
        [[ $mode == off ]] && flags+=(--no-metrics)
        start_drover_up "${flags[@]}"
        auth="Authorization: Bearer $token"
        base="http://127.0.0.1:$port"
        curl -sf -H "$auth" -H 'Content-Type: application/json' -X POST "$base/api/v1/namespaces/default/pods" \
            -d '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"bench"},"spec":{"containers":[{"name":"main","image":"busybox"}]}}' >/dev/null
        get=$(wrk -t2 -c32 -d10s -H "$auth" "$base/api/v1/namespaces/default/pods/bench" | awk '/Requests\/sec/ {print $2}')
        creates=$("$bin/drover-bench" creates --port "$port" --token "$token" --clients 16 --seconds 10 | tr '\n' ' ')
        echo "round $round, metrics $mode: GET $get req/s; $creates"
        bench_cleanup
        trap - EXIT
    done
done

echo "== /metrics scrape with $nodes hollow nodes and $pods pods"
start_drover_up --no-agent
start_hollow_nodes "$nodes"
"$bin/drover-bench" scheduler --port "$port" --token "$token" --pods "$pods" --clients 16 --node-cpu 32 --node-memory-gi 128 | tail -1
for i in $(seq 1 10); do
    curl -s -o /dev/null -w '%{time_total} %{size_download}\n' -H "Authorization: Bearer $token" "http://127.0.0.1:$port/metrics"
done | sort -n | awk '{t[NR]=$1; size=$2} END {printf "scrape: %d bytes; min %.1f ms, median %.1f ms, max %.1f ms (10 scrapes)\n", size, t[1]*1000, t[5]*1000, t[NR]*1000}'

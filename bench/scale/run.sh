#!/usr/bin/env bash
# Scale benchmark (issue 16): `drover up` (release, fsync on) with NODES hollow nodes heartbeating
# and PODS pods created through the API and bound by the scheduler. Prints list page latencies
# (first, continue, selector, Table), `kubectl get pods -A` wall time, server RSS and PostgreSQL
# PSS before and after unpaginated lists, watch fan-out to 1,000 watchers, and create throughput
# of one server against two servers on the same PostgreSQL. Asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/setup.sh
nodes=${NODES:-5000}
pods=${PODS:-150000}
source bench/lib.sh
bench_build
start_drover_up --no-agent
echo "== machine: $(nproc) cores, $(uname -r); $nodes hollow nodes, $pods pods"
start_hollow_nodes "$nodes"

memory() {
    local pm kb=0
    pm=$(pgrep -f "postgres -D $dir/postgres" | head -1)
    for pid in $pm $(pgrep -P "$pm"); do
        kb=$(( kb + $(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0) ))
    done
    printf "   server RSS %d MiB, PostgreSQL PSS %d MiB (%s)\n" \
        $(( $(awk '/^VmRSS:/ {print $2}' "/proc/$up/status") / 1024 )) $(( kb / 1024 )) "$1"
}

"$bin/drover-bench" lists --port "$port" --token "$token" --pods "$pods" --clients 16
memory "after creating and binding"

echo "== kubectl get pods -A (pages of 500, Table)"
start=$(date +%s.%N)
rows=$(KUBECONFIG="$dir/kubeconfig" kubectl get pods -A --no-headers | wc -l)
printf "   %d rows in %.1f s\n" "$rows" "$(echo "$(date +%s.%N) - $start" | bc)"

echo "== three unpaginated lists of every pod"
for _ in 1 2 3; do
    curl -s -o /dev/null -w "   %{size_download} bytes in %{time_total} s\n" -H "Authorization: Bearer $token" \
        "http://127.0.0.1:$port/api/v1/pods"
done
memory "after the unpaginated lists"
sleep 10
memory "10 s later"

echo "== watch fan-out"
"$bin/drover-bench" watch-latency --port "$port" --token "$token" --watchers 1000 --events 200

echo "== create throughput: one server, then two servers on the same PostgreSQL"
"$bin/drover-bench" creates --port "$port" --token "$token" --clients 16 --seconds 10
socket=$(pgrep -af "postgres -D $dir/postgres" | head -1 | sed -E 's/.* -k ([^ ]+).*/\1/')
second=$(( port + 1 ))
"$bin/drover" server --database-url "host=$socket port=5432 user=drover dbname=postgres" --listen "127.0.0.1:$second" \
    --no-scheduler --no-controllers --leader-elect=false >"$dir/second.log" 2>&1 &
bench_extra_pids="${bench_extra_pids:-} $!"
until curl -sf "http://127.0.0.1:$second/healthz" >/dev/null 2>&1; do sleep 0.2; done
"$bin/drover-bench" creates --port "$port" --token "$token" --clients 8 --seconds 10 >"$dir/creates-a.txt" &
a=$!
"$bin/drover-bench" creates --port "$second" --token "$token" --clients 8 --seconds 10 >"$dir/creates-b.txt"
wait $a
sed 's/^/   first server: /' "$dir/creates-a.txt"
sed 's/^/   second server: /' "$dir/creates-b.txt"

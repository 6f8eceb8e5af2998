#!/usr/bin/env bash
# Soak (issue 16): `drover up --no-agent` (release, fsync on) with 100 hollow nodes whose pods run
# for a second, and a steady churn of RATE one-pod Jobs a second (ttlSecondsAfterFinished 10, so
# they are collected) for MINUTES minutes. Prints, every minute, the server's RSS, open file
# descriptors and threads, PostgreSQL's PSS, and the Jobs and pods stored: they should stay flat
# (±10%) once the churn is steady. Asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/setup.sh
minutes=${MINUTES:-60}
rate=${RATE:-10}
source bench/lib.sh
bench_build
start_drover_up --no-agent
echo "== machine: $(nproc) cores, $(uname -r); $rate Jobs/s for $minutes min"
start_hollow_nodes 100 --run-seconds 1

churn() {
    local tick=0
    while true; do
        local second
        second=$(date +%s)
        tick=$((tick + 1))
        # Names from the tick (the loop feeding xargs runs in a subshell of its own).
        for n in $(seq $(( (tick - 1) * rate + 1 )) $(( tick * rate ))); do
            printf '{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"soak-%d"},"spec":{"ttlSecondsAfterFinished":10,"backoffLimit":0,"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"none","command":["true"]}]}}}}\n' "$n"
        done | xargs -P 4 -d '\n' -I{} curl -s -o /dev/null -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
            -X POST --data {} "http://127.0.0.1:$port/apis/batch/v1/namespaces/default/jobs"
        while [[ $(date +%s) == "$second" ]]; do sleep 0.05; done
    done
}
churn &
bench_extra_pids="${bench_extra_pids:-} $!"

stored() { curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$port/$1" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))'; }

printf "%6s %10s %6s %8s %10s %7s %7s\n" minute rss_mib fds threads pg_pss_mib jobs pods
for minute in $(seq 1 "$minutes"); do
    sleep 60
    pm=$(pgrep -f "postgres -D $dir/postgres" | head -1)
    kb=0
    for pid in $pm $(pgrep -P "$pm"); do
        kb=$(( kb + $(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0) ))
    done
    printf "%6d %10d %6d %8d %10d %7s %7s\n" "$minute" $(( $(awk '/^VmRSS:/ {print $2}' "/proc/$up/status") / 1024 )) \
        "$(ls "/proc/$up/fd" | wc -l)" "$(awk '/^Threads:/ {print $2}' "/proc/$up/status")" $(( kb / 1024 )) \
        "$(stored apis/batch/v1/jobs)" "$(stored api/v1/pods)"
done

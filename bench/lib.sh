#!/usr/bin/env bash
# Shared set-up of the benchmarks: release builds of drover and drover-bench, and a `drover up`
# in a temporary directory on a random port, stopped (and its directory removed) on exit.
# After `start_drover_up [drover up flags...]`: $bin, $dir, $port, $token, $up are set and
# DROVER_CONFIG points the CLI at that up.

bench_build() {
    swift build -c release --product drover >/dev/null
    swift build -c release --product drover-bench >/dev/null
    bin=.build/release
}

start_drover_up() {
    dir=$(mktemp -d /tmp/drover-bench.XXXXXX)
    port=$(( 20000 + RANDOM % 20000 ))
    # DROVER_UP_FLAGS: extra flags for every run (e.g. --loopback-client to compare).
    # shellcheck disable=SC2086
    "$bin/drover" up --data-dir "$dir" --port "$port" --secure-port 0 "$@" ${DROVER_UP_FLAGS:-} >"$dir/up.log" 2>&1 &
    up=$!
    trap 'bench_cleanup' EXIT
    for _ in $(seq 1 100); do
        curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && [[ -s "$dir/admin-token" ]] && break
        sleep 0.1
    done
    token=$(cat "$dir/admin-token")
    # The CLI (drover sim, drover get …) talks to this up, not to the user's own cluster.
    export DROVER_CONFIG="$dir/config"
}

# `drover sim nodes --count N --cpu 32 --memory 128Gi [flags...]` against the running `drover up`,
# waited for until registered (then 2 s for the informers to catch up); stopped on exit.
start_hollow_nodes() {
    local count=$1
    shift
    local start
    start=$(date +%s.%N)
    "$bin/drover" sim nodes --count "$count" --cpu 32 --memory 128Gi "$@" >"$dir/sim.log" 2>&1 &
    local sim=$!
    bench_extra_pids="${bench_extra_pids:-} $sim"
    until grep -q registered "$dir/sim.log" 2>/dev/null; do
        kill -0 $sim 2>/dev/null || { cat "$dir/sim.log"; exit 1; }
        sleep 0.2
    done
    printf "== %d hollow nodes registered in %.1f s\n" "$count" "$(echo "$(date +%s.%N) - $start" | bc)"
    sleep 2
}

# Extra processes to stop first may be listed in $bench_extra_pids.
bench_cleanup() {
    for pid in ${bench_extra_pids:-}; do kill -INT "$pid" 2>/dev/null || true; done
    kill -INT "$up" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$dir"
}

#!/usr/bin/env bash
# CLI benchmark, release build, on `drover up` (embedded PostgreSQL, fsync on, its local agent):
# - `drover submit NAME --wait -- true` 20 times: how long after the Job's Complete condition is seen
#   on a watch the command has exited (and the whole command's time);
# - `drover get pods -A` of PODS pods (bound to a node that does not exist, so nothing runs them):
#   time to the first row and to the last, beside `kubectl get pods -A` when kubectl is on the PATH.
# Prints the figures; asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/setup.sh
pods=${PODS:-10000}
source bench/lib.sh
bench_build
start_drover_up
echo "== machine: $(nproc) cores, $(uname -r)"
"$bin/drover-bench" cli-wait --port "$port" --token "$token" --drover "$bin/drover" --config "$dir/config" --jobs 20

echo "== creating $pods pods"
auth="Authorization: Bearer $token"
base="http://127.0.0.1:$port"
curl -s -o /dev/null -H "$auth" -H 'Content-Type: application/json' -X POST "$base/api/v1/namespaces" -d '{"metadata":{"name":"bench"}}'
seq 1 "$pods" | xargs -P 16 -I{} curl -sf -o /dev/null -H "$auth" -H 'Content-Type: application/json' -X POST \
    "$base/api/v1/namespaces/bench/pods" \
    -d '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p-{}"},"spec":{"nodeName":"ghost","containers":[{"name":"main","image":"busybox"}]}}'

for i in 1 2 3; do
    python3 - "$bin/drover" <<'PY'
import subprocess, sys, time
start = time.time(); first = None; rows = 0
with subprocess.Popen([sys.argv[1], "get", "pods", "-A"], stdout=subprocess.PIPE) as p:
    for line in p.stdout:
        if first is None: first = time.time() - start
        rows += 1
total = time.time() - start
print(f"drover get pods -A: {rows - 1} rows, first row after {first*1000:.0f} ms, last after {total*1000:.0f} ms")
PY
done
if command -v kubectl >/dev/null; then
    /usr/bin/time -f "kubectl get pods -A: %e s" kubectl --kubeconfig "$dir/kubeconfig" get pods -A >/dev/null
fi

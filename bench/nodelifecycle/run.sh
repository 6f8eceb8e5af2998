#!/usr/bin/env bash
# Node failure benchmark (issue 10): `drover up --no-agent` (release, fsync on) with NODES (100)
# hollow nodes of 32 CPUs and POD_CAPACITY (25) pods each; a Deployment of PODS (2,000) pods fills
# them (bin-packing: about 80 nodes full); then the last FAILING (10) hollow nodes stop
# heartbeating. Prints the time from their last Lease renewal to Ready=Unknown, to their
# unreachable:NoExecute taint (0.1 nodes/s per zone) and to every lost pod's replacement running
# on another node. GRACE (the server's --node-monitor-grace-period, 40s) and TOLERATION (the
# pods' tolerationSeconds, 30) are the waits built in. Asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/setup.sh
nodes=${NODES:-100}
capacity=${POD_CAPACITY:-25}
pods=${PODS:-2000}
failing=${FAILING:-10}
grace=${GRACE:-40s}
toleration=${TOLERATION:-30}
source bench/lib.sh
bench_build
start_drover_up --no-agent --node-monitor-grace-period "$grace"
echo "== machine: $(nproc) cores, $(uname -r); $nodes hollow nodes ($capacity pods each), $pods pods, $failing nodes fail;" \
     "grace $grace, tolerationSeconds $toleration"
start_hollow_nodes "$nodes" --pods "$capacity" --fail-nodes "$failing"
sim=${bench_extra_pids##* }
names=$(seq $((nodes - failing)) $((nodes - 1)) | sed 's/^/sim-/' | paste -sd, -)
"$bin/drover-bench" node-failure --port "$port" --token "$token" --replicas "$pods" --failing "$names" --sim-pid "$sim" \
    --toleration-seconds "$toleration" --timeout 900

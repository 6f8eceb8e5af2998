#!/usr/bin/env bash
# Builds an initramfs (newc cpio) that boots straight into a program on a bare kernel, for the
# cgroup v2 tests (Tests/AgentTests/CgroupV2GuestBootTests.swift): busybox-static for the usual
# tools, dash for /bin/sh, the program with every shared library ldd finds for it (at the same paths, so its
# RPATH still resolves), and an /init that mounts proc, sysfs, devtmpfs and cgroup2, runs
# the program twice — in the root cgroup (no systemd) and in a delegated cgroup (as under systemd
# with Delegate=yes) — printing a marker with each exit status on the console, then powers off.
#
# Usage: initramfs.sh OUTPUT.cpio PROGRAM [ARGUMENT...]
set -euo pipefail
out=$1; program=$2; shift 2
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run}
cp /bin/busybox "$root/bin/busybox"
copy() { mkdir -p "$root$(dirname "$1")"; cp -L "$1" "$root$1"; }
with_libraries() { copy "$1"; for library in $(ldd "$1" | grep -o "/[^ ]*"); do copy "$library"; done; }
with_libraries "$program"
# Debian's /bin/sh, so the shell the agent's processes meet is the one real hosts have (busybox
# sh, for one, exports SHLVL into every environment).
with_libraries /bin/dash
# The program's arguments, quoted for sh.
arguments=""
for argument in "$@"; do arguments+=" '${argument//\'/\'\\\'\'}'"; done
cat > "$root/init" <<INIT
#!/bin/busybox sh
/bin/busybox --install -s
ln -sf /bin/dash /bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# /tmp stays the initramfs's own (already writable memory): a tmpfs mounted there would hide a
# program built under /tmp, as a clean clone in CI is.
mount -t cgroup2 cgroup2 /sys/fs/cgroup
export PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin HOME=/tmp TMPDIR=/tmp
cd /tmp
echo "drover-guest: kernel \$(uname -r), cgroup controllers: \$(cat /sys/fs/cgroup/cgroup.controllers)"
echo "drover-guest: pass root"
"$program"$arguments
echo "drover-guest: exit root \$?"
# What systemd does for a unit with Delegate=yes: controllers enabled above it, the unit's own
# cgroup writable by the service, the service started inside it.
echo "+memory +cpu +pids" > /sys/fs/cgroup/cgroup.subtree_control
mkdir -p /sys/fs/cgroup/drover-agent.service
echo "drover-guest: pass delegated"
sh -c 'echo \$\$ > /sys/fs/cgroup/drover-agent.service/cgroup.procs && exec "\$0" "\$@"' "$program"$arguments
echo "drover-guest: exit delegated \$?"
reboot -f
INIT
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet) > "$out"

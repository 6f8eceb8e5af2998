#!/usr/bin/env bash
# Fetches the kernel the cgroup v2 guest tests boot (Tests/AgentTests/CgroupV2GuestBootTests.swift):
# Debian's cloud kernel, whose vmlinuz is taken out of its package (nothing is installed on the host).
# Usage: kernel.sh DIRECTORY — leaves DIRECTORY/vmlinuz; does nothing when it is there already.
set -euo pipefail
dir=$(realpath -m "${1:-.build/guest}")
[[ -s "$dir/vmlinuz" ]] && exit 0
mkdir -p "$dir"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
package() { apt-cache depends linux-image-cloud-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}'; }
name=$(package)
if [[ -z "$name" ]]; then apt-get update -qq >/dev/null 2>&1 || true; name=$(package); fi
[[ -n "$name" ]] || { echo "drover: no linux-image-cloud-amd64 package in the apt lists" >&2; exit 1; }
cd "$work"
apt-get download -qq "$name" 2>&1 | grep -v "^W: Download is performed unsandboxed" >&2 || true
deb=$(ls "$work"/*.deb)
dpkg-deb --fsys-tarfile "$deb" | tar -x --wildcards './boot/vmlinuz-*'
mv boot/vmlinuz-* "$dir/vmlinuz"
echo "drover: guest kernel $name in $dir/vmlinuz" >&2

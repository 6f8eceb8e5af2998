#!/usr/bin/env bash
# Installs the Debian packages Drover needs to build and run, if any are missing.
# Sourced by scripts/up.sh and scripts/test.sh; safe to run again.
set -euo pipefail

packages=(libpq-dev libmicrohttpd-dev libyaml-dev nettle-dev postgresql pkg-config openssl)
if [[ "${DROVER_TEST_PACKAGES:-}" == 1 ]]; then
    packages+=(wrk curl chromium nodejs qemu-system-x86 busybox-static cpio)
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if (( ${#missing[@]} > 0 )); then
    echo "drover: installing ${missing[*]}" >&2
    sudo=""
    if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
    if [[ -x /opt/swift/usr/bin/swift ]]; then
        export PATH="/opt/swift/usr/bin:$PATH"
    else
        echo "drover: the Swift 6 toolchain is required (swift not found on PATH)" >&2
        exit 1
    fi
fi

#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Install the Debian/Ubuntu packages the build needs, if any are missing.
# Used by `make run` / `make test`; safe to run repeatedly.  Packages given
# as arguments are required too (`make test-linux` passes linux-source-6.12).
# OPTIONAL packages are installed where apt has them: linux-source-6.12
# (Debian bookworm) gives the build the kernel drivers the LinuxDriver suite
# runs (docs/linux-driver.md); elsewhere the build configures without it.
set -eu
PKGS="build-essential cmake pkg-config libgtest-dev libbenchmark-dev libsystemc-dev \
zlib1g-dev libjansson-dev gnuplot-nox python3 python3-jinja2 clang-format libboost-context-dev $*"
OPTIONAL="linux-source-6.12"
installed() {
        dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}
missing=""
for p in $PKGS; do
        installed "$p" || missing="$missing $p"
done
optional=""
for p in $OPTIONAL; do
        installed "$p" || optional="$optional $p"
done
[ -z "$missing$optional" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
        [ -z "$missing" ] && exit 0
        echo "cmdqv-sim: apt-get not found; please install:$missing" >&2
        exit 1
fi
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        [ -z "$missing" ] && exit 0
        echo "cmdqv-sim: not root and no sudo; please install:$missing" >&2
        exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
for p in $optional; do
        if apt-cache show "$p" >/dev/null 2>&1; then
                missing="$missing $p"
        else
                echo "cmdqv-sim: $p is not in this system's apt sources; the Linux driver suite will be off"
        fi
done
[ -z "$missing" ] && exit 0
echo "cmdqv-sim: installing missing packages:$missing"
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing

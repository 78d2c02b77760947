#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Install the Debian/Ubuntu packages the build needs, if any are missing.
# Used by `make run` / `make test`; safe to run repeatedly.
set -eu
PKGS="build-essential cmake pkg-config libgtest-dev libbenchmark-dev libsystemc-dev \
zlib1g-dev libjansson-dev gnuplot-nox python3 python3-jinja2 clang-format"
missing=""
for p in $PKGS; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "cmdqv-sim: installing missing packages:$missing"
if ! command -v apt-get >/dev/null 2>&1; then
        echo "cmdqv-sim: apt-get not found; please install:$missing" >&2
        exit 1
fi
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        echo "cmdqv-sim: not root and no sudo; please install:$missing" >&2
        exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing

#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The main job behind `make run`: the default latency comparison (issue #3) -
# paths trap, eventfd and direct x threads {1,2} x granules {1,4,16,32,64}
# pages, strict mode, the setting of the measured table in NVIDIA HW QUEUE series cover letter, Msg-ID cover.1750966133.git.nicolinc@nvidia.com -
# written into out/ (report.html, summary.json, samples.csv, plots/), then the
# report's path. Extra arguments are passed to `cmdqv-sim compare`. --study adds
# the contention study (sensitivity, scaling to 64 vCPUs and 16 VMs).
set -eu
BUILD=${1:-build}
[ $# -gt 0 ] && shift
OUT=${OUT:-out}
"$BUILD/bin/cmdqv-sim" compare --out "$OUT" --study "$@"
REPORT="$(cd "$OUT" && pwd)/report.html"
echo "cmdqv-sim: open file://$REPORT in a browser"

#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The main job behind `make run`. Until the latency comparison report exists
# (issue #3), it runs the bundled scenario suite.
set -eu
BUILD=${1:-build}
echo "cmdqv-sim: the comparison report is not built yet; running the bundled scenario suite instead."
exec "$BUILD/bin/cmdqv-sim" run testbench/scenarios/*.scn

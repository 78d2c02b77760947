#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Every example script of docs/scenarios.md ("## Examples": each fenced
# block is a complete script) must PASS under `cmdqv-sim run`: an example
# that cannot run teaches the wrong sequence.  Usage: check-doc-examples.sh
# SRC_DIR CMDQV_SIM.  Exits 1 if an example fails or none is found.
set -eu
src=$1
sim=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
awk -v dir="$dir" '
	/^## / { in_ex = ($0 == "## Examples") }
	in_ex && /^```/ {
		if (open) { close(f); open = 0 }
		else { n++; f = sprintf("%s/example%d.scn", dir, n); open = 1 }
		next
	}
	open { print > f }
' "$src/docs/scenarios.md"
set -- "$dir"/example*.scn
if [ ! -e "$1" ]; then
	echo "doc examples: no example found in docs/scenarios.md"
	exit 1
fi
"$sim" run "$@"
echo "doc examples: $# examples of docs/scenarios.md pass"

#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Bounded fuzz runs (`make fuzz-smoke`, CI): every libFuzzer target in BUILD
# for SECONDS each, starting from a copy of its committed seed corpus, with
# the sanitizers the build was configured with. Any finding (a violated
# property, a sanitizer report, a crash, a timeout) fails the run and leaves
# the reproducer in OUT (default: a fresh directory under /tmp, removed
# again when nothing was found).
# Usage: smoke.sh BUILD SECONDS [OUT]
set -eu
build=$1
secs=$2
out=${3:-}
own_out=0
if [ -z "$out" ]; then
	out=$(mktemp -d "${TMPDIR:-/tmp}/cmdqv-fuzz-smoke-XXXXXX")
	own_out=1
fi
src=$(cd "$(dirname "$0")" && pwd)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
for t in fuzz_guest_surface fuzz_scenario fuzz_trace fuzz_qemu fuzz_config; do
	mkdir -p "$out/$t"
	cp "$src/corpus/$t/"* "$out/$t/"
	if "$build/bin/$t" -max_total_time="$secs" -timeout=20 \
		-rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 \
		-artifact_prefix="$out/$t-" "$out/$t" >"$out/$t.log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$t.log")
		echo "fuzz-smoke: $t: ${runs:-?} inputs in ${secs}s, no finding"
	else
		echo "fuzz-smoke: $t: FINDING (log: $out/$t.log)" >&2
		grep -aE "$t:|ERROR|SUMMARY|Test unit" "$out/$t.log" | head -5 >&2
		status=1
	fi
done
if [ $status -eq 0 ] && [ $own_out -eq 1 ]; then
	rm -rf "$out"
fi
exit $status

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_guest_queue.c - libFuzzer entry point for the guest-isolation
 * property (tb_isolation.h): the input bytes are the contents of a
 * guest-owned VINTF's two LVCMDQs (16 bytes per entry, after one byte that
 * picks the platform layout).  Any input that makes the guest remove
 * another tenant's TLB/config/ATC entries, raise an error outside its own
 * queues, or stall its queues aborts with the reason.
 *
 * Built only with -DCMDQV_BUILD_FUZZ=ON (testbench/fuzz/CMakeLists.txt).
 * With clang this is a libFuzzer target; with other compilers
 * fuzz_main.c supplies a main() that replays corpus files.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "tb_isolation.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tb_iso_report rep;
	uint64_t seed = 1;
	int rc;

	if (size > 0) {
		seed += data[0];
		data++;
		size--;
	}
	rc = tb_iso_run(seed, data, size, &rep);
	if (rc != 0) {
		fprintf(stderr,
			"fuzz_guest_queue: platform setup failed (%d)\n", rc);
		abort();
	}
	if (rep.violation) {
		fprintf(stderr, "fuzz_guest_queue: isolation violated: %s\n",
			rep.what);
		abort();
	}
	return 0;
}

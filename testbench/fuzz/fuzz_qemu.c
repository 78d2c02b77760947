/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_qemu.c - libFuzzer target for QEMU `-trace 'smmu*'` logs, imported
 * the way `cmdqv-sim import-qemu LOG -o OUT` does (plain, or gzip when the
 * first byte is odd).  A refused log must get one "FILE:LINE: error:
 * reason" line ("FILE: error:" only for a corrupt gzip stream) and leave no
 * output file behind; an accepted one leaves a complete native trace that
 * the trace reader reads to the end without an error.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "cmdqv_sim/status.h"
#include "fuzz_util.h"
#include "tb_qemu_import.h"
#include "tb_trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_WHO "fuzz_qemu"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tb_qemu_summary sum;
	struct tb_qemu_options o;
	struct tb_trace_reader *r;
	struct tb_trace_rec rec;
	char err[1024] = "";
	bool gz;
	int rc;

	if (!size || size > 65536)
		return 0;
	fuzz_heap_keep();
	gz = data[0] & 1u;
	memset(&o, 0, sizeof(o));
	o.log = fuzz_scratch(gz ? "qemu.log.gz" : "qemu.log", data + 1,
			     size - 1, gz);
	o.out = fuzz_scratch_path("out.trace");
	o.phase_gap_us = 1000;
	unlink(o.out);
	memset(&sum, 0, sizeof(sum));
	rc = tb_qemu_import(&o, &sum, err, sizeof(err));
	if (rc != 0) {
		fuzz_expect_file_line(FZ_WHO, o.log, err, gz);
		if (access(o.out, F_OK) == 0)
			fuzz_die(FZ_WHO, "a refused log left an output file");
		return 0;
	}
	if (tb_trace_open(&r, o.out, err, sizeof(err)) != CMDQV_OK)
		fuzz_die(FZ_WHO, "the imported trace does not open");
	while ((rc = tb_trace_next(r, &rec, err, sizeof(err))) > 0)
		;
	tb_trace_close(r);
	if (rc < 0) {
		char why[1200];

		snprintf(why, sizeof(why),
			 "the imported trace does not read back: %s", err);
		fuzz_die(FZ_WHO, why);
	}
	return 0;
}

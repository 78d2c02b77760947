/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_trace.c - libFuzzer target for native traces (docs/trace-format.md),
 * plain and gzip, read the way `cmdqv-sim replay` reads them: open (header
 * and platform line), apply the platform line, then every record, applying
 * each reset record's platform.  The first byte picks the form: 0 the rest
 * as a plain file, 1 the rest gzip-compressed, 2 the rest as a (usually
 * corrupt) .gz file.  A refused trace must get one "FILE:LINE: error:
 * reason" line ("FILE: error: reason" only for a file-level problem: a
 * truncated or corrupt gzip stream).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cmdqv_sim/config.h"
#include "cmdqv_sim/status.h"
#include "fuzz_util.h"
#include "tb_trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_WHO "fuzz_trace"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tb_trace_reader *r = NULL;
	struct tb_trace_rec rec;
	struct cmdqv_config cfg;
	char err[1024] = "";
	const char *path;
	unsigned mode;
	int rc;

	if (!size || size > 65536)
		return 0;
	fuzz_heap_keep();
	mode = data[0] % 3;
	/* mode 2: the bytes themselves are the .gz file */
	path = fuzz_scratch(mode ? "fuzz.trace.gz" : "fuzz.trace", data + 1,
			    size - 1, mode == 1);
	rc = tb_trace_open(&r, path, err, sizeof(err));
	if (rc != CMDQV_OK) {
		fuzz_expect_file_line(FZ_WHO, path, err, mode == 2);
		return 0;
	}
	cmdqv_config_defaults(&cfg);
	if (tb_trace_platform_apply(r, &cfg, err, sizeof(err)) != CMDQV_OK) {
		fuzz_expect_file_line(FZ_WHO, path, err, false);
		tb_trace_close(r);
		return 0;
	}
	for (;;) {
		memset(&rec, 0, sizeof(rec));
		rc = tb_trace_next(r, &rec, err, sizeof(err));
		if (rc == 0)
			break;
		if (rc < 0) {
			fuzz_expect_file_line(FZ_WHO, path, err, mode == 2);
			break;
		}
		if (rec.kind == TB_TR_RESET) {
			struct cmdqv_config c2;

			cmdqv_config_defaults(&c2);
			if (tb_trace_platform_apply(r, &c2, err, sizeof(err)) ==
				    CMDQV_OK &&
			    tb_trace_reset_apply(r, &c2, err, sizeof(err)) !=
				    CMDQV_OK) {
				fuzz_expect_file_line(FZ_WHO, path, err, false);
				break;
			}
		}
	}
	tb_trace_close(r);
	return 0;
}

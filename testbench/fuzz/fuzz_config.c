/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_config.c - libFuzzer target for `--config FILE` parameter files
 * (`compare`, `replay`): one `key = value` per line, applied as the CLI
 * applies them (a software-path parameter, else a model parameter), then
 * the whole configuration validated.  A refused file must get one
 * "FILE:LINE: error: reason" line.  The input is read as a stream from
 * memory (fmemopen, cmp_conf_load_stream: the loader of cmp_conf_load after
 * the open), so no file is written per input; FZ_NAME is its name.
 */
#define _POSIX_C_SOURCE 200809L
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cmdqv_sim/config.h"
#include "cmdqv_sim/status.h"
#include "compare_util.h"
#include "fuzz_util.h"
#include "paths.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_WHO "fuzz_config"
#define FZ_NAME "fuzz.conf"

struct fz_params {
	struct cmdqv_config hw;
	struct path_params sw;
};

/* The CLI's rule (cli_compare.c: cmp_apply_param). */
static int fz_apply(void *ctx, unsigned line, const char *key,
		    const char *value, char *err, size_t errlen)
{
	struct fz_params *p = ctx;

	(void)line;
	int rc = wl_params_set(&p->sw, key, value, err, errlen);

	if (rc == CMDQV_EKEY) {
		rc = cmdqv_config_set(&p->hw, key, value, err, errlen);
		if (rc == CMDQV_EKEY)
			snprintf(err, errlen, "unknown parameter '%s'", key);
	}
	return rc == CMDQV_OK ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fz_params p;
	static char buf[65536 + 1];
	char err[1024] = "", why[512] = "";
	const char *path = FZ_NAME;
	FILE *f;
	int rc;

	if (size > 65536)
		return 0;
	if (size)
		memcpy(buf, data, size);
	f = fmemopen(buf, size, "r");
	if (!f)
		fuzz_die(FZ_WHO, "fmemopen failed");
	cmdqv_config_defaults(&p.hw);
	wl_params_defaults(&p.sw);
	rc = cmp_conf_load_stream(f, path, fz_apply, &p, err, sizeof(err));
	fclose(f);
	if (rc) {
		fuzz_expect_file_line(FZ_WHO, path, err, false);
		return 0;
	}
	if (err[0])
		fuzz_die(FZ_WHO, "accepted file with an error message");
	/* a combination that does not validate is refused by the CLI with
	 * its own message: it only must not crash */
	(void)cmdqv_config_validate(&p.hw, why, sizeof(why));
	return 0;
}

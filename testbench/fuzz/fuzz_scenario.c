/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_scenario.c - libFuzzer target for scenario scripts (docs/scenarios.md):
 * the input is a script file's contents, parsed the way `cmdqv-sim run`
 * parses a file (tb_script_parse_text: what tb_script_parse_file does after
 * the read, so no file is written per input; the name in messages is
 * FZ_NAME).  A
 * refused script must get one "FILE:LINE: error: reason" line; an accepted
 * one runs on the native backend and must end PASS, or FAIL / ERROR with a
 * line and a reason, and a second run must end exactly the same way (line,
 * message, simulated end time).  Runs reuse one platform reset in place
 * (tb_native_reuse_backend); one second run in eight is on a new platform,
 * so a reset must behave as a new model.  Never a crash, a hang or a sanitizer
 * finding.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cmdqv_sim/status.h"
#include "fuzz_util.h"
#include "tb_native.h"
#include "tb_scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_WHO "fuzz_scenario"
#define FZ_MAX_BYTES 8192 /* longer scripts only repeat statements */
#define FZ_NAME "fuzz.scn"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tb_native native;
	static struct tb_native_reuse reuse;
	struct tb_script *s = NULL;
	struct tb_result res, again;
	static char text[FZ_MAX_BYTES + 1];
	char err[1024] = "";
	const char *path = FZ_NAME;
	int rc;

	if (size > FZ_MAX_BYTES)
		return 0;
	if (size)
		memcpy(text, data, size);
	text[size] = '\0';
	rc = tb_script_parse_text(path, text, size, &s, err, sizeof(err));
	if (rc != CMDQV_OK) {
		if (s)
			fuzz_die(FZ_WHO, "refused script but a result");
		fuzz_expect_file_line(FZ_WHO, path, err, false);
		return 0;
	}
	if (!s || err[0])
		fuzz_die(FZ_WHO, "accepted script without a result, or with "
				 "an error message");
	memset(&res, 0, sizeof(res));
	tb_script_run(s, &tb_native_reuse_backend, &reuse, NULL, &res);
	/* deterministic: a second run ends the same way, on the platform
	 * reset in place or, for one input in eight, on a new one (so a reset
	 * must give what a new model gives) */
	memset(&again, 0, sizeof(again));
	if (size % 8 == 0)
		tb_script_run(s, &tb_native_backend, &native, NULL, &again);
	else
		tb_script_run(s, &tb_native_reuse_backend, &reuse, NULL,
			      &again);
	if (again.outcome != res.outcome || again.line != res.line ||
	    again.end_time != res.end_time ||
	    again.statements != res.statements || strcmp(again.msg, res.msg))
		fuzz_die(FZ_WHO,
			 "two runs of the same script ended differently");
	if (res.outcome != TB_PASS && (res.line == 0 || !res.msg[0]))
		fuzz_die(FZ_WHO, "FAIL or ERROR without a line and a reason");
	if (res.outcome != TB_PASS) {
		char msg[700];

		snprintf(msg, sizeof(msg), "%s:%u: error: %s", path, res.line,
			 res.msg);
		fuzz_expect_file_line(FZ_WHO, path, msg, false);
	}
	tb_script_free(s);
	return 0;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * status.c - names and messages of enum cmdqv_status, both generated from
 * the one X-macro list in status.h (libuv's uv_err_name/uv_strerror idea).
 */
#include "cmdqv_sim/status.h"

struct status_text {
	const char *name;
	const char *msg;
};

static const struct status_text status_texts[CMDQV_STATUS_COUNT] = {
#define STATUS_TEXT(name, msg) [CMDQV_##name] = { #name, msg },
	CMDQV_STATUS_MAP(STATUS_TEXT)
#undef STATUS_TEXT
};

const char *cmdqv_status_name(int status)
{
	if (status < 0 || status >= CMDQV_STATUS_COUNT)
		return "UNKNOWN";
	return status_texts[status].name;
}

const char *cmdqv_strerror(int status)
{
	if (status < 0 || status >= CMDQV_STATUS_COUNT)
		return "unknown status";
	return status_texts[status].msg;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * wl_params.c - the path/workload parameter table generated from
 * path_params.def (paths.h): defaults, text parsing, validation; path and
 * stage names; workload point defaults; result release.
 *
 * Host-program mistakes only: every error is a status plus a one-line reason
 * naming the key.  Rows, defaults and parsing are the core's table engine
 * (cmdqv_sim/param_table.h), the same one behind cmdqv_config_set().
 */
#include <stdlib.h>
#include <string.h>

#include "cmdqv_sim/param_table.h"
#include "cmdqv_sim/status.h"
#include "paths.h"
#include "tb_util.h"

static const struct cmdqv_param_row wl_param_rows[] = {
#define X(key, kind, unit, def, src, doc) \
	CMDQV_PARAM_ROW(struct path_params, key, kind, unit, def, src, doc),
#include "path_params.def"
#undef X
};

#define WL_PARAM_COUNT (sizeof(wl_param_rows) / sizeof(wl_param_rows[0]))

static const char *const wl_path_names[] = {
#define WL_PATH_NAME(e, n) n,
	WL_PATH_MAP(WL_PATH_NAME)
#undef WL_PATH_NAME
};

static const char *const wl_stage_names[] = {
#define WL_STAGE_NAME(e, n, d) n,
	WL_STAGE_MAP(WL_STAGE_NAME)
#undef WL_STAGE_NAME
};

static const char *const wl_stage_descs[] = {
#define WL_STAGE_DESC(e, n, d) d,
	WL_STAGE_MAP(WL_STAGE_DESC)
#undef WL_STAGE_DESC
};

const char *wl_path_name(enum wl_path p)
{
	if ((unsigned)p >= WL_PATH_COUNT)
		return NULL;
	return wl_path_names[p];
}

int wl_path_parse(const char *name, enum wl_path *out)
{
	for (unsigned i = 0; i < WL_PATH_COUNT; i++) {
		if (name && strcmp(name, wl_path_names[i]) == 0) {
			*out = (enum wl_path)i;
			return 0;
		}
	}
	return -1;
}

const char *wl_stage_name(enum wl_stage s)
{
	if ((unsigned)s >= WL_STAGE_COUNT)
		return NULL;
	return wl_stage_names[s];
}

const char *wl_stage_desc(enum wl_stage s)
{
	if ((unsigned)s >= WL_STAGE_COUNT)
		return NULL;
	return wl_stage_descs[s];
}

void wl_params_defaults(struct path_params *p)
{
	cmdqv_param_table_defaults(wl_param_rows, WL_PARAM_COUNT, p,
				   sizeof(*p));
}

/**
 * struct wl_rule - the range one path parameter must lie in.
 * @unit: "" or " percent" (with its space), after the bounds in messages
 */
struct wl_rule {
	const char *key;
	const char *unit;
	uint64_t lo, hi;
};

/* Every parameter not listed accepts any value of its type. */
static const struct wl_rule wl_rules[] = {
	{ "poll_spin_count", "", 1, UINT32_MAX },
	{ "poll_udelay_first", "", 1, UINT64_MAX },
	{ "queue_log2size", "", 8, 16 },
	{ "eventfd_batch", "", 1, 63 },
	{ "cpu_jitter", " percent", 0, 90 },
	{ "bg_cmds", "", 1, 63 },
};

#define WL_RULE_COUNT (sizeof(wl_rules) / sizeof(wl_rules[0]))

/* Check @v against @row's rule: the same check when a value is set (so a
 * parameter file's error names its line) and when a struct is validated. */
static int wl_param_check(const struct cmdqv_param_row *row, uint64_t v,
			  char *err, size_t errlen)
{
	for (size_t i = 0; i < WL_RULE_COUNT; i++) {
		const struct wl_rule *r = &wl_rules[i];

		if (strcmp(r->key, row->info.key))
			continue;
		if (r->hi == UINT32_MAX || r->hi == UINT64_MAX) {
			if (v >= r->lo)
				return CMDQV_OK;
			tb_errf(err, errlen,
				"%s: must be at least %llu%s, got %llu", r->key,
				(unsigned long long)r->lo,
				row->info.kind == CMDQV_PARAM_TIME ? "ps" : "",
				(unsigned long long)v);
			return CMDQV_EVALUE;
		}
		const struct tb_range range = { r->key, r->unit, v, r->lo,
						r->hi };
		return tb_check_ranges(&range, 1, CMDQV_EVALUE, err, errlen);
	}
	return CMDQV_OK;
}

int wl_params_set(struct path_params *p, const char *key, const char *value,
		  char *err, size_t errlen)
{
	const struct cmdqv_param_row *row =
		cmdqv_param_table_find(wl_param_rows, WL_PARAM_COUNT, key);
	uint64_t v;

	if (!row) {
		tb_errf(err, errlen, "unknown parameter '%s'", key);
		return CMDQV_EKEY;
	}
	if (cmdqv_param_table_parse(row, value, &v, err, errlen) != CMDQV_OK ||
	    wl_param_check(row, v, err, errlen) != CMDQV_OK)
		return CMDQV_EVALUE;
	cmdqv_param_table_put(row, p, v);
	return CMDQV_OK;
}

int wl_params_validate(const struct path_params *p, char *err, size_t errlen)
{
	for (size_t i = 0; i < WL_PARAM_COUNT; i++) {
		const struct cmdqv_param_row *row = &wl_param_rows[i];

		if (wl_param_check(row, cmdqv_param_table_get(row, p), err,
				   errlen) != CMDQV_OK)
			return CMDQV_EVALUE;
	}
	return CMDQV_OK;
}

size_t wl_param_count(void)
{
	return WL_PARAM_COUNT;
}

const struct cmdqv_param_info *wl_param_info(size_t i)
{
	if (i >= WL_PARAM_COUNT)
		return NULL;
	return &wl_param_rows[i].info;
}

void wl_point_defaults(struct wl_point *pt)
{
	memset(pt, 0, sizeof(*pt));
	pt->path = WL_PATH_TRAP;
	pt->threads = 1;
	pt->granule_pages = 1;
	pt->strict = true;
	pt->ats = true; /* the Grace guest's device: see docs/timing-model.md */
	pt->ril =
		false; /* per-page TLBIs explain the trap slope, NVIDIA HW QUEUE series cover letter, Msg-ID cover.1750966133.git.nicolinc@nvidia.com */
	pt->vms = 1;
	pt->iterations = 200;
	pt->seed = 1;
}

void wl_result_free(struct wl_result *r)
{
	if (!r)
		return;
	free(r->samples);
	memset(r, 0, sizeof(*r));
}

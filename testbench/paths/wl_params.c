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
	if (cmdqv_param_table_parse(row, value, &v, err, errlen) != CMDQV_OK)
		return CMDQV_EVALUE;
	cmdqv_param_table_put(row, p, v);
	return CMDQV_OK;
}

int wl_params_validate(const struct path_params *p, char *err, size_t errlen)
{
	if (p->poll_spin_count < 1) {
		tb_errf(err, errlen, "poll_spin_count: must be at least 1");
		return CMDQV_EVALUE;
	}
	if (p->poll_udelay_first == 0) {
		tb_errf(err, errlen, "poll_udelay_first: must be > 0");
		return CMDQV_EVALUE;
	}
	const struct tb_range r[] = {
		{ "queue_log2size", "", p->queue_log2size, 8, 16 },
		{ "eventfd_batch", "", p->eventfd_batch, 1, 63 },
		{ "cpu_jitter", " percent", p->cpu_jitter, 0, 90 },
		{ "bg_cmds", "", p->bg_cmds, 1, 63 },
	};
	return tb_check_ranges(r, sizeof(r) / sizeof(r[0]), CMDQV_EVALUE, err,
			       errlen);
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

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * wl_params.c - the path/workload parameter table generated from
 * path_params.def (paths.h): defaults, text parsing, validation; path and
 * stage names; workload point defaults; result release.
 *
 * Host-program mistakes only: every error is a status plus a one-line reason
 * naming the key.  Parsing reuses the core's cmdqv_parse_time/_u64.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdqv_sim/status.h"
#include "paths.h"

/**
 * struct wl_param_row - one path_params.def row and where it lives.
 * @info:   public documentation (wl_param_info())
 * @offset: offsetof(struct path_params, key)
 * @def:    default in @info.unit (TIME: converted to ps by the defaults)
 */
struct wl_param_row {
        struct cmdqv_param_info info;
        size_t offset;
        uint64_t def;
};

static const struct wl_param_row wl_param_rows[] = {
#define X(key, kind, unit, def, src, doc)                                                          \
        {{#key, CMDQV_PARAM_##kind, unit, #def, src, doc},                                         \
         offsetof(struct path_params, key),                                                        \
         (def)},
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

static void wl_errf(char *err, size_t errlen, const char *fmt, ...)
{
        va_list ap;

        if (!err || !errlen)
                return;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
}

/* Picoseconds per default unit of a TIME row. */
static uint64_t wl_unit_ps(const char *unit)
{
        if (strcmp(unit, "ps") == 0)
                return 1;
        if (strcmp(unit, "ns") == 0)
                return 1000;
        if (strcmp(unit, "us") == 0)
                return 1000000;
        if (strcmp(unit, "ms") == 0)
                return 1000000000ull;
        return 1000000000000ull;
}

void wl_params_defaults(struct path_params *p)
{
        memset(p, 0, sizeof(*p));
        for (size_t i = 0; i < WL_PARAM_COUNT; i++) {
                const struct wl_param_row *r = &wl_param_rows[i];
                char *field = (char *)p + r->offset;

                switch (r->info.kind) {
                case CMDQV_PARAM_BOOL:
                        *(bool *)field = r->def != 0;
                        break;
                case CMDQV_PARAM_U32:
                        *(uint32_t *)field = (uint32_t)r->def;
                        break;
                case CMDQV_PARAM_TIME:
                        *(sim_time_t *)field = r->def * wl_unit_ps(r->info.unit);
                        break;
                }
        }
}

static int wl_parse_bool(const char *v, bool *out)
{
        static const char *const yes[] = {"1", "true", "on", "yes"};
        static const char *const no[] = {"0", "false", "off", "no"};

        for (size_t i = 0; i < 4; i++) {
                if (strcmp(v, yes[i]) == 0) {
                        *out = true;
                        return 0;
                }
                if (strcmp(v, no[i]) == 0) {
                        *out = false;
                        return 0;
                }
        }
        return -1;
}

int wl_params_set(struct path_params *p, const char *key, const char *value, char *err,
                  size_t errlen)
{
        for (size_t i = 0; i < WL_PARAM_COUNT; i++) {
                const struct wl_param_row *r = &wl_param_rows[i];
                char *field = (char *)p + r->offset;
                uint64_t u;
                sim_time_t t;
                bool b;

                if (strcmp(key, r->info.key) != 0)
                        continue;
                switch (r->info.kind) {
                case CMDQV_PARAM_BOOL:
                        if (wl_parse_bool(value, &b)) {
                                wl_errf(err, errlen, "%s: expected a boolean, got '%s'", key,
                                        value);
                                return CMDQV_EVALUE;
                        }
                        *(bool *)field = b;
                        return CMDQV_OK;
                case CMDQV_PARAM_U32:
                        if (cmdqv_parse_u64(value, &u) || u > UINT32_MAX) {
                                wl_errf(err, errlen,
                                        "%s: expected an unsigned 32-bit number, got '%s'", key,
                                        value);
                                return CMDQV_EVALUE;
                        }
                        *(uint32_t *)field = (uint32_t)u;
                        return CMDQV_OK;
                case CMDQV_PARAM_TIME:
                        if (cmdqv_parse_time(value, r->info.unit, &t)) {
                                wl_errf(err, errlen,
                                        "%s: expected a time (e.g. 120ns, 1.5us), got '%s'", key,
                                        value);
                                return CMDQV_EVALUE;
                        }
                        *(sim_time_t *)field = t;
                        return CMDQV_OK;
                }
        }
        wl_errf(err, errlen, "unknown parameter '%s'", key);
        return CMDQV_EKEY;
}

int wl_params_validate(const struct path_params *p, char *err, size_t errlen)
{
        if (p->poll_spin_count < 1) {
                wl_errf(err, errlen, "poll_spin_count: must be at least 1");
                return CMDQV_EVALUE;
        }
        if (p->poll_udelay_first == 0) {
                wl_errf(err, errlen, "poll_udelay_first: must be > 0");
                return CMDQV_EVALUE;
        }
        if (p->queue_log2size < 8 || p->queue_log2size > 16) {
                wl_errf(err, errlen, "queue_log2size: expected 8..16, got %u", p->queue_log2size);
                return CMDQV_EVALUE;
        }
        if (p->eventfd_batch < 1 || p->eventfd_batch > 63) {
                wl_errf(err, errlen, "eventfd_batch: expected 1..63, got %u", p->eventfd_batch);
                return CMDQV_EVALUE;
        }
        if (p->cpu_jitter > 90) {
                wl_errf(err, errlen, "cpu_jitter: expected 0..90 percent, got %u", p->cpu_jitter);
                return CMDQV_EVALUE;
        }
        if (p->bg_cmds < 1 || p->bg_cmds > 63) {
                wl_errf(err, errlen, "bg_cmds: expected 1..63, got %u", p->bg_cmds);
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
        pt->ats = true;  /* the Grace guest's device: see docs/timing-model.md */
        pt->ril = false; /* per-page TLBIs explain the trap slope, perf-facts.md §2 */
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

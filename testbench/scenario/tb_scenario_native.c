/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_scenario_native.c - the scenario interpreter's native backend: a
 * struct tb_native (testbench/shim) behind struct tb_backend_ops.  It lives
 * here, with the language, so the harness knows nothing of scenarios.
 */
#include "tb_scenario.h"

#include <stdlib.h>
#include <string.h>

#include "cmdqv_sim/status.h"
#include "tb_native.h"

static int nb_create(void *b, const struct cmdqv_config *cfg, char *err,
		     size_t errlen)
{
	return tb_native_init(b, cfg, err, errlen);
}

static void nb_destroy(void *b)
{
	tb_native_deinit(b);
}

static int nb_mmio_read(void *b, enum cmdqv_space space, uint64_t off,
			unsigned size, uint64_t *value)
{
	struct tb_native *n = b;
	return cmdqv_mmio_read(n->model, space, off, size, value);
}

static int nb_mmio_write(void *b, enum cmdqv_space space, uint64_t off,
			 unsigned size, uint64_t value)
{
	struct tb_native *n = b;
	return cmdqv_mmio_write(n->model, space, off, size, value);
}

static sim_time_t nb_now(void *b)
{
	struct tb_native *n = b;
	return cmdqv_now(n->model);
}

static sim_time_t nb_next_deadline(void *b)
{
	struct tb_native *n = b;
	return cmdqv_next_deadline(n->model);
}

static void nb_advance_to(void *b, sim_time_t t)
{
	struct tb_native *n = b;
	cmdqv_run_until(n->model, t);
}

static struct tb_mem *nb_mem(void *b)
{
	struct tb_native *n = b;
	return &n->mem;
}

static struct cmdqv_model *nb_model(void *b)
{
	struct tb_native *n = b;
	return n->model;
}

static bool nb_irq_level(void *b, enum cmdqv_irq line)
{
	struct tb_native *n = b;
	return cmdqv_irq_level(n->model, line);
}

static uint64_t nb_irq_edges(void *b, enum cmdqv_irq line)
{
	struct tb_native *n = b;
	return cmdqv_irq_edges(n->model, line);
}

static uint64_t nb_sev_count(void *b)
{
	struct tb_native *n = b;
	return n->sev_count;
}

/* The ops table of the native backend whose functions are PREFIX_*. */
#define NATIVE_OPS(prefix)                                                    \
	{                                                                     \
		.name = "native", .create = prefix##_create,                  \
		.destroy = prefix##_destroy, .mmio_read = prefix##_mmio_read, \
		.mmio_write = prefix##_mmio_write, .now = prefix##_now,       \
		.next_deadline = prefix##_next_deadline,                      \
		.advance_to = prefix##_advance_to, .mem = prefix##_mem,       \
		.model = prefix##_model, .irq_level = prefix##_irq_level,     \
		.irq_edges = prefix##_irq_edges,                              \
		.sev_count = prefix##_sev_count,                              \
	}

const struct tb_backend_ops tb_native_backend = NATIVE_OPS(nb);

/* ---- reuse: one platform, reset in place between runs ---- */

static struct tb_native *nr_n(void *b)
{
	return ((struct tb_native_reuse *)b)->n;
}

static int nr_create(void *b, const struct cmdqv_config *cfg, char *err,
		     size_t errlen)
{
	struct tb_native_reuse *r = b;
	struct cmdqv_config want;
	int rc;

	if (!cfg) {
		cmdqv_config_defaults(&want);
		cfg = &want;
	}
	if (r->n && r->n->model && !memcmp(&r->cfg, cfg, sizeof(*cfg))) {
		struct tb_native *n = r->n;

		tb_native_reset(n);
		return CMDQV_OK;
	}
	if (!r->n && !(r->n = calloc(1, sizeof(*r->n))))
		return CMDQV_ENOMEM;
	if (r->n->model)
		tb_native_deinit(r->n);
	rc = tb_native_init(r->n, cfg, err, errlen);
	if (rc == CMDQV_OK)
		r->cfg = *cfg;
	return rc;
}

static void nr_destroy(void *b)
{
	(void)b; /* kept for the next run */
}

void tb_native_reuse_release(struct tb_native_reuse *r)
{
	if (r->n) {
		if (r->n->model)
			tb_native_deinit(r->n);
		free(r->n);
		r->n = NULL;
	}
}

#define NR_FWD(ret, name, params, args)             \
	static ret nr_##name params                 \
	{                                           \
		return tb_native_backend.name args; \
	}
NR_FWD(int, mmio_read,
       (void *b, enum cmdqv_space sp, uint64_t off, unsigned size, uint64_t *v),
       (nr_n(b), sp, off, size, v))
NR_FWD(int, mmio_write,
       (void *b, enum cmdqv_space sp, uint64_t off, unsigned size, uint64_t v),
       (nr_n(b), sp, off, size, v))
NR_FWD(sim_time_t, now, (void *b), (nr_n(b)))
NR_FWD(sim_time_t, next_deadline, (void *b), (nr_n(b)))
NR_FWD(struct tb_mem *, mem, (void *b), (nr_n(b)))
NR_FWD(struct cmdqv_model *, model, (void *b), (nr_n(b)))
NR_FWD(bool, irq_level, (void *b, enum cmdqv_irq line), (nr_n(b), line))
NR_FWD(uint64_t, irq_edges, (void *b, enum cmdqv_irq line), (nr_n(b), line))
NR_FWD(uint64_t, sev_count, (void *b), (nr_n(b)))
#undef NR_FWD

static void nr_advance_to(void *b, sim_time_t t)
{
	tb_native_backend.advance_to(nr_n(b), t);
}

const struct tb_backend_ops tb_native_reuse_backend = NATIVE_OPS(nr);

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_scenario_native.c - the scenario interpreter's native backend: a
 * struct tb_native (testbench/shim) behind struct tb_backend_ops.  It lives
 * here, with the language, so the harness knows nothing of scenarios.
 */
#include "tb_scenario.h"
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

const struct tb_backend_ops tb_native_backend = {
	.name = "native",
	.create = nb_create,
	.destroy = nb_destroy,
	.mmio_read = nb_mmio_read,
	.mmio_write = nb_mmio_write,
	.now = nb_now,
	.next_deadline = nb_next_deadline,
	.advance_to = nb_advance_to,
	.mem = nb_mem,
	.model = nb_model,
	.irq_level = nb_irq_level,
	.irq_edges = nb_irq_edges,
	.sev_count = nb_sev_count,
};

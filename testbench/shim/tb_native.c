/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_native.c - the native platform (one cmdqv_model + one tb_mem) and its
 * scenario backend.  Time is the model's own: register accesses are direct
 * calls at cmdqv_now(), advance_to() is cmdqv_run_until().
 */
#include "tb_native.h"

#include <stdio.h>
#include <string.h>

#include "cmdqv_sim/status.h"

static void native_irq(void *ctx, enum cmdqv_irq line, bool level)
{
	struct tb_native *n = ctx;
	if ((unsigned)line >= CMDQV_IRQ_COUNT)
		return;
	if (level && !n->irq_level[line])
		n->irq_edges[line]++;
	/* CMD_SYNC is a pulse: it never stays high between calls (model.h) */
	n->irq_level[line] = line == CMDQV_IRQ_CMD_SYNC ? false : level;
}

static void native_sev(void *ctx)
{
	struct tb_native *n = ctx;
	n->sev_count++;
}

static void native_trace(void *ctx, const struct cmdqv_trace_rec *rec)
{
	struct tb_native *n = ctx;
	if (n->trace_fn)
		n->trace_fn(n->trace_ctx, rec);
}

static int native_dma_read(void *ctx, uint64_t addr, void *buf, uint32_t len)
{
	struct tb_native *n = ctx;
	return tb_mem_dma_read(&n->mem, addr, buf, len);
}

static int native_dma_write(void *ctx, uint64_t addr, const void *buf,
			    uint32_t len)
{
	struct tb_native *n = ctx;
	return tb_mem_dma_write(&n->mem, addr, buf, len);
}

void tb_native_set_trace(struct tb_native *n,
			 void (*fn)(void *ctx,
				    const struct cmdqv_trace_rec *rec),
			 void *ctx)
{
	n->trace_fn = fn;
	n->trace_ctx = ctx;
}

int tb_native_init(struct tb_native *n, const struct cmdqv_config *cfg,
		   char *err, size_t errlen)
{
	void (*trace_fn)(void *, const struct cmdqv_trace_rec *) = n->trace_fn;
	void *trace_ctx = n->trace_ctx;
	struct cmdqv_config defaults;
	memset(n, 0, sizeof(*n));
	n->trace_fn = trace_fn;
	n->trace_ctx = trace_ctx;
	if (!cfg) {
		cmdqv_config_defaults(&defaults);
		cfg = &defaults;
	}
	if (tb_mem_init(&n->mem)) {
		if (err && errlen)
			snprintf(err, errlen,
				 "cannot allocate the platform memory");
		return CMDQV_ENOMEM;
	}
	n->mem_ready = true;
	n->ops.mem_read = native_dma_read;
	n->ops.mem_write = native_dma_write;
	n->ops.irq = native_irq;
	n->ops.sev = native_sev;
	n->ops.ats_inv = NULL; /* the model's built-in ATS endpoints */
	n->ops.trace = native_trace;
	int rc = cmdqv_model_create(cfg, &n->ops, n, &n->model, err, errlen);
	if (rc != CMDQV_OK) {
		n->model = NULL;
		tb_native_deinit(n);
		return rc;
	}
	return CMDQV_OK;
}

void tb_native_deinit(struct tb_native *n)
{
	void (*trace_fn)(void *, const struct cmdqv_trace_rec *) = n->trace_fn;
	void *trace_ctx = n->trace_ctx;
	if (n->model)
		cmdqv_model_destroy(n->model);
	if (n->mem_ready)
		tb_mem_deinit(&n->mem);
	memset(n, 0, sizeof(*n));
	n->trace_fn = trace_fn;
	n->trace_ctx = trace_ctx;
}

sim_time_t tb_native_run_idle(struct tb_native *n, sim_time_t limit)
{
	for (;;) {
		sim_time_t next = cmdqv_next_deadline(n->model);
		if (next == SIM_TIME_NEVER || next > limit)
			break;
		cmdqv_run_until(n->model, next);
	}
	return cmdqv_now(n->model);
}

/* ---- scenario backend ---- */

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

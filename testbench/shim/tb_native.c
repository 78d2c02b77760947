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

void tb_native_reset(struct tb_native *n)
{
	cmdqv_model_reset(n->model);
	tb_mem_reset(&n->mem);
	memset(n->irq_level, 0, sizeof(n->irq_level));
	memset(n->irq_edges, 0, sizeof(n->irq_edges));
	n->sev_count = 0;
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

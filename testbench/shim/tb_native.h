/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_native.h - the native platform: one cmdqv_model plus one tb_mem, with
 * the model's host ops wired to tb_mem_dma_read/write, the model's built-in
 * ATS endpoints, interrupt/SEV counters, and an optional extra trace observer
 * (a recorder for `--record`, a timeline writer...).  A plain helper for
 * C hosts (tests, replay, TLM-less tools); the scenario interpreter's native
 * backend wraps it (testbench/scenario/tb_scenario_native.c).
 */
#ifndef CMDQV_TB_NATIVE_H
#define CMDQV_TB_NATIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cmdqv_sim/model.h"
#include "tb_mem.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * struct tb_native - one native platform.
 * @model:      the model (NULL until tb_native_init succeeds)
 * @mem:        its physical memory (DMA target)
 * @ops:        host ops given to the model (borrowed by it: do not move the
 *              struct tb_native while the model exists)
 * @trace_fn:   optional extra trace observer, called for every trace record
 *              with @trace_ctx; set with tb_native_set_trace() (before or
 *              after init; survives tb_native_deinit so a backend object
 *              reused for many scripts keeps its recorder)
 * @irq_level:  last level reported by the model per line
 * @irq_edges:  rising edges per line since init (CMD_SYNC pulses count as
 *              one edge each)
 * @sev_count:  SEV events since init
 * @mem_ready:  @mem is initialised
 */
struct tb_native {
	struct cmdqv_model *model;
	struct tb_mem mem;
	struct cmdqv_host_ops ops;
	void (*trace_fn)(void *ctx, const struct cmdqv_trace_rec *rec);
	void *trace_ctx;
	bool irq_level[CMDQV_IRQ_COUNT];
	uint64_t irq_edges[CMDQV_IRQ_COUNT];
	uint64_t sev_count;
	bool mem_ready;
};

/**
 * Attach (or with @fn == NULL detach) the extra trace observer.  May be
 * called on a zeroed struct before tb_native_init(); takes effect for models
 * created afterwards and for the current one.
 */
void tb_native_set_trace(struct tb_native *n,
			 void (*fn)(void *ctx,
				    const struct cmdqv_trace_rec *rec),
			 void *ctx);

/**
 * Build the platform from @cfg (defaults if NULL).  @n must be zeroed or
 * deinitialised, except for the trace observer which is kept.  Returns a
 * CMDQV_* status with a reason in @err on failure (then @n is deinitialised).
 */
int tb_native_init(struct tb_native *n, const struct cmdqv_config *cfg,
		   char *err, size_t errlen);
/** Destroy the model and free the memory; keeps the trace observer. */
void tb_native_deinit(struct tb_native *n);
/**
 * Put a built platform back to its state after tb_native_init() with the
 * same configuration, in place: the model reset (cmdqv_model_reset), the
 * memory emptied, the host's interrupt and SEV counters cleared.
 */
void tb_native_reset(struct tb_native *n);

/** Run until the model is idle or @limit is reached; returns cmdqv_now(). */
sim_time_t tb_native_run_idle(struct tb_native *n, sim_time_t limit);

#ifdef __cplusplus
}
#endif
#endif /* CMDQV_TB_NATIVE_H */

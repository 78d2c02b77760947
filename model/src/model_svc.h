/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * model_svc.h - the services of one model instance that every block calls:
 * configuration, time conversion, trace, interrupt lines, DMA, SEV, ATS
 * dispatch, statistics and the lookup of the other blocks.  Implemented in
 * model_svc.c over the instance (model_inst.h); the public API (model.c)
 * is a separate layer above the blocks and is never called by them.
 *
 * Private to model/src (and reachable from tests via the internal target).
 */
#ifndef CMDQV_MODEL_SVC_H
#define CMDQV_MODEL_SVC_H

#include <stdbool.h>
#include <stdint.h>

#include "cmdqv_sim/config.h"
#include "cmdqv_sim/model_types.h"
#include "cmdqv_sim/sim.h"

struct cmdq_engine;
struct tlb;
struct cfgc;

const struct cmdqv_config *model_cfg(const struct cmdqv_model *m);
struct sim_kernel *model_kernel(struct cmdqv_model *m);
/** SMMU cycles -> picoseconds at cfg->smmu_clock_mhz. */
sim_time_t model_cycles(const struct cmdqv_model *m, uint64_t cycles);
/** True if the host observes trace records of @kind (lets hot paths skip
 * building them). */
bool model_tracing(const struct cmdqv_model *m, enum cmdqv_trace_kind kind);
/** If the host observes trace records: *@rec zeroed, of @kind on the SMMU
 *  queue, and true; else false (nothing to build). */
bool model_trace_start(const struct cmdqv_model *m, struct cmdqv_trace_rec *rec,
		       enum cmdqv_trace_kind kind);
/** Deliver a trace record to the host's observer (no-op without one); fills ->time. */
void model_trace(struct cmdqv_model *m, struct cmdqv_trace_rec *rec);
/** Set an interrupt line's level; calls ops->irq and traces only on change. */
void model_irq_set(struct cmdqv_model *m, enum cmdqv_irq line, bool level);
/** Pulse a line (rising then falling edge at the current time). */
void model_irq_pulse(struct cmdqv_model *m, enum cmdqv_irq line);
/** DMA through the host: 0 ok, non-zero abort. */
int model_dma_read(struct cmdqv_model *m, uint64_t addr, void *buf,
		   uint32_t len);
int model_dma_write(struct cmdqv_model *m, uint64_t addr, const void *buf,
		    uint32_t len);
/**
 * Send one ATS invalidation: through the host's ops->ats_inv, or the built-in
 * endpoints (ats_eps_invalidate) when the host gives none.  Returns an
 * enum cmdqv_ats_result and the endpoint's response time in *latency.
 */
int model_ats_inv(struct cmdqv_model *m, const struct cmdqv_ats_req *req,
		  sim_time_t *latency);
/** SEV from CMD_SYNC CS=SEV. */
void model_sev(struct cmdqv_model *m);
/** Statistics owned by the model, updated by blocks. */
struct cmdqv_stats *model_stats(struct cmdqv_model *m);
/** Blocks, for cross-block calls (the queue engine and the caches). */
struct cmdq_engine *model_engine(struct cmdqv_model *m);
struct tlb *model_tlb(struct cmdqv_model *m);
struct cfgc *model_cfgc(struct cmdqv_model *m);

#endif /* CMDQV_MODEL_SVC_H */

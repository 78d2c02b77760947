/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * model_inst.h - the layout of one model instance, shared by the public API
 * (model.c) and the block services (model_svc.c) only.  Blocks see the
 * instance as an opaque struct cmdqv_model and use model_svc.h.
 */
#ifndef CMDQV_MODEL_INST_H
#define CMDQV_MODEL_INST_H

#include "internal.h"

/**
 * struct cmdqv_model - one model instance.
 * @cfg:       the configuration (a copy)
 * @ops, @ctx: host callbacks (borrowed) and their context
 * @k:         the event kernel every block schedules on
 * @stats:     totals since create, updated by the blocks
 * @irq_level: current level of each interrupt output
 * @irq_edges: rising edges per output since create
 * @eng ...:   the blocks (cv is NULL when cfg.cmdqv == 0)
 */
struct cmdqv_model {
	struct cmdqv_config cfg;
	struct cmdqv_host_ops ops;
	void *ctx;
	struct sim_kernel k;
	struct cmdqv_stats stats;
	bool irq_level[CMDQV_IRQ_COUNT];
	uint64_t irq_edges[CMDQV_IRQ_COUNT];
	struct cmdq_engine *eng;
	struct smmu *smmu;
	struct tlb *tlb;
	struct cfgc *cfgc;
	struct ats_eps *ats;
	struct t241_cmdqv *cv;
};

#endif /* CMDQV_MODEL_INST_H */

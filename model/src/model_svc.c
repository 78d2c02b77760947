/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * model_svc.c - the services every block calls (model_svc.h): time
 * conversion, trace delivery, interrupt lines, DMA and SEV through the
 * host, ATS dispatch (the host's endpoint model or the built-in one),
 * statistics, and the lookup of the engine and caches.
 */
#include <string.h>

#include "internal.h"
#include "model_inst.h"

const struct cmdqv_config *model_cfg(const struct cmdqv_model *m)
{
	return &m->cfg;
}

struct sim_kernel *model_kernel(struct cmdqv_model *m)
{
	return &m->k;
}

sim_time_t model_cycles(const struct cmdqv_model *m, uint64_t cycles)
{
	return sim_cycles_to_ps(cycles, m->cfg.smmu_clock_mhz);
}

bool model_tracing(const struct cmdqv_model *m, enum cmdqv_trace_kind kind)
{
	return m->ops.trace &&
	       (!m->ops.trace_kinds || (m->ops.trace_kinds >> kind) & 1u);
}

bool model_trace_start(const struct cmdqv_model *m, struct cmdqv_trace_rec *rec,
		       enum cmdqv_trace_kind kind)
{
	if (!model_tracing(m, kind))
		return false;
	memset(rec, 0, sizeof(*rec));
	rec->kind = kind;
	rec->queue = CMDQV_QUEUE_SMMU;
	return true;
}

void model_trace(struct cmdqv_model *m, struct cmdqv_trace_rec *rec)
{
	if (!m->ops.trace)
		return;
	rec->time = m->k.now;
	m->ops.trace(m->ctx, rec);
}

static void model_trace_irq(struct cmdqv_model *m, enum cmdqv_irq line,
			    bool level)
{
	struct cmdqv_trace_rec rec;

	if (!model_trace_start(m, &rec, CMDQV_TR_IRQ))
		return;
	rec.code = (uint32_t)line;
	rec.value = level;
	model_trace(m, &rec);
}

void model_irq_set(struct cmdqv_model *m, enum cmdqv_irq line, bool level)
{
	if (m->irq_level[line] == level)
		return;
	m->irq_level[line] = level;
	if (level)
		m->irq_edges[line]++;
	if (m->ops.irq)
		m->ops.irq(m->ctx, line, level);
	model_trace_irq(m, line, level);
}

void model_irq_pulse(struct cmdqv_model *m, enum cmdqv_irq line)
{
	/* Every SMMU interrupt is effectively edge-triggered (IHI 0070 4.7.3,
	 * 3.18.2): a pulse is a rising and a falling edge at once. */
	m->irq_edges[line]++;
	if (m->ops.irq) {
		m->ops.irq(m->ctx, line, true);
		m->ops.irq(m->ctx, line, false);
	}
	model_trace_irq(m, line, true);
	model_trace_irq(m, line, false);
}

int model_dma_read(struct cmdqv_model *m, uint64_t addr, void *buf,
		   uint32_t len)
{
	if (!m->ops.mem_read)
		return 1; /* no memory behind the model: every read aborts */
	return m->ops.mem_read(m->ctx, addr, buf, len);
}

int model_dma_write(struct cmdqv_model *m, uint64_t addr, const void *buf,
		    uint32_t len)
{
	struct cmdqv_trace_rec rec;
	int rc;

	rc = m->ops.mem_write ? m->ops.mem_write(m->ctx, addr, buf, len) : 1;
	if (model_tracing(m, CMDQV_TR_MEM_WRITE)) {
		memset(&rec, 0, sizeof(rec));
		rec.kind = CMDQV_TR_MEM_WRITE;
		rec.queue = CMDQV_QUEUE_SMMU;
		rec.offset = addr;
		rec.size = len;
		if (len <= sizeof(rec.value))
			memcpy(&rec.value, buf,
			       len); /* little-endian host assumed */
		rec.code = rc != 0;
		model_trace(m, &rec);
	}
	return rc;
}

int model_ats_inv(struct cmdqv_model *m, const struct cmdqv_ats_req *req,
		  sim_time_t *latency)
{
	*latency = 0;
	if (m->ops.ats_inv)
		return m->ops.ats_inv(m->ctx, req, latency);
	return ats_eps_invalidate(m->ats, req, latency);
}

void model_sev(struct cmdqv_model *m)
{
	if (m->ops.sev)
		m->ops.sev(m->ctx);
}

struct cmdqv_stats *model_stats(struct cmdqv_model *m)
{
	return &m->stats;
}

struct cmdq_engine *model_engine(struct cmdqv_model *m)
{
	return m->eng;
}

struct tlb *model_tlb(struct cmdqv_model *m)
{
	return m->tlb;
}

struct cfgc *model_cfgc(struct cmdqv_model *m)
{
	return m->cfgc;
}

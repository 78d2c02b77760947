/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * model.c - the host-facing API of one model instance (model.h): create and
 * destroy, time, register access routed to the blocks, interrupts, the
 * cache and ATC test hooks, observation.  The services the blocks call
 * (model_*) live in model_svc.c; the blocks never call this file.
 *
 * Ownership: the configuration is copied, the host ops are borrowed, every
 * block is created here at create time and destroyed in reverse order.
 * Register accesses are routed to the block that owns the aperture and
 * recorded as MMIO trace records; they never advance time (the host's
 * transport adds the access latency, docs/architecture.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdqv_sim/model.h"
#include "cmdqv_sim/status.h"
#include "internal.h"
#include "model_inst.h"

/* SMMU register frame: page 0 and page 1 (IHI 0070 6.3; arm-smmu-v3.h). */
#define MODEL_SMMU_SPACE_SIZE (SMMU_PAGE1 + SMMU_PAGE_SIZE)

/* ------------------------------------------------------------------ */
/* lifetime                                                            */
/* ------------------------------------------------------------------ */

static void model_errf(char *err, size_t errlen, const char *what, int rc)
{
	if (err && errlen)
		snprintf(err, errlen, "%s: %s", what, cmdqv_strerror(rc));
}

int cmdqv_model_create(const struct cmdqv_config *cfg,
		       const struct cmdqv_host_ops *ops, void *ctx,
		       struct cmdqv_model **out, char *err, size_t errlen)
{
	struct cmdqv_model *m;
	unsigned nqueues;
	int rc;

	if (!cfg || !out) {
		model_errf(err, errlen, "cmdqv_model_create", CMDQV_EINVAL);
		return CMDQV_EINVAL;
	}
	*out = NULL;
	rc = cmdqv_config_validate(cfg, err, errlen);
	if (rc != CMDQV_OK)
		return rc;
	m = calloc(1, sizeof(*m));
	if (!m) {
		model_errf(err, errlen, "model", CMDQV_ENOMEM);
		return CMDQV_ENOMEM;
	}
	m->cfg = *cfg;
	if (ops)
		m->ops = *ops;
	m->ctx = ctx;
	sim_kernel_init(&m->k);

	/* Creation order: engine first (queues register with it), caches and
         * endpoints, then the register blocks that own the queues. */
	nqueues = 1 + (cfg->cmdqv ? cfg->vcmdqs : 0);
	rc = cmdq_engine_create(m, nqueues, &m->eng);
	if (rc == CMDQV_OK) {
		rc = tlb_create(cfg->tlb_entries, &m->tlb);
		if (rc != CMDQV_OK)
			model_errf(err, errlen, "TLB", rc);
	} else {
		model_errf(err, errlen, "command queue engine", rc);
	}
	if (rc == CMDQV_OK) {
		rc = cfgc_create(cfg->cfg_entries, &m->cfgc);
		if (rc != CMDQV_OK)
			model_errf(err, errlen, "config cache", rc);
	}
	if (rc == CMDQV_OK) {
		rc = ats_eps_create(&m->cfg, &m->ats);
		if (rc != CMDQV_OK)
			model_errf(err, errlen, "ATS endpoints", rc);
		else
			ats_eps_set_clock(m->ats, &m->k.now);
	}
	if (rc == CMDQV_OK) {
		rc = smmu_create(m, &m->smmu);
		if (rc != CMDQV_OK)
			model_errf(err, errlen, "SMMU", rc);
	}
	if (rc == CMDQV_OK && cfg->cmdqv) {
		rc = t241_create(m, &m->cv);
		if (rc != CMDQV_OK)
			model_errf(err, errlen, "CMDQ-V", rc);
	}
	if (rc != CMDQV_OK) {
		cmdqv_model_destroy(m);
		return rc;
	}
	*out = m;
	return CMDQV_OK;
}

void cmdqv_model_destroy(struct cmdqv_model *m)
{
	if (!m)
		return;
	/* The kernel first: it forgets pending events, so blocks can free
         * the events embedded in them.  Then blocks in reverse order. */
	sim_kernel_deinit(&m->k);
	if (m->cv)
		t241_destroy(m->cv);
	if (m->smmu)
		smmu_destroy(m->smmu);
	if (m->ats)
		ats_eps_destroy(m->ats);
	if (m->cfgc)
		cfgc_destroy(m->cfgc);
	if (m->tlb)
		tlb_destroy(m->tlb);
	if (m->eng)
		cmdq_engine_destroy(m->eng);
	free(m);
}

void cmdqv_model_reset(struct cmdqv_model *m)
{
	/* The kernel first (every event cancelled), then the blocks in
	 * creation order, as in cmdqv_model_create(). */
	sim_kernel_reset(&m->k);
	memset(&m->stats, 0, sizeof(m->stats));
	memset(m->irq_level, 0, sizeof(m->irq_level));
	memset(m->irq_edges, 0, sizeof(m->irq_edges));
	cmdq_engine_reset(m->eng);
	tlb_reset(m->tlb);
	cfgc_reset(m->cfgc);
	ats_eps_reset(m->ats);
	smmu_reset(m->smmu);
	if (m->cv)
		t241_reset(m->cv);
}

/* Every piece of the model's memory, in one fixed order (model_mem_fn). */
static void model_state_walk(struct cmdqv_model *m, model_mem_fn fn, void *ctx)
{
	fn(ctx, m, sizeof(*m));
	fn(ctx, m->k.heap, (size_t)m->k.capacity * sizeof(*m->k.heap));
	cmdq_engine_state_walk(m->eng, fn, ctx);
	tlb_state_walk(m->tlb, fn, ctx);
	cfgc_state_walk(m->cfgc, fn, ctx);
	ats_eps_state_walk(m->ats, fn, ctx);
	smmu_state_walk(m->smmu, fn, ctx);
	if (m->cv)
		t241_state_walk(m->cv, fn, ctx);
}

/**
 * struct model_copy - one pass of model_state_walk().
 * @buf, @at: the copy and the offset of the next piece
 * @out:      true: model -> @buf (save); false: @buf -> model (restore)
 * @probe:    with @buf NULL, look for the piece that holds this address
 * @found:    @probe is inside some piece
 */
struct model_copy {
	uint8_t *buf;
	size_t at;
	bool out;
	const void *probe;
	bool found;
};

MODEL_NO_COVERAGE static void model_copy_piece(void *ctx, void *p, size_t n)
{
	struct model_copy *c = ctx;

	if (c->probe) {
		uintptr_t a = (uintptr_t)c->probe, b = (uintptr_t)p;

		if (n && a >= b && a - b < n)
			c->found = true;
		return;
	}
	if (c->buf && n) {
		if (c->out)
			memcpy(c->buf + c->at, p, n);
		else
			memcpy(p, c->buf + c->at, n);
	}
	c->at += n;
}

size_t cmdqv_model_state_size(const struct cmdqv_model *m)
{
	struct model_copy c = { 0 };

	/* the walk only reads, the const is cast away for model_mem_fn */
	model_state_walk((struct cmdqv_model *)m, model_copy_piece, &c);
	return c.at;
}

int cmdqv_model_state_save(const struct cmdqv_model *m, void *buf, size_t len)
{
	struct cmdqv_model *w = (struct cmdqv_model *)m; /* read only */
	struct model_copy c = { 0 };

	if (!buf || len != cmdqv_model_state_size(m))
		return CMDQV_EINVAL;
	if (!tlb_state_consistent(m->tlb))
		return CMDQV_ESTATE;
	for (uint32_t i = 0; i < m->k.count; i++) {
		c.probe = m->k.heap[i];
		c.found = false;
		model_state_walk(w, model_copy_piece, &c);
		if (!c.found)
			return CMDQV_ESTATE; /* a host event: not in the copy */
	}
	memset(&c, 0, sizeof(c));
	c.buf = buf;
	c.out = true;
	model_state_walk(w, model_copy_piece, &c);
	return CMDQV_OK;
}

int cmdqv_model_state_restore(struct cmdqv_model *m, const void *buf,
			      size_t len)
{
	struct model_copy c = { 0 };

	if (!buf || len != cmdqv_model_state_size(m))
		return CMDQV_EINVAL;
	/* host events pending now are no longer (the model's own get their
	 * saved heap_index back with the copy) */
	sim_kernel_reset(&m->k);
	tlb_state_forget(m->tlb);
	c.buf = (uint8_t *)buf; /* only read: c.out is false */
	model_state_walk(m, model_copy_piece, &c);
	tlb_state_recount(m->tlb);
	return CMDQV_OK;
}

const struct cmdqv_config *cmdqv_model_config(const struct cmdqv_model *m)
{
	return &m->cfg;
}

/* ------------------------------------------------------------------ */
/* time                                                                */
/* ------------------------------------------------------------------ */

sim_time_t cmdqv_now(const struct cmdqv_model *m)
{
	return m->k.now;
}

sim_time_t cmdqv_next_deadline(const struct cmdqv_model *m)
{
	return sim_next_deadline(&m->k);
}

void cmdqv_run_until(struct cmdqv_model *m, sim_time_t t)
{
	sim_run_until(&m->k, t);
}

struct sim_kernel *cmdqv_model_kernel(struct cmdqv_model *m)
{
	return &m->k;
}

/* ------------------------------------------------------------------ */
/* register access                                                     */
/* ------------------------------------------------------------------ */

uint64_t cmdqv_space_size(const struct cmdqv_model *m, enum cmdqv_space space)
{
	switch (space) {
	case CMDQV_SPACE_SMMU:
		return MODEL_SMMU_SPACE_SIZE;
	case CMDQV_SPACE_CMDQV:
		return m->cv ? t241_size(m->cv) : 0;
	}
	return 0;
}

/* Route one access to its block; no trace. */
static int model_access(struct cmdqv_model *m, enum cmdqv_space space,
			uint64_t offset, unsigned size, bool is_write,
			uint64_t *value)
{
	uint64_t sz = cmdqv_space_size(m, space);

	if (size != 4 && size != 8)
		return CMDQV_ESIZE;
	if (offset >= sz || size > sz - offset)
		return CMDQV_EADDR;
	if (offset & (size - 1))
		return CMDQV_ESIZE;
	if (space == CMDQV_SPACE_SMMU)
		return smmu_access(m->smmu, offset, size, is_write, value);
	return t241_access(m->cv, offset, size, is_write, value);
}

static void model_trace_mmio(struct cmdqv_model *m, enum cmdqv_trace_kind kind,
			     enum cmdqv_space space, uint64_t offset,
			     unsigned size, uint64_t value)
{
	struct cmdqv_trace_rec rec;

	if (!model_trace_start(m, &rec, kind))
		return;
	rec.space = (uint32_t)space;
	rec.offset = offset;
	rec.size = size;
	rec.value = value;
	model_trace(m, &rec);
}

int cmdqv_mmio_read(struct cmdqv_model *m, enum cmdqv_space space,
		    uint64_t offset, unsigned size, uint64_t *value)
{
	uint64_t v = 0;
	int rc = model_access(m, space, offset, size, false, &v);

	if (rc != CMDQV_OK)
		return rc;
	if (size == 4)
		v &= UINT32_MAX;
	*value = v;
	model_trace_mmio(m, CMDQV_TR_MMIO_READ, space, offset, size, v);
	return CMDQV_OK;
}

int cmdqv_mmio_write(struct cmdqv_model *m, enum cmdqv_space space,
		     uint64_t offset, unsigned size, uint64_t value)
{
	int rc;

	if (size == 4)
		value &= UINT32_MAX;
	/* Trace before the side effects, so the write precedes what it causes
         * in the record (unlike QEMU's post-drain trace, QEMU 7.2
         * hw/arm/trace-events). */
	if (size == 4 || size == 8) {
		uint64_t sz = cmdqv_space_size(m, space);

		if (offset < sz && size <= sz - offset &&
		    !(offset & (size - 1)))
			model_trace_mmio(m, CMDQV_TR_MMIO_WRITE, space, offset,
					 size, value);
	}
	rc = model_access(m, space, offset, size, true, &value);
	return rc;
}

int cmdqv_mmio_peek(const struct cmdqv_model *m, enum cmdqv_space space,
		    uint64_t offset, unsigned size, uint64_t *value)
{
	uint64_t v = 0;
	int rc;

	/* Read hooks have no side effects (internal.h, struct reg_desc), so
         * the normal read path is a peek once the trace is left out. */
	rc = model_access((struct cmdqv_model *)m, space, offset, size, false,
			  &v);
	if (rc != CMDQV_OK)
		return rc;
	*value = size == 4 ? (v & UINT32_MAX) : v;
	return CMDQV_OK;
}

/* ------------------------------------------------------------------ */
/* interrupts                                                          */
/* ------------------------------------------------------------------ */

bool cmdqv_irq_level(const struct cmdqv_model *m, enum cmdqv_irq line)
{
	return (unsigned)line < CMDQV_IRQ_COUNT ? m->irq_level[line] : false;
}

uint64_t cmdqv_irq_edges(const struct cmdqv_model *m, enum cmdqv_irq line)
{
	return (unsigned)line < CMDQV_IRQ_COUNT ? m->irq_edges[line] : 0;
}

/* ------------------------------------------------------------------ */
/* caches and endpoints (not timed)                                    */
/* ------------------------------------------------------------------ */

int cmdqv_tlb_add(struct cmdqv_model *m, enum cmdqv_tlb_kind kind,
		  uint16_t vmid, uint16_t asid, uint64_t addr, uint64_t pages)
{
	return tlb_insert(m->tlb, kind, vmid, asid, addr, pages);
}

bool cmdqv_tlb_present(const struct cmdqv_model *m, enum cmdqv_tlb_kind kind,
		       uint16_t vmid, uint16_t asid, uint64_t addr)
{
	return tlb_present(m->tlb, kind, vmid, asid, addr);
}

size_t cmdqv_tlb_count(const struct cmdqv_model *m, int vmid)
{
	return tlb_count(m->tlb, vmid);
}

int cmdqv_cfg_add(struct cmdqv_model *m, uint32_t sid, uint32_t ssid)
{
	return cfgc_insert(m->cfgc, sid, ssid);
}

bool cmdqv_cfg_present(const struct cmdqv_model *m, uint32_t sid, uint32_t ssid)
{
	return cfgc_present(m->cfgc, sid, ssid);
}

int cmdqv_atc_add(struct cmdqv_model *m, uint32_t sid, uint64_t addr,
		  uint64_t pages)
{
	return ats_eps_add(m->ats, sid, addr, pages);
}

bool cmdqv_atc_present(const struct cmdqv_model *m, uint32_t sid, uint64_t addr)
{
	return ats_eps_present(m->ats, sid, addr);
}

size_t cmdqv_atc_count(const struct cmdqv_model *m, uint32_t sid)
{
	return ats_eps_count(m->ats, sid);
}

int cmdqv_atc_set_latency(struct cmdqv_model *m, uint32_t sid,
			  sim_time_t latency)
{
	return ats_eps_set(m->ats, sid, &latency, NULL);
}

int cmdqv_atc_set_silent(struct cmdqv_model *m, uint32_t sid, bool silent)
{
	return ats_eps_set(m->ats, sid, NULL, &silent);
}

/* For hosts that put their own endpoint models on the ATS path (the TLM
 * bridge's ats_socket) but keep the model's ATC bookkeeping, so scenario
 * "atc" statements work on every platform. */
int cmdqv_atc_invalidate(struct cmdqv_model *m, const struct cmdqv_ats_req *req,
			 sim_time_t *latency)
{
	return ats_eps_invalidate(m->ats, req, latency);
}

/* ------------------------------------------------------------------ */
/* observation                                                         */
/* ------------------------------------------------------------------ */

size_t cmdqv_queue_count(const struct cmdqv_model *m)
{
	return 1 + (m->cv ? m->cfg.vcmdqs : 0);
}

void cmdqv_queue_get(const struct cmdqv_model *m, size_t i,
		     struct cmdqv_queue_state *out)
{
	struct cmdqv_model *mm = (struct cmdqv_model *)m;
	const struct cmdq_queue *q = NULL;

	memset(out, 0, sizeof(*out));
	if (i == 0)
		q = smmu_cmdq(mm->smmu);
	else if (i < cmdqv_queue_count(m))
		q = t241_queue(mm->cv, (unsigned)(i - 1));
	if (!q)
		return;
	out->name = q->name;
	out->queue = q->id;
	out->enabled = q->enabled;
	out->error = q->halted;
	out->prod = q->prod & ring_pos_mask(q->ring);
	out->cons = q->cons & ring_pos_mask(q->ring);
	out->used = ring_used(q->ring, out->prod, out->cons);
	out->log2size = q->ring.log2size;
	out->inconsistent = out->used > ring_entries(q->ring);
}

void cmdqv_stats_get(const struct cmdqv_model *m, struct cmdqv_stats *out)
{
	*out = m->stats;
	out->ats_queued = ats_eps_queued(m->ats);
}

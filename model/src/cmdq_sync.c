/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmdq_sync.c - the queue engine's ATS invalidations and CMD_SYNC
 * (cmdq_int.h): one ITag table per endpoint with its timeout, the ATS
 * Invalidate Request of an ATC_INV on the processor and its completion,
 * and CMD_SYNC, which waits without holding the processor until every
 * earlier ATC_INV of its queue has finished, then signals (MSI with its
 * latency, wired interrupt or SEV).
 */
#include <string.h>

#include "cmdq_int.h"

/* ------------------------------------------------------------------ */
/* ATS invalidations and ITags (IHI 0070 3.9.1.4, 4.7.3, 4.5.1)             */
/* ------------------------------------------------------------------ */

/* MSIAddress truncated to the output address size: the zero test covers the
 * whole field, the write goes to the low OAS bits (IHI 0070 4.7.3). */
static uint64_t cmdq_oas_addr(const struct cmdqv_config *cfg, uint64_t addr)
{
	return cfg->oas < 64 ? addr & ((UINT64_C(1) << cfg->oas) - 1) : addr;
}

static struct cmdq_ep *cmdq_ep_find(struct cmdq_engine *e, uint32_t sid,
				    bool alloc)
{
	struct cmdq_ep *free_ep = NULL;

	for (uint32_t i = 0; i < e->neps; i++) {
		struct cmdq_ep *ep = &e->eps[i];

		if (ep->busy && ep->sid == sid)
			return ep;
		if (!ep->busy && !free_ep)
			free_ep = ep;
	}
	if (alloc && free_ep)
		free_ep->sid = sid;
	return alloc ? free_ep : NULL;
}

static void cmdq_ep_reschedule(struct cmdq_ep *ep)
{
	sim_time_t next = SIM_TIME_NEVER;

	for (uint32_t i = 0; i < ep->e->cfg->ats_outstanding; i++)
		if (ep->tags[i].busy && ep->tags[i].due < next)
			next = ep->tags[i].due;
	if (next == SIM_TIME_NEVER)
		sim_cancel(ep->e->k, &ep->ev);
	else
		sim_schedule_at(ep->e->k, &ep->ev, next);
}

/* What a CMD_SYNC of @q must wait for: earlier ATC_INV completions and
 * earlier SYNCs' MSI writes (IHI 0070 4.7.3). */
bool cmdq_sync_blocked(const struct cmdq_queue *q)
{
	return q->ats_pending || q->msi_pending;
}

/* Something a waiting SYNC depends on finished: end the wait if it was the last. */
void cmdq_sync_recheck(struct cmdq_queue *q)
{
	if (q->sync_wait && !cmdq_sync_blocked(q) &&
	    !sim_event_pending(&q->sync_ev))
		sim_schedule_in(q->eng->k, &q->sync_ev,
				model_cycles(q->m,
					     model_cfg(q->m)->sync_cycles));
}

/* One ATC_INV of @q finished (completed or timed out). */
static void cmdq_ats_finished(struct cmdq_queue *q, bool timed_out)
{
	q->ats_pending--;
	if (timed_out)
		q->atc_timed_out = true;
	cmdq_sync_recheck(q);
}

void cmdq_ep_fire(struct sim_kernel *k, struct sim_event *ev)
{
	struct cmdq_ep *ep = ev->arg;
	struct cmdq_engine *e = ep->e;
	bool freed = false;

	for (uint32_t i = 0; i < e->cfg->ats_outstanding; i++) {
		struct cmdq_itag *t = &ep->tags[i];

		if (!t->busy || t->due > k->now)
			continue;
		t->busy = false;
		ep->busy--;
		freed = true;
		if (t->timeout)
			model_stats(e->m)->ats_timeouts++;
		if (model_tracing(e->m, CMDQV_TR_ATS_DONE)) {
			struct cmdqv_trace_rec rec;

			memset(&rec, 0, sizeof(rec));
			rec.kind = CMDQV_TR_ATS_DONE;
			rec.queue = t->q->id;
			rec.sid = ep->sid;
			rec.code = t->timeout;
			rec.value = i;
			model_trace(e->m, &rec);
		}
		cmdq_ats_finished(t->q, t->timeout);
	}
	cmdq_ep_reschedule(ep);
	if (freed && e->itag_waiters) {
		/* A free ITag: let every queue waiting for one try again. */
		for (uint32_t i = 0; i < e->nqueues; i++) {
			struct cmdq_queue *q = e->queues[i];

			if (q->itag_wait) {
				q->itag_wait = false;
				e->itag_waiters--;
				cmdq_update_ready(q);
			}
		}
	}
	cmdq_dispatch(e);
}

/* Reserve an ITag for @sid; false if the endpoint has none free. */
bool cmdq_itag_reserve(struct cmdq_engine *e, uint32_t sid)
{
	struct cmdq_ep *ep = cmdq_ep_find(e, sid, true);

	if (!ep || ep->busy >= e->cfg->ats_outstanding)
		return false;
	for (uint32_t i = 0; i < e->cfg->ats_outstanding; i++) {
		if (!ep->tags[i].busy) {
			ep->tags[i].busy = true;
			ep->tags[i].due = SIM_TIME_NEVER;
			ep->tags[i].timeout = false;
			ep->busy++;
			e->xtag_ep = ep;
			e->xtag = (int)i;
			return true;
		}
	}
	return false;
}

/* Send the ATC_INV on the processor: ATS Invalidate Request with its ITag. */
void cmdq_ats_send(struct cmdq_engine *e, struct cmdq_queue *q,
		   const struct cmd *c)
{
	const struct cmdqv_config *cfg = e->cfg;
	struct cmdq_ep *ep = e->xtag_ep;
	struct cmdq_itag *t = &ep->tags[e->xtag];
	struct cmdqv_ats_req req;
	sim_time_t lat = 0, rt;
	int res;

	memset(&req, 0, sizeof(req));
	req.sid = c->sid;
	req.ssid = c->ssid;
	req.ssv = c->ssv;
	req.global =
		c->ssv &&
		c->global; /* Global is IGNORED with SSV=0 (IHI 0070 4.5.1) */
	if (c->size >= CMDQ_ATC_SIZE_ALL) {
		req.addr = 0;
		req.bytes = UINT64_MAX;
	} else {
		/* Span 4 KiB * 2^Size, aligned to itself (IHI 0070 4.5.1). */
		req.bytes = (uint64_t)4096 << c->size;
		req.addr = c->addr & ~(req.bytes - 1);
	}
	req.itag = (uint8_t)e->xtag;
	res = model_ats_inv(e->m, &req, &lat);
	rt = sim_time_add(sim_time_add(cfg->ats_link_latency,
				       cfg->ats_link_latency),
			  lat);
	t->q = q;
	if (res == CMDQV_ATS_COMPLETES && rt <= cfg->atc_timeout) {
		t->due = sim_time_add(e->k->now, rt);
		t->timeout = false;
	} else {
		t->due = sim_time_add(e->k->now, cfg->atc_timeout);
		t->timeout = true;
	}
	q->ats_pending++;
	e->xtag_ep = NULL;
	model_stats(e->m)->ats_requests++;
	if (model_tracing(e->m, CMDQV_TR_ATS_REQ)) {
		struct cmdqv_trace_rec rec;

		memset(&rec, 0, sizeof(rec));
		rec.kind = CMDQV_TR_ATS_REQ;
		rec.queue = q->id;
		rec.sid = req.sid;
		rec.offset = req.addr;
		rec.value = req.bytes;
		rec.code = req.itag;
		model_trace(e->m, &rec);
	}
	cmdq_ep_reschedule(ep);
}

/* ------------------------------------------------------------------ */
/* CMD_SYNC completion and its MSI (IHI 0070 4.7.3)        */
/* ------------------------------------------------------------------ */

void cmdq_msi_fire(struct sim_kernel *k, struct sim_event *ev)
{
	struct cmdq_engine *e = ev->arg;

	while (e->msi_count && e->msi[e->msi_head].due <= k->now) {
		struct cmdq_msi *msi = &e->msi[e->msi_head];
		uint32_t data = msi->data;

		struct cmdq_queue *q = msi->q;

		e->msi_head = (e->msi_head + 1) % CMDQ_MSI_FIFO;
		e->msi_count--;
		model_stats(e->m)->msi_writes++;
		/* One 32-bit write of MSIData (IHI 0070 4.7.3); an abort sets
                 * GERROR.MSI_CMDQ_ABT_ERR. */
		if (model_dma_write(e->m, msi->addr, &data, sizeof(data)) != 0)
			e->ops->msi_abort(e->ops_ctx);
		q->msi_pending--;
		cmdq_sync_recheck(q);
	}
	if (e->msi_count)
		sim_schedule_at(k, ev, e->msi[e->msi_head].due);
}

/* CMD_SYNC at the head of @q has nothing left to wait for. */
void cmdq_sync_done(struct cmdq_queue *q)
{
	struct cmdq_engine *e = q->eng;
	const struct cmdqv_config *cfg = e->cfg;
	struct cmdq_ent *en = cmdq_ent_at(q, q->head_seq);
	struct cmd c;
	uint8_t cs;

	q->sync_wait = false;
	if (q->atc_timed_out) {
		/* SMMU_CERROR_ATC_INV_SYNC: CONS stays on the SYNC, no signal
                 * (IHI 0070 4.7.3, 3.9.1.4); the retried SYNC completes unless
                 * new timeouts. */
		q->atc_timed_out = false;
		cmdq_halt(q, SMMU_CERROR_ATC_INV_SYNC);
		return;
	}
	cmd_decode(en->dw, &c);
	cs = q->sync_cs_none_only ? CMD_SYNC_CS_NONE : c.cs;
	cmdq_consume(q);
	if (cs == CMD_SYNC_CS_IRQ) {
		bool use_msi = cfg->msi && c.msiaddr != 0;

		/* The SYNC's own wired line pulses whatever MSIAddress holds
                 * (IHI 0070 4.7.3); sync_irq_wired = 0 keeps issue
                 * #2's reading: the line only when no MSI is written. */
		if (!use_msi || cfg->sync_irq_wired)
			model_irq_pulse(q->m, CMDQV_IRQ_CMD_SYNC);
		if (use_msi) {
			/* MSI after msi_latency; the FIFO is in due order
                         * because the latency is constant. */
			if (e->msi_count < CMDQ_MSI_FIFO) {
				struct cmdq_msi *msi =
					&e->msi[(e->msi_head + e->msi_count) %
						CMDQ_MSI_FIFO];

				msi->addr = cmdq_oas_addr(cfg, c.msiaddr);
				msi->data = c.msidata;
				msi->due = sim_time_add(e->k->now,
							cfg->msi_latency);
				msi->q = q;
				q->msi_pending++;
				if (!e->msi_count)
					sim_schedule_at(e->k, &e->msi_ev,
							msi->due);
				e->msi_count++;
			} else {
				uint32_t data = c.msidata;

				/* FIFO full (pathological): write now. */
				model_stats(e->m)->msi_writes++;
				if (model_dma_write(
					    e->m, cmdq_oas_addr(cfg, c.msiaddr),
					    &data, sizeof(data)) != 0)
					e->ops->msi_abort(e->ops_ctx);
			}
		}
	} else if (cs == CMD_SYNC_CS_SEV && cfg->sev) {
		model_sev(q->m); /* SIG_SEV without SEV acts as SIG_NONE */
	}
}

void cmdq_sync_ev_fire(struct sim_kernel *k, struct sim_event *ev)
{
	struct cmdq_queue *q = ev->arg;

	(void)k;
	if (!q->sync_wait)
		return;
	cmdq_sync_done(q);
	cmdq_dispatch(q->eng);
}

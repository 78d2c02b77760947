/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmdq.c - the command queue engine: one implementation for the SMMU CMDQ
 * and every VCMDQ (internal.h, "cmdq.c").
 *
 * Structure (docs/architecture.md has the diagram):
 *
 *   PROD write ──► fetch: DMA bursts of up to fetch_burst_bytes, aligned,
 *                  never crossing the ring end; at most fetch_buffer_entries
 *                  read ahead per queue and fetch_slots bursts in flight over
 *                  all queues; a burst lands after
 *                  fetch_latency + entries * fetch_beat_cycles.
 *   read-ahead  ──► arbiter: round-robin over the queues whose next command
 *                  has been fetched, up to arb_batch commands per turn,
 *                  arb_switch_cycles to change queue.
 *               ──► command processor (one, shared): decode, legality,
 *                  owner filter, per-opcode cost, effect, CONS + 1.
 *   ATC_INV     ──► ATS request with an ITag (ats_outstanding per StreamID);
 *                  completion after 2 * ats_link_latency + endpoint time, or
 *                  a timeout after atc_timeout.
 *   CMD_SYNC    ──► waits (without holding the processor) until every
 *                  earlier ATC_INV of its queue has completed, then signals.
 *
 * Times are derived from params.def only.  Nothing here allocates after
 * create: the read-ahead buffers, fetch slots, ITag tables and the MSI FIFO
 * are fixed arrays.  A register write only updates state and schedules
 * events; commands execute in event callbacks.
 */
#include <stdlib.h>
#include <string.h>

#include "cmdqv_sim/status.h"
#include "internal.h"

#define CMDQ_ENT_BYTES 16u
#define CMDQ_MARKS 16u /* PROD-write publish marks per queue */
#define CMDQ_MSI_FIFO 64u /* CMD_SYNC MSIs in flight over all queues */
#define CMDQ_ATC_SIZE_ALL CMD_ATC_INV_SIZE_ALL

/** Read-ahead entry states. */
enum cmdq_ent_state {
	ENT_EMPTY = 0, /* not fetched (or discarded) */
	ENT_PENDING = 1, /* burst in flight */
	ENT_VALID = 2, /* fetched */
	ENT_ABORT =
		3, /* the fetch of this entry aborted (CERROR_ABT when reached) */
};

/**
 * struct cmdq_ent - one read-ahead slot (entry sequence number % rb_cap).
 * @dw:          the command words as fetched
 * @t_published: time of the PROD write that published it
 * @t_fetched:   time its burst landed
 * @t_exec_*:    processor start / end (SYNC: end = start of its wait)
 */
struct cmdq_ent {
	uint64_t dw[2];
	sim_time_t t_published, t_fetched, t_exec_start, t_exec_end;
	uint8_t state;
};

/** struct cmdq_mark - entries with sequence < @end_seq were published by @t. */
struct cmdq_mark {
	uint64_t end_seq;
	sim_time_t t;
};

/**
 * struct cmdq_burst - one fetch slot.
 * @q, @gen: owning queue and its fetch generation at issue (stale bursts are
 *           dropped when they land)
 * @pos, @seq, @n: first entry position / sequence number, entry count
 */
struct cmdq_burst {
	struct sim_event ev;
	struct cmdq_engine *e;
	struct cmdq_queue *q;
	uint32_t gen;
	uint32_t pos;
	uint64_t seq;
	uint32_t n;
	bool busy;
};

/** struct cmdq_itag - one outstanding ATS invalidation. */
struct cmdq_itag {
	struct cmdq_queue *q;
	sim_time_t due; /* completion or timeout time; NEVER until sent */
	bool busy;
	bool timeout; /* @due is the timeout: no completion will come */
};

/**
 * struct cmdq_ep - ITag table of one endpoint (StreamID) with invalidations
 * in flight.  One event per endpoint, scheduled at the earliest @due.
 */
struct cmdq_ep {
	struct sim_event ev;
	struct cmdq_engine *e;
	uint32_t sid;
	uint32_t busy; /* ITags in use; 0 = the entry is free */
	struct cmdq_itag *tags;
};

/** struct cmdq_msi - one CMD_SYNC MSI write waiting for msi_latency. */
struct cmdq_msi {
	uint64_t addr;
	uint32_t data;
	sim_time_t due;
	struct cmdq_queue *q;
};

/**
 * struct cmdq_engine - fetch slots, arbiter, command processor, ITags.
 * @ready:     bitmap of queues whose next command can start now
 * @fetchwait: bitmap of queues waiting for a free fetch slot
 * @cur:       queue of the command on the processor (or last served)
 * @batch:     commands served from @cur in its current turn
 * @xc, @xerr: decoded (filtered) command on the processor, its CERROR
 * @xtag_ep, @xtag: ITag reserved for an ATC_INV on the processor
 */
struct cmdq_engine {
	struct cmdqv_model *m;
	const struct cmdqv_config *cfg;
	struct sim_kernel *k;
	struct cmdq_queue **queues;
	uint32_t nqueues, maxq, nwords;
	uint64_t *ready, *fetchwait;
	uint32_t fetch_rr;
	struct cmdq_burst *bursts;
	uint32_t nbursts, bursts_free, burst_entries;
	sim_time_t t_fetch_base, t_beat;

	struct sim_event proc_ev;
	bool proc_busy;
	struct cmdq_queue *cur;
	uint32_t cur_slot;
	uint32_t batch;
	struct cmd xc;
	uint8_t xerr;
	bool xsync_wait;
	struct cmdq_ep *xtag_ep;
	int xtag;

	struct cmdq_ep *eps;
	struct cmdq_itag *tags;
	uint32_t neps, itag_waiters;

	struct cmdq_msi msi[CMDQ_MSI_FIFO];
	uint32_t msi_head, msi_count;
	struct sim_event msi_ev;
};

static void cmdq_dispatch(struct cmdq_engine *e);
static void cmdq_fetch(struct cmdq_queue *q);

/* ------------------------------------------------------------------ */
/* small helpers                                                       */
/* ------------------------------------------------------------------ */

static void bm_set(uint64_t *bm, uint32_t i, bool v)
{
	if (v)
		bm[i / 64] |= UINT64_C(1) << (i % 64);
	else
		bm[i / 64] &= ~(UINT64_C(1) << (i % 64));
}

static bool bm_get(const uint64_t *bm, uint32_t i)
{
	return (bm[i / 64] >> (i % 64)) & 1;
}

/* First set bit in [lo, hi), or UINT32_MAX. */
static uint32_t bm_find(const uint64_t *bm, uint32_t lo, uint32_t hi)
{
	while (lo < hi) {
		uint32_t w = lo / 64;
		uint64_t bits = bm[w] & (~UINT64_C(0) << (lo % 64));

		if (bits) {
			uint32_t i = w * 64 + (uint32_t)__builtin_ctzll(bits);

			return i < hi ? i : UINT32_MAX;
		}
		lo = (w + 1) * 64;
	}
	return UINT32_MAX;
}

/* First set bit at or after @from among @n, wrapping round; UINT32_MAX if none. */
static uint32_t bm_next(const uint64_t *bm, uint32_t n, uint32_t from)
{
	uint32_t i = bm_find(bm, from, n);

	return i != UINT32_MAX ? i : bm_find(bm, 0, from);
}

static struct cmdq_ent *cmdq_ent_at(const struct cmdq_queue *q, uint64_t seq)
{
	return &q->rb[seq % q->rb_cap];
}

static bool cmdq_runnable(const struct cmdq_queue *q)
{
	return q->enabled && !q->halted &&
	       (!q->ops->can_run || q->ops->can_run(q));
}

/* Published, not yet consumed (0 if PROD is behind CONS in a way software
 * may not do: such a pair is CU and the model consumes nothing, IHI 0070
 * 6.3.27). */
static uint32_t cmdq_published(const struct cmdq_queue *q)
{
	uint32_t used = ring_used(q->ring, q->prod, q->cons);

	return used > ring_entries(q->ring) ? 0 : used;
}

static void cmdq_update_ready(struct cmdq_queue *q)
{
	struct cmdq_engine *e = q->eng;
	bool ready = false;

	if (cmdq_runnable(q) && !q->exec_busy && !q->itag_wait &&
	    q->fetch_seq > q->head_seq) {
		uint8_t st = cmdq_ent_at(q, q->head_seq)->state;

		ready = st == ENT_VALID || st == ENT_ABORT;
	}
	bm_set(e->ready, q->slot, ready);
}

/* Drop everything read ahead (keeping the head entry while the processor
 * holds it), and every burst in flight (IHI 0070 3.21.2). */
static void cmdq_discard(struct cmdq_queue *q)
{
	uint64_t keep = q->head_seq + (q->exec_busy ? 1 : 0);

	for (uint64_t s = keep; s < q->fetch_seq; s++)
		cmdq_ent_at(q, s)->state = ENT_EMPTY;
	q->fetch_seq = keep;
	q->fetch_pos =
		ring_add(q->ring, q->cons, (uint32_t)(keep - q->head_seq));
	q->fetch_gen++;
	q->fetch_stop = false;
	bm_set(q->eng->fetchwait, q->slot, false);
}

/* t_published of entry @seq from the publish marks. */
static sim_time_t cmdq_published_at(const struct cmdq_queue *q, uint64_t seq)
{
	for (uint32_t i = 0; i < q->marks_count; i++) {
		const struct cmdq_mark *mk =
			&q->marks[(q->marks_head + i) % CMDQ_MARKS];

		if (seq < mk->end_seq)
			return mk->t;
	}
	return q->eng->k->now;
}

static void cmdq_trace_simple(struct cmdq_queue *q, enum cmdqv_trace_kind kind,
			      uint32_t pos, uint32_t count, uint32_t code)
{
	struct cmdqv_trace_rec rec;

	memset(&rec, 0, sizeof(rec));
	rec.kind = kind;
	rec.queue = q->id;
	rec.pos = pos;
	rec.count = count;
	rec.code = code;
	model_trace(q->m, &rec);
}

/* ------------------------------------------------------------------ */
/* errors (IHI 0070 7.1, 6.3.28, 4.7.3, 3.9.1.4, 6.3.19, 6.3.20)              */
/* ------------------------------------------------------------------ */

/* Halt @q on its head entry with CERROR @code. */
static void cmdq_halt(struct cmdq_queue *q, uint8_t code)
{
	struct cmdq_engine *e = q->eng;

	q->exec_busy = false;
	q->sync_wait = false;
	if (q->itag_wait) {
		q->itag_wait = false;
		e->itag_waiters--;
	}
	sim_cancel(e->k, &q->sync_ev);
	q->err = code; /* visible before GERROR toggles (IHI 0070 6.3.28) */
	q->halted = true;
	cmdq_discard(q);
	bm_set(e->ready, q->slot, false);
	model_stats(q->m)->errors++;
	if (model_tracing(q->m))
		cmdq_trace_simple(q, CMDQV_TR_ERROR, q->cons, 0, code);
	q->ops->error(q, code);
}

/* ------------------------------------------------------------------ */
/* fetch                                                               */
/* ------------------------------------------------------------------ */

static void cmdq_fetch(struct cmdq_queue *q)
{
	struct cmdq_engine *e = q->eng;

	if (!cmdq_runnable(q) || q->fetch_stop)
		return;
	for (;;) {
		uint32_t fetched = (uint32_t)(q->fetch_seq - q->head_seq);
		uint32_t published = cmdq_published(q);
		uint32_t idx, n, entries = ring_entries(q->ring);
		struct cmdq_burst *b = NULL;

		if (fetched >= published || fetched >= q->rb_cap)
			return;
		if (!e->bursts_free) {
			bm_set(e->fetchwait, q->slot, true);
			return;
		}
		idx = ring_idx(q->ring, q->fetch_pos);
		n = published - fetched;
		/* Aligned bursts that never cross the ring end. */
		if (n > e->burst_entries - idx % e->burst_entries)
			n = e->burst_entries - idx % e->burst_entries;
		if (n > entries - idx)
			n = entries - idx;
		if (n > q->rb_cap)
			n = q->rb_cap;
		/* Wait until the whole burst fits in the read-ahead buffer
                 * rather than issuing a short one for each freed slot. */
		if (n > q->rb_cap - fetched)
			return;
		for (uint32_t i = 0; i < e->nbursts; i++) {
			if (!e->bursts[i].busy) {
				b = &e->bursts[i];
				break;
			}
		}
		b->busy = true;
		e->bursts_free--;
		b->q = q;
		b->gen = q->fetch_gen;
		b->pos = q->fetch_pos;
		b->seq = q->fetch_seq;
		b->n = n;
		q->bursts++;
		for (uint32_t i = 0; i < n; i++)
			cmdq_ent_at(q, q->fetch_seq + i)->state = ENT_PENDING;
		q->fetch_seq += n;
		q->fetch_pos = ring_add(q->ring, q->fetch_pos, n);
		sim_schedule_in(e->k, &b->ev,
				e->t_fetch_base + (sim_time_t)n * e->t_beat);
	}
}

/* Give free fetch slots to queues waiting for one, round-robin. */
static void cmdq_fetch_waiters(struct cmdq_engine *e)
{
	while (e->bursts_free) {
		uint32_t i = bm_next(e->fetchwait, e->nqueues, e->fetch_rr);

		if (i == UINT32_MAX)
			return;
		bm_set(e->fetchwait, i, false);
		e->fetch_rr = (i + 1) % e->nqueues;
		cmdq_fetch(e->queues[i]);
	}
}

static void cmdq_burst_land(struct sim_kernel *k, struct sim_event *ev)
{
	struct cmdq_burst *b = ev->arg;
	struct cmdq_engine *e = b->e;
	struct cmdq_queue *q = b->q;
	uint64_t buf[2 * 64];
	uint32_t n = b->n, bad = UINT32_MAX;

	b->busy = false;
	e->bursts_free++;
	q->bursts--;
	if (b->gen == q->fetch_gen && b->seq < q->fetch_seq) {
		uint64_t addr = ring_entry_addr(q->ring, q->base, b->pos);
		struct cmdqv_stats *st = model_stats(q->m);

		if (n > q->fetch_seq - b->seq)
			n = (uint32_t)(q->fetch_seq -
				       b->seq); /* entries past an abort */
		/* Read in chunks of the local buffer (a burst may be larger). */
		for (uint32_t done = 0; done < n && bad == UINT32_MAX;) {
			uint32_t c = n - done > 64 ? 64 : n - done;

			if (model_dma_read(q->m,
					   addr + (uint64_t)done *
							   CMDQ_ENT_BYTES,
					   buf, c * CMDQ_ENT_BYTES) != 0) {
				/* Find the first entry that aborts; the ones
                                 * before it are good (IHI 0070 7.1). */
				for (uint32_t i = 0; i < c; i++) {
					if (model_dma_read(
						    q->m,
						    addr + (uint64_t)(done + i) *
								    CMDQ_ENT_BYTES,
						    &buf[2 * i],
						    CMDQ_ENT_BYTES) != 0) {
						bad = done + i;
						c = i;
						break;
					}
				}
			}
			for (uint32_t i = 0; i < c; i++) {
				struct cmdq_ent *en =
					cmdq_ent_at(q, b->seq + done + i);

				en->dw[0] = buf[2 * i];
				en->dw[1] = buf[2 * i + 1];
				en->t_fetched = k->now;
				en->t_published =
					cmdq_published_at(q, b->seq + done + i);
				en->state = ENT_VALID;
			}
			done += c;
		}
		if (bad != UINT32_MAX) {
			uint64_t bseq = b->seq + bad;
			struct cmdq_ent *en = cmdq_ent_at(q, bseq);

			en->state = ENT_ABORT;
			en->t_fetched = k->now;
			en->t_published = cmdq_published_at(q, bseq);
			/* Nothing past the bad entry is fetched until the
                         * error is acknowledged. */
			for (uint64_t s = bseq + 1; s < q->fetch_seq; s++)
				cmdq_ent_at(q, s)->state = ENT_EMPTY;
			q->fetch_seq = bseq + 1;
			q->fetch_pos =
				ring_add(q->ring, q->cons,
					 (uint32_t)(bseq + 1 - q->head_seq));
			q->fetch_stop = true;
			bm_set(e->fetchwait, q->slot, false);
			n = bad + 1;
		}
		st->fetch_bursts++;
		if (model_tracing(q->m))
			cmdq_trace_simple(q, CMDQV_TR_FETCH, b->pos, n,
					  bad != UINT32_MAX);
		cmdq_update_ready(q);
	}
	cmdq_fetch_waiters(e);
	cmdq_fetch(q);
	cmdq_dispatch(e);
}

/* ------------------------------------------------------------------ */
/* legality (IHI 0070 4.4, 4.1.3)                              */
/* ------------------------------------------------------------------ */

/* Range fields of a by-address TLBI. */
static uint8_t cmdq_check_range(const struct cmdqv_config *cfg, struct cmd *c)
{
	if (!cfg->ril) {
		/* RIL == 0: SCALE/NUM/TG/TTL are RES0; this model takes the
                 * "ignore reserved fields" choice and acts as TG=0 (IHI 0070
                 * 4.1.3). */
		c->num = c->scale = c->tg = c->ttl = 0;
		return CERROR_NONE;
	}
	/* TG != 0 with NUM = SCALE = TTL = 0 is Reserved (IHI 0070 4.4.1.1). */
	if (c->tg != 0 && c->num == 0 && c->scale == 0 && c->ttl == 0)
		return CERROR_ILL;
	return CERROR_NONE;
}

/* CERROR for command @c on a Non-secure queue of this platform.  Reserved
 * fields other than those named here are ignored (IHI 0070 4.1.3 allows
 * either). */
static uint8_t cmdq_check_legal(const struct cmdqv_config *cfg, struct cmd *c)
{
	/* SSec=1 on the NS queue (IHI 0070 4.1.3). */
	if (c->ssec)
		return CERROR_ILL;
	switch (c->opcode) {
	case CMDQ_OP_PREFETCH_CONFIG:
	case CMDQ_OP_PREFETCH_ADDR:
	case CMDQ_OP_CFGI_STE:
	case CMDQ_OP_CFGI_STE_RANGE:
	case CMDQ_OP_TLBI_NSNH_ALL:
		return CERROR_NONE;
	case CMDQ_OP_CFGI_CD:
	case CMDQ_OP_CFGI_CD_ALL:
		return cfg->s1p ? CERROR_NONE : CERROR_ILL; /* IHI 0070 4.4 */
	case CMDQ_OP_TLBI_NH_ALL:
	case CMDQ_OP_TLBI_NH_ASID:
		return cfg->s1p ?
			       CERROR_NONE :
			       CERROR_ILL; /* NH_* on S2-only, IHI 0070 4.4 */
	case CMDQ_OP_TLBI_NH_VA:
	case CMDQ_OP_TLBI_NH_VAA:
		return cfg->s1p ? cmdq_check_range(cfg, c) : CERROR_ILL;
	case CMDQ_OP_TLBI_EL3_ALL:
	case CMDQ_OP_TLBI_EL3_VA:
		return CERROR_ILL; /* EL3_* only on the Secure queue (IHI 0070 4.4) */
	case CMDQ_OP_TLBI_EL2_ALL:
	case CMDQ_OP_TLBI_EL2_ASID:
		return cfg->hyp ? CERROR_NONE : CERROR_ILL; /* IHI 0070 4.4 */
	case CMDQ_OP_TLBI_EL2_VA:
	case CMDQ_OP_TLBI_EL2_VAA:
		return cfg->hyp ? cmdq_check_range(cfg, c) : CERROR_ILL;
	case CMDQ_OP_TLBI_S12_VMALL:
		return cfg->s2p ? CERROR_NONE : CERROR_ILL; /* IHI 0070 4.4 */
	case CMDQ_OP_TLBI_S2_IPA:
		return cfg->s2p ? cmdq_check_range(cfg, c) : CERROR_ILL;
	case CMDQ_OP_ATC_INV:
		/* ILL without ATS, and for Size > 52 (IHI 0070 4.5.1, 4.1.3:
		 * the
                 * model takes the ILL choice). */
		if (!cfg->ats || c->size > CMDQ_ATC_SIZE_ALL)
			return CERROR_ILL;
		return CERROR_NONE;
	case CMDQ_OP_PRI_RESP:
		return cfg->pri && c->resp != 3 ?
			       CERROR_NONE :
			       CERROR_ILL; /* IHI 0070 4.1.3 */
	case CMDQ_OP_RESUME:
	case CMDQ_OP_STALL_TERM:
		return cfg->stall ?
			       CERROR_NONE :
			       CERROR_ILL; /* STALL_MODEL=01, IHI 0070 4.1.3 */
	case CMDQ_OP_SYNC:
		return c->cs == 3 ?
			       CERROR_ILL :
			       CERROR_NONE; /* CS Reserved, IHI 0070 4.7.3 */
	default:
		/* Reserved opcodes and the IMPLEMENTATION DEFINED 0x80-0x8F
                 * range, which this model does not define (IHI 0070 4.1.3). */
		return CERROR_ILL;
	}
}

/* Processor cycles for a legal command (params.def, "command execution"). */
static uint64_t cmdq_cost(const struct cmdqv_config *cfg, const struct cmd *c)
{
	uint64_t cyc = cfg->exec_cycles;

	switch (c->opcode) {
	case CMDQ_OP_TLBI_NH_VA:
	case CMDQ_OP_TLBI_NH_VAA:
	case CMDQ_OP_TLBI_EL2_VA:
	case CMDQ_OP_TLBI_EL2_VAA:
	case CMDQ_OP_TLBI_S2_IPA: {
		/* Per granule page, capped by a whole-TLB walk. */
		uint64_t pages = cmd_tlbi_range_pages(c);
		uint64_t per = cfg->tlbi_va_cycles, cap = cfg->tlbi_scan_cycles;

		if (per && pages >= (cap + per - 1) / per)
			cyc += cap;
		else
			cyc += pages * per;
		break;
	}
	case CMDQ_OP_TLBI_NH_ALL:
	case CMDQ_OP_TLBI_NH_ASID:
	case CMDQ_OP_TLBI_EL2_ALL:
	case CMDQ_OP_TLBI_EL2_ASID:
	case CMDQ_OP_TLBI_S12_VMALL:
	case CMDQ_OP_TLBI_NSNH_ALL:
		cyc += cfg->tlbi_scan_cycles;
		break;
	case CMDQ_OP_CFGI_STE:
	case CMDQ_OP_CFGI_STE_RANGE:
	case CMDQ_OP_CFGI_CD:
	case CMDQ_OP_CFGI_CD_ALL:
		cyc += cfg->cfgi_cycles;
		break;
	case CMDQ_OP_ATC_INV:
		cyc += cfg->atc_inv_cycles;
		break;
	default:
		break;
	}
	return cyc;
}

/* ------------------------------------------------------------------ */
/* ATS invalidations and ITags (IHI 0070 3.9.1.4, 4.7.3, 4.5.1)             */
/* ------------------------------------------------------------------ */

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

static void cmdq_sync_done(struct cmdq_queue *q);

/* What a CMD_SYNC of @q must wait for: earlier ATC_INV completions and
 * earlier SYNCs' MSI writes (IHI 0070 4.7.3). */
static bool cmdq_sync_blocked(const struct cmdq_queue *q)
{
	return q->ats_pending || q->msi_pending;
}

/* Something a waiting SYNC depends on finished: end the wait if it was the last. */
static void cmdq_sync_recheck(struct cmdq_queue *q)
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

static void cmdq_ep_fire(struct sim_kernel *k, struct sim_event *ev)
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
		if (model_tracing(e->m)) {
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
static bool cmdq_itag_reserve(struct cmdq_engine *e, uint32_t sid)
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
static void cmdq_ats_send(struct cmdq_engine *e, struct cmdq_queue *q,
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
	rt = 2 * cfg->ats_link_latency + lat;
	t->q = q;
	if (res == CMDQV_ATS_COMPLETES && rt <= cfg->atc_timeout) {
		t->due = e->k->now + rt;
		t->timeout = false;
	} else {
		t->due = e->k->now + cfg->atc_timeout;
		t->timeout = true;
	}
	q->ats_pending++;
	e->xtag_ep = NULL;
	model_stats(e->m)->ats_requests++;
	if (model_tracing(e->m)) {
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
/* completion                                                          */
/* ------------------------------------------------------------------ */

/* The head command of @q completed: CONS moves past it (IHI 0070 4.7.3). */
static void cmdq_consume(struct cmdq_queue *q)
{
	struct cmdq_ent *en = cmdq_ent_at(q, q->head_seq);
	struct cmdqv_stats *st = model_stats(q->m);
	uint8_t op = (uint8_t)(en->dw[0] & 0xff);

	st->commands++;
	st->by_opcode[op]++;
	if (model_tracing(q->m)) {
		struct cmdqv_trace_rec rec;

		memset(&rec, 0, sizeof(rec));
		rec.kind = CMDQV_TR_CMD;
		rec.queue = q->id;
		rec.pos = q->cons;
		rec.dw[0] = en->dw[0];
		rec.dw[1] = en->dw[1];
		rec.t_published = en->t_published;
		rec.t_fetched = en->t_fetched;
		rec.t_exec_start = en->t_exec_start;
		rec.t_exec_end = en->t_exec_end;
		model_trace(q->m, &rec);
	}
	en->state = ENT_EMPTY;
	q->cons = ring_add(q->ring, q->cons, 1);
	/* VCMDQ SYNCs are CS=NONE: a WFE poller of CONS needs this event
	 * (params.def vcmdq_cons_sev; docs/linux-driver.md). */
	if (q->id != CMDQV_QUEUE_SMMU && q->eng->cfg->sev &&
	    q->eng->cfg->vcmdq_cons_sev)
		model_sev(q->m);
	q->head_seq++;
	q->exec_busy = false;
	while (q->marks_count &&
	       q->marks[q->marks_head].end_seq <= q->head_seq) {
		q->marks_head = (q->marks_head + 1) % CMDQ_MARKS;
		q->marks_count--;
	}
	cmdq_fetch(q);
	cmdq_update_ready(q);
}

static void cmdq_msi_fire(struct sim_kernel *k, struct sim_event *ev)
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
			smmu_gerror_raise(model_smmu(e->m),
					  SMMU_GERROR_MSI_CMDQ_ABT_BIT);
		q->msi_pending--;
		cmdq_sync_recheck(q);
	}
	if (e->msi_count)
		sim_schedule_at(k, ev, e->msi[e->msi_head].due);
}

/* CMD_SYNC at the head of @q has nothing left to wait for. */
static void cmdq_sync_done(struct cmdq_queue *q)
{
	struct cmdq_engine *e = q->eng;
	const struct cmdqv_config *cfg = e->cfg;
	struct cmdq_ent *en = cmdq_ent_at(q, q->head_seq);
	struct cmd c;
	uint8_t cs;

	q->sync_wait = false;
	if (q->atc_timed_out) {
		/* CERROR_ATC_INV_SYNC: CONS stays on the SYNC, no signal
                 * (IHI 0070 4.7.3, 3.9.1.4); the retried SYNC completes unless
                 * new timeouts. */
		q->atc_timed_out = false;
		cmdq_halt(q, CERROR_ATC_INV_SYNC);
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

				msi->addr = c.msiaddr;
				msi->data = c.msidata;
				msi->due = e->k->now + cfg->msi_latency;
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
				if (model_dma_write(e->m, c.msiaddr, &data,
						    sizeof(data)) != 0)
					smmu_gerror_raise(
						model_smmu(e->m),
						SMMU_GERROR_MSI_CMDQ_ABT_BIT);
			}
		}
	} else if (cs == CMD_SYNC_CS_SEV && cfg->sev) {
		model_sev(q->m); /* SIG_SEV without SEV acts as SIG_NONE */
	}
}

static void cmdq_sync_ev_fire(struct sim_kernel *k, struct sim_event *ev)
{
	struct cmdq_queue *q = ev->arg;

	(void)k;
	if (!q->sync_wait)
		return;
	cmdq_sync_done(q);
	cmdq_dispatch(q->eng);
}

/* ------------------------------------------------------------------ */
/* arbiter and processor                                               */
/* ------------------------------------------------------------------ */

/* Next queue to serve, and whether that is a switch. */
static struct cmdq_queue *cmdq_arb_pick(struct cmdq_engine *e, bool *switched)
{
	uint32_t i;

	*switched = false;
	if (e->cur && bm_get(e->ready, e->cur_slot) &&
	    e->batch < e->cfg->arb_batch)
		return e->cur;
	i = bm_next(e->ready, e->nqueues,
		    e->cur ? (e->cur_slot + 1) % e->nqueues : 0);
	if (i == UINT32_MAX)
		return NULL;
	*switched = e->queues[i] != e->cur;
	e->batch = 0;
	e->cur = e->queues[i];
	e->cur_slot = i;
	return e->cur;
}

/* Start the head command of a queue; returns false if it did not occupy
 * the processor (error raised at once, or the queue went to wait). */
static bool cmdq_exec_start(struct cmdq_engine *e, struct cmdq_queue *q,
			    bool switched)
{
	const struct cmdqv_config *cfg = e->cfg;
	struct cmdq_ent *en = cmdq_ent_at(q, q->head_seq);
	struct cmd *c = &e->xc;
	uint64_t cyc;
	uint8_t err;

	if (en->state == ENT_ABORT) {
		/* The processor reached an entry whose fetch aborted (IHI 0070
		 * 7.1). */
		cmdq_halt(q, CERROR_ABT);
		return false;
	}
	e->xtag_ep = NULL;
	cmd_decode(en->dw, c);
	err = cmdq_check_legal(cfg, c);
	if (err == CERROR_NONE && q->ops->filter)
		err = q->ops->filter(q, c);
	e->xerr = err;
	e->xsync_wait = false;
	if (err != CERROR_NONE) {
		cyc = cfg->exec_cycles; /* detected at decode */
	} else {
		cyc = cmdq_cost(cfg, c);
		if (c->opcode == CMDQ_OP_ATC_INV &&
		    smmu_enabled(model_smmu(e->m))) {
			if (!cmdq_itag_reserve(e, c->sid)) {
				/* No ITag: the queue waits, not the processor. */
				q->itag_wait = true;
				e->itag_waiters++;
				cmdq_update_ready(q);
				return false;
			}
		} else if (c->opcode == CMDQ_OP_SYNC) {
			if (cmdq_sync_blocked(q))
				e->xsync_wait =
					true; /* wait without the processor */
			else
				cyc += cfg->sync_cycles;
		}
	}
	q->exec_busy = true;
	bm_set(e->ready, q->slot, false);
	e->proc_busy = true;
	e->batch++;
	en->t_exec_start =
		e->k->now +
		(switched ? model_cycles(e->m, cfg->arb_switch_cycles) : 0);
	sim_schedule_at(e->k, &e->proc_ev,
			en->t_exec_start + model_cycles(e->m, cyc));
	return true;
}

static void cmdq_proc_done(struct sim_kernel *k, struct sim_event *ev)
{
	struct cmdq_engine *e = ev->arg;
	struct cmdq_queue *q = e->cur;
	struct cmdq_ent *en = cmdq_ent_at(q, q->head_seq);
	const struct cmd *c = &e->xc;

	e->proc_busy = false;
	en->t_exec_end = k->now;
	if (e->xerr != CERROR_NONE) {
		cmdq_halt(q, e->xerr);
	} else {
		switch (c->opcode) {
		case CMDQ_OP_SYNC:
			q->sync_wait = true;
			if (cmdq_sync_blocked(q))
				break; /* cmdq_sync_recheck() ends the wait */
			if (e->xsync_wait) /* they finished while it decoded */
				sim_schedule_in(
					k, &q->sync_ev,
					model_cycles(e->m,
						     e->cfg->sync_cycles));
			else
				cmdq_sync_done(q);
			break;
		case CMDQ_OP_ATC_INV:
			if (e->xtag_ep)
				cmdq_ats_send(
					e, q,
					c); /* else IGNORED: SMMUEN=0 (IHI 0070 6.3.9.6) */
			cmdq_consume(q);
			break;
		case CMDQ_OP_CFGI_STE:
		case CMDQ_OP_CFGI_STE_RANGE:
		case CMDQ_OP_CFGI_CD:
		case CMDQ_OP_CFGI_CD_ALL:
			cfgc_invalidate(model_cfgc(e->m), c);
			cmdq_consume(q);
			break;
		case CMDQ_OP_TLBI_NH_ALL:
		case CMDQ_OP_TLBI_NH_ASID:
		case CMDQ_OP_TLBI_NH_VA:
		case CMDQ_OP_TLBI_NH_VAA:
		case CMDQ_OP_TLBI_EL2_ALL:
		case CMDQ_OP_TLBI_EL2_ASID:
		case CMDQ_OP_TLBI_EL2_VA:
		case CMDQ_OP_TLBI_EL2_VAA:
		case CMDQ_OP_TLBI_S12_VMALL:
		case CMDQ_OP_TLBI_S2_IPA:
		case CMDQ_OP_TLBI_NSNH_ALL:
			tlb_invalidate(model_tlb(e->m), c, e->cfg->s2p, NULL);
			cmdq_consume(q);
			break;
		default:
			/* PREFETCH_*: hints, no effect (IHI 0070 4.2);
			 * PRI_RESP,
                         * RESUME, STALL_TERM: consumed, nothing to act on
                         * in this model (no PRI queue, no stalls). */
			cmdq_consume(q);
			break;
		}
	}
	cmdq_dispatch(e);
}

static void cmdq_dispatch(struct cmdq_engine *e)
{
	while (!e->proc_busy) {
		bool switched;
		struct cmdq_queue *q = cmdq_arb_pick(e, &switched);

		if (!q)
			return;
		cmdq_exec_start(e, q, switched);
	}
}

/* ------------------------------------------------------------------ */
/* owner interface (internal.h)                                        */
/* ------------------------------------------------------------------ */

int cmdq_queue_init(struct cmdqv_model *m, struct cmdq_queue *q, int32_t id,
		    const char *name, const struct cmdq_owner_ops *ops,
		    void *owner)
{
	struct cmdq_engine *e = model_engine(m);

	memset(q, 0, sizeof(*q));
	if (!e || e->nqueues >= e->maxq)
		return CMDQV_EINVAL;
	q->m = m;
	q->id = id;
	strncpy(q->name, name, sizeof(q->name) - 1);
	q->ops = ops;
	q->owner = owner;
	q->eng = e;
	q->rb_cap = e->cfg->fetch_buffer_entries;
	q->rb = calloc(q->rb_cap, sizeof(*q->rb));
	q->marks = calloc(CMDQ_MARKS, sizeof(*q->marks));
	if (!q->rb || !q->marks ||
	    sim_event_register(e->k, &q->sync_ev, cmdq_sync_ev_fire, q)) {
		free(q->rb);
		free(q->marks);
		q->rb = NULL;
		q->marks = NULL;
		return CMDQV_ENOMEM;
	}
	q->slot = e->nqueues;
	e->queues[e->nqueues++] = q;
	return CMDQV_OK;
}

void cmdq_queue_deinit(struct cmdq_queue *q)
{
	if (q->eng)
		sim_cancel(q->eng->k, &q->sync_ev);
	free(q->rb);
	free(q->marks);
	q->rb = NULL;
	q->marks = NULL;
}

static void cmdq_reset_marks(struct cmdq_queue *q)
{
	q->marks_head = 0;
	q->marks_count = 0;
}

void cmdq_set_base(struct cmdq_queue *q, uint64_t addr, unsigned log2size)
{
	q->base = addr;
	q->ring.log2size = (uint8_t)log2size;
	q->prod &= ring_pos_mask(q->ring);
	q->cons &= ring_pos_mask(q->ring);
	cmdq_discard(q);
	cmdq_reset_marks(q);
}

void cmdq_set_cons(struct cmdq_queue *q, uint32_t cons)
{
	q->cons = cons & ring_pos_mask(q->ring);
	cmdq_discard(q);
	cmdq_reset_marks(q);
	cmdq_update_ready(q);
}

void cmdq_set_prod(struct cmdq_queue *q, uint32_t prod)
{
	uint64_t end;

	q->prod = prod & ring_pos_mask(q->ring);
	end = q->head_seq + cmdq_published(q);
	if (q->marks_count == 0 ||
	    q->marks[(q->marks_head + q->marks_count - 1) % CMDQ_MARKS].end_seq <
		    end) {
		if (q->marks_count == CMDQ_MARKS) {
			/* Out of marks: the newest one grows (its entries
                         * then report its earlier publish time). */
			q->marks[(q->marks_head + q->marks_count - 1) %
				 CMDQ_MARKS]
				.end_seq = end;
		} else {
			struct cmdq_mark *mk =
				&q->marks[(q->marks_head + q->marks_count) %
					  CMDQ_MARKS];

			mk->end_seq = end;
			mk->t = q->eng->k->now;
			q->marks_count++;
		}
	}
	/* Only schedules bursts: nothing executes inside the write. */
	cmdq_fetch(q);
}

void cmdq_set_enabled(struct cmdq_queue *q, bool enabled)
{
	struct cmdq_engine *e = q->eng;

	if (q->enabled == enabled)
		return;
	q->enabled = enabled;
	if (!enabled) {
		/* Stop fetching, drop read-ahead, let the command on the
                 * processor finish; a SYNC waiting for ATC_INVs is left
                 * unconsumed and runs again after re-enable (IHI 0070 6.3.9,
                 * 6.3.10). */
		if (q->sync_wait) {
			q->sync_wait = false;
			q->exec_busy = false;
			sim_cancel(e->k, &q->sync_ev);
		}
		if (q->itag_wait) {
			q->itag_wait = false;
			e->itag_waiters--;
		}
		cmdq_discard(q);
		bm_set(e->ready, q->slot, false);
		return;
	}
	cmdq_fetch(q);
	cmdq_update_ready(q);
	cmdq_dispatch(e);
}

void cmdq_resume(struct cmdq_queue *q)
{
	if (!q->halted)
		return;
	q->halted = false;
	/* ERR is UNKNOWN once acknowledged (IHI 0070 6.3.28): the model clears
	 * it. */
	q->err = CERROR_NONE;
	cmdq_discard(q);
	/* Re-fetch from CONS (IHI 0070 7.1, 6.3.19, 6.3.20): bursts are
	 * scheduled, nothing
         * executes inside the GERRORN write. */
	cmdq_fetch(q);
}

void cmdq_kick(struct cmdq_queue *q)
{
	cmdq_fetch(q);
	cmdq_update_ready(q);
	cmdq_dispatch(q->eng);
}

bool cmdq_quiescent(const struct cmdq_queue *q)
{
	/* A SYNC waiting for its dependencies is not on the processor, and a
         * disable abandons that wait. */
	return !q->exec_busy || q->sync_wait;
}

uint32_t cmdq_cons_reg(const struct cmdq_queue *q)
{
	return (q->cons & ring_pos_mask(q->ring)) | ((uint32_t)q->err << 24);
}

/* ------------------------------------------------------------------ */
/* engine lifetime                                                     */
/* ------------------------------------------------------------------ */

int cmdq_engine_create(struct cmdqv_model *m, unsigned max_queues,
		       struct cmdq_engine **out)
{
	const struct cmdqv_config *cfg = model_cfg(m);
	struct sim_kernel *k = model_kernel(m);
	struct cmdq_engine *e;

	e = calloc(1, sizeof(*e));
	if (!e)
		return CMDQV_ENOMEM;
	e->m = m;
	e->cfg = cfg;
	e->k = k;
	e->maxq = max_queues;
	e->nwords = (max_queues + 63) / 64;
	e->queues = calloc(max_queues, sizeof(*e->queues));
	e->ready = calloc(e->nwords, sizeof(*e->ready));
	e->fetchwait = calloc(e->nwords, sizeof(*e->fetchwait));
	e->nbursts = cfg->fetch_slots;
	e->bursts_free = cfg->fetch_slots;
	e->bursts = calloc(e->nbursts, sizeof(*e->bursts));
	e->neps = cfg->endpoints;
	e->eps = calloc(e->neps, sizeof(*e->eps));
	e->tags = calloc((size_t)e->neps * cfg->ats_outstanding,
			 sizeof(*e->tags));
	if (!e->queues || !e->ready || !e->fetchwait || !e->bursts || !e->eps ||
	    !e->tags)
		goto fail;
	e->burst_entries = cfg->fetch_burst_bytes / CMDQ_ENT_BYTES;
	e->t_fetch_base = cfg->fetch_latency;
	e->t_beat = model_cycles(m, cfg->fetch_beat_cycles);
	for (uint32_t i = 0; i < e->nbursts; i++) {
		e->bursts[i].e = e;
		if (sim_event_register(k, &e->bursts[i].ev, cmdq_burst_land,
				       &e->bursts[i]))
			goto fail;
	}
	for (uint32_t i = 0; i < e->neps; i++) {
		e->eps[i].e = e;
		e->eps[i].tags = &e->tags[(size_t)i * cfg->ats_outstanding];
		if (sim_event_register(k, &e->eps[i].ev, cmdq_ep_fire,
				       &e->eps[i]))
			goto fail;
	}
	if (sim_event_register(k, &e->proc_ev, cmdq_proc_done, e) ||
	    sim_event_register(k, &e->msi_ev, cmdq_msi_fire, e))
		goto fail;
	*out = e;
	return CMDQV_OK;
fail:
	cmdq_engine_destroy(e);
	return CMDQV_ENOMEM;
}

void cmdq_engine_destroy(struct cmdq_engine *e)
{
	if (!e)
		return;
	free(e->tags);
	free(e->eps);
	free(e->bursts);
	free(e->fetchwait);
	free(e->ready);
	free(e->queues);
	free(e);
}

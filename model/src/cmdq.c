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
 * Files: this one holds the read-ahead, fetch, arbiter, processor,
 * consumption and the queue/engine lifetime; cmdq_sync.c the ATS
 * invalidations, ITags and CMD_SYNC; cmdq_legal.c legality and cost; their
 * shared state is cmdq_int.h.
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

#include "cmdq_int.h"

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

struct cmdq_ent *cmdq_ent_at(const struct cmdq_queue *q, uint64_t seq)
{
	return &q->rb[seq % q->rb_cap];
}

static bool cmdq_runnable(const struct cmdq_queue *q)
{
	return q->enabled && !q->halted &&
	       (!q->ops->can_run || q->ops->can_run(q));
}

/* PROD more than a full queue ahead of CONS (PROD.WR > CONS.RD with the
 * wrap bits different) or behind it (PROD.WR < CONS.RD, wrap bits equal):
 * the inconsistent states of IHI 0070 3.5.1. */
static bool cmdq_inconsistent(const struct cmdq_queue *q)
{
	return ring_used(q->ring, q->prod, q->cons) > ring_entries(q->ring);
}

/* Published, not yet consumed.  An inconsistent pair is CONSTRAINED
 * UNPREDICTABLE; of the behaviours IHI 0070 3.5.1 permits the model takes
 * "does not consume while the indexes are inconsistent": 0, so no stale
 * entry runs, and consumption resumes as soon as a PROD (or, while
 * disabled, CONS) write makes the pair consistent again. */
static uint32_t cmdq_published(const struct cmdq_queue *q)
{
	return cmdq_inconsistent(q) ? 0 : ring_used(q->ring, q->prod, q->cons);
}

/* An enabled queue was left with an inconsistent pair (a PROD write, or
 * the enable itself): count it, so that a queue stopped for this reason is
 * visible (cmdqv_stats_get(), cmdqv_queue_get()).  While the queue is
 * disabled software may pass through such a state on its way to a
 * consistent one (PROD and CONS are two writes): not counted. */
static void cmdq_note_inconsistent(struct cmdq_queue *q)
{
	if (q->enabled && cmdq_inconsistent(q))
		model_stats(q->m)->inconsistent_indexes++;
}

void cmdq_update_ready(struct cmdq_queue *q)
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
void cmdq_halt(struct cmdq_queue *q, uint8_t code)
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
	if (model_tracing(q->m, CMDQV_TR_ERROR))
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
				sim_time_add(e->t_fetch_base,
					     (sim_time_t)n * e->t_beat));
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
		if (model_tracing(q->m, CMDQV_TR_FETCH))
			cmdq_trace_simple(q, CMDQV_TR_FETCH, b->pos, n,
					  bad != UINT32_MAX);
		cmdq_update_ready(q);
	}
	cmdq_fetch_waiters(e);
	cmdq_fetch(q);
	cmdq_dispatch(e);
}

/* ------------------------------------------------------------------ */
/* completion                                                          */
/* ------------------------------------------------------------------ */

/* The head command of @q completed: CONS moves past it (IHI 0070 4.7.3). */
void cmdq_consume(struct cmdq_queue *q)
{
	struct cmdq_ent *en = cmdq_ent_at(q, q->head_seq);
	struct cmdqv_stats *st = model_stats(q->m);
	uint8_t op = cmd_opcode(en->dw[0]);

	st->commands++;
	st->by_opcode[op]++;
	if (model_tracing(q->m, CMDQV_TR_CMD)) {
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
		cmdq_halt(q, SMMU_CERROR_ABT);
		return false;
	}
	e->xtag_ep = NULL;
	cmd_decode(en->dw, c);
	err = cmdq_check_legal(cfg, c);
	if (err == SMMU_CERROR_NONE && q->ops->filter)
		err = q->ops->filter(q, c);
	e->xerr = err;
	e->xsync_wait = false;
	if (err != SMMU_CERROR_NONE) {
		cyc = cfg->exec_cycles; /* detected at decode */
	} else {
		cyc = cmdq_cost(cfg, c);
		if (c->opcode == CMDQ_OP_ATC_INV &&
		    e->ops->smmu_enabled(e->ops_ctx)) {
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
	en->t_exec_start = sim_time_add(
		e->k->now,
		switched ? model_cycles(e->m, cfg->arb_switch_cycles) : 0);
	sim_schedule_at(e->k, &e->proc_ev,
			sim_time_add(en->t_exec_start,
				     model_cycles(e->m, cyc)));
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
	if (e->xerr != SMMU_CERROR_NONE) {
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

void cmdq_dispatch(struct cmdq_engine *e)
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
	cmdq_note_inconsistent(q);
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
	cmdq_note_inconsistent(q);
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
	q->err = SMMU_CERROR_NONE;
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

void cmdq_queue_reset(struct cmdq_queue *q)
{
	struct cmdq_queue keep = *q;

	/* Everything back to zero as after cmdq_queue_init(), except the
	 * identity, the owner, the engine slot, the buffers (cleared in place)
	 * and the registered event (the kernel reset cancelled it). */
	memset(q, 0, sizeof(*q));
	q->m = keep.m;
	q->id = keep.id;
	memcpy(q->name, keep.name, sizeof(q->name));
	q->ops = keep.ops;
	q->owner = keep.owner;
	q->sync_cs_none_only = keep.sync_cs_none_only;
	q->eng = keep.eng;
	q->slot = keep.slot;
	q->rb = keep.rb;
	q->rb_cap = keep.rb_cap;
	q->marks = keep.marks;
	q->sync_ev = keep.sync_ev;
	memset(q->rb, 0, (size_t)q->rb_cap * sizeof(*q->rb));
	memset(q->marks, 0, CMDQ_MARKS * sizeof(*q->marks));
}

void cmdq_engine_reset(struct cmdq_engine *e)
{
	const size_t ntags = (size_t)e->neps * e->cfg->ats_outstanding;

	memset(e->ready, 0, e->nwords * sizeof(*e->ready));
	memset(e->fetchwait, 0, e->nwords * sizeof(*e->fetchwait));
	e->fetch_rr = 0;
	for (uint32_t i = 0; i < e->nbursts; i++) {
		struct cmdq_burst *b = &e->bursts[i];

		b->q = NULL;
		b->gen = b->pos = b->n = 0;
		b->seq = 0;
		b->busy = false;
	}
	e->bursts_free = e->nbursts;
	e->proc_busy = false;
	e->cur = NULL;
	e->cur_slot = 0;
	e->batch = 0;
	memset(&e->xc, 0, sizeof(e->xc));
	e->xerr = 0;
	e->xsync_wait = false;
	e->xtag_ep = NULL;
	e->xtag = 0;
	for (uint32_t i = 0; i < e->neps; i++) {
		e->eps[i].sid = 0;
		e->eps[i].busy = 0;
	}
	memset(e->tags, 0, ntags * sizeof(*e->tags));
	e->itag_waiters = 0;
	memset(e->msi, 0, sizeof(e->msi));
	e->msi_head = e->msi_count = 0;
	for (uint32_t i = 0; i < e->nqueues; i++)
		cmdq_queue_reset(e->queues[i]);
}

void cmdq_engine_set_ops(struct cmdq_engine *e,
			 const struct cmdq_engine_ops *ops, void *ctx)
{
	e->ops = ops;
	e->ops_ctx = ctx;
}

void cmdq_engine_state_walk(struct cmdq_engine *e, model_mem_fn fn, void *ctx)
{
	fn(ctx, e, sizeof(*e));
	fn(ctx, e->queues, (size_t)e->maxq * sizeof(*e->queues));
	fn(ctx, e->ready, (size_t)e->nwords * sizeof(*e->ready));
	fn(ctx, e->fetchwait, (size_t)e->nwords * sizeof(*e->fetchwait));
	fn(ctx, e->bursts, (size_t)e->nbursts * sizeof(*e->bursts));
	fn(ctx, e->eps, (size_t)e->neps * sizeof(*e->eps));
	fn(ctx, e->tags,
	   (size_t)e->neps * e->cfg->ats_outstanding * sizeof(*e->tags));
	for (uint32_t i = 0; i < e->nqueues; i++) {
		struct cmdq_queue *q = e->queues[i];

		fn(ctx, q->rb, (size_t)q->rb_cap * sizeof(*q->rb));
		fn(ctx, q->marks, CMDQ_MARKS * sizeof(*q->marks));
	}
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

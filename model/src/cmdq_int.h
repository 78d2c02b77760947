/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmdq_int.h - the queue engine's private state, shared by its three files
 * only: cmdq.c (read-ahead, fetch, arbiter, processor, consumption, queue
 * and engine lifetime), cmdq_sync.c (ATS invalidations, ITags, CMD_SYNC)
 * and cmdq_legal.c (legality and execution cost).  Blocks use internal.h.
 */
#ifndef CMDQV_CMDQ_INT_H
#define CMDQV_CMDQ_INT_H

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
		3, /* the fetch of this entry aborted (SMMU_CERROR_ABT when reached) */
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

	const struct cmdq_engine_ops *ops;
	void *ops_ctx;
};

/* ---- cmdq.c ---- */

/** The read-ahead slot of entry sequence number @seq. */
struct cmdq_ent *cmdq_ent_at(const struct cmdq_queue *q, uint64_t seq);
/** Recompute whether @q's head command can start now (ready bitmap). */
void cmdq_update_ready(struct cmdq_queue *q);
/** Start the next command on the processor if it is idle. */
void cmdq_dispatch(struct cmdq_engine *e);
/** The head command of @q completed: CONS moves past it. */
void cmdq_consume(struct cmdq_queue *q);
/** Halt @q on its head entry with CERROR @code. */
void cmdq_halt(struct cmdq_queue *q, uint8_t code);

/* ---- cmdq_legal.c ---- */

/** CERROR for @c on a Non-secure queue of this platform (0 = legal). */
uint8_t cmdq_check_legal(const struct cmdqv_config *cfg, struct cmd *c);
/** Processor cycles for a legal command. */
uint64_t cmdq_cost(const struct cmdqv_config *cfg, const struct cmd *c);

/* ---- cmdq_sync.c ---- */

/** Reserve an ITag for @sid; false if the endpoint has none free. */
bool cmdq_itag_reserve(struct cmdq_engine *e, uint32_t sid);
/** Send the ATC_INV on the processor (ITag reserved by cmdq_itag_reserve). */
void cmdq_ats_send(struct cmdq_engine *e, struct cmdq_queue *q,
		   const struct cmd *c);
/** True while a CMD_SYNC of @q must still wait (earlier ATC_INVs, MSIs). */
bool cmdq_sync_blocked(const struct cmdq_queue *q);
/** Something a waiting SYNC depends on finished: end the wait if last. */
void cmdq_sync_recheck(struct cmdq_queue *q);
/** CMD_SYNC at the head of @q has nothing left to wait for: signal it. */
void cmdq_sync_done(struct cmdq_queue *q);
/** Event callbacks (registered at create by cmdq.c). */
void cmdq_ep_fire(struct sim_kernel *k, struct sim_event *ev);
void cmdq_msi_fire(struct sim_kernel *k, struct sim_event *ev);
void cmdq_sync_ev_fire(struct sim_kernel *k, struct sim_event *ev);

#endif /* CMDQV_CMDQ_INT_H */

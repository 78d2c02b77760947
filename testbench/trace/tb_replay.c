/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_replay.c - trace replay on a fresh model (tb_replay.h, docs/replay.md).
 *
 * One driver thread is modelled: records are applied in file order.  Host
 * path: each register access costs the model's mmio_read_latency /
 * mmio_write_latency, a queue-entry store costs path_params.cpu_cmd_write,
 * and a poll lets simulated time run to the model's next event until it
 * matches; batches the driver does not wait for stay in flight in a fixed
 * ring and the model's CMD trace records complete them.  Guest paths: the
 * guest's queues are kept in a shadow memory and every batch is run by the
 * path model (wl_feed, paths.h), which owns the model.  Nothing is
 * allocated per record.
 */
#define _POSIX_C_SOURCE 200809L
#include "tb_replay.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdqv_sim/cmd.h"
#include "cmdqv_sim/config.h"
#include "cmdqv_sim/model.h"
#include "cmdqv_sim/regmap.h"
#include "cmdqv_sim/ring.h"
#include "cmdqv_sim/status.h"
#include "paths.h"
#include "tb_native.h"
#include "tb_timeline.h"
#include "tb_trace.h"
#include "tb_util.h"

/* Replay-owned memory, far from anything a 32-bit-IOVA Linux guest uses. */
#define RP_SHADOW_BASE \
	0x7F0000000000ull /* guest queues on direct/trap/eventfd: + q << 24 */
#define RP_RING 1024 /* batches in flight (driver did not wait) */
/* Linux ARM_SMMU_POLL_TIMEOUT_US = 1 s (arm-smmu-v3.c: queue_poll();
 * tegra241-cmdqv.c: tegra241_cmdqv_write_config()) */
#define RP_POLL_TIMEOUT SIM_MS(1000)
/* CMD_SYNC MSIs followed at once; the model keeps at most 64 in flight (cmdq.c CMDQ_MSI_FIFO) */
#define RP_MSI_MAX 64

/* Register offsets and fields: cmdqv_sim/regmap.h. */

/** struct rp_batch - commands published on one queue, not yet all consumed. */
struct rp_batch {
	int32_t queue;
	uint32_t last_pos; /* position of the batch's last command */
	sim_time_t
		t_pub; /* the driver's PROD write (per-command latencies start here) */
	uint32_t phase;
	bool done;
};

/** struct rp - one replay. */
struct rp {
	const struct tb_replay_options *o;
	struct tb_replay_result *res;
	struct tb_native nat;
	bool up;
	unsigned platforms; /* platform instances built (a reset record adds one) */
	sim_time_t tbase; /* simulated time of the platforms before this one */
	struct cmdqv_config cfg;
	struct path_params pp;
	struct tb_trace_reader *rd;
	struct tb_recorder *rec;
	struct tb_timeline tl;
	struct tb_qtrack trk;
	struct rp_batch ring[RP_RING];
	unsigned head, count;
	uint32_t phase;
	bool phase_marked; /* the current phase came from a phase record */
	bool have_first;
	sim_time_t t_first, t_base;
	/* direct / trap / eventfd: the path model (testbench/paths) runs the
	 * guest's batches; the guest's queues live in @shadow (its memory) */
	struct wl_feed *feed;
	struct wl_observer obs;
	struct tb_mem shadow;
	bool shadow_ready;
	uint64_t reg_exits; /* trapped register accesses (not queue PROD/CONS) */
	struct wl_feed_counts fed; /* totals of the feeds already closed */
	int rec_rc; /* recorder open failed in the memory hook */
	/* the batch being fed */
	uint64_t src_base;
	struct ring src_ring;
	uint32_t src_pos;
	sim_time_t batch_t0;
	uint32_t batch_phase;
	/* CMD_SYNC MSI writes the model has still to make (consumed, not yet written):
         * Linux points them at the SYNC's own queue entry (arm-smmu-v3.c:
         * arm_smmu_cmdq_build_sync_cmd()) */
	uint64_t msi_addr[RP_MSI_MAX];
	unsigned nmsi;
	char *err;
	size_t errlen;
};

/* ------------------------------------------------------------------ */
/* names                                                               */
/* ------------------------------------------------------------------ */

void tb_replay_options_defaults(struct tb_replay_options *o)
{
	memset(o, 0, sizeof(*o));
	o->path = WL_PATH_HOST;
}

/* ------------------------------------------------------------------ */
/* time, registers, memory                                             */
/* ------------------------------------------------------------------ */

static struct cmdqv_model *rp_m(struct rp *rp)
{
	return rp->feed ? wl_feed_model(rp->feed) : rp->nat.model;
}

static sim_time_t rp_now(struct rp *rp)
{
	return cmdqv_now(rp_m(rp));
}

static void rp_spend(struct rp *rp, sim_time_t d)
{
	if (d)
		cmdqv_run_until(rp_m(rp), rp_now(rp) + d);
}

static uint64_t rp_read(struct rp *rp, enum cmdqv_space sp, uint64_t off,
			unsigned size)
{
	uint64_t v = 0;

	cmdqv_mmio_read(rp_m(rp), sp, off, size, &v);
	rp_spend(rp, rp->cfg.mmio_read_latency);
	return v;
}

static void rp_write(struct rp *rp, enum cmdqv_space sp, uint64_t off,
		     unsigned size, uint64_t v)
{
	cmdqv_mmio_write(rp_m(rp), sp, off, size, v);
	rp_spend(rp, rp->cfg.mmio_write_latency);
}

/* The model's view of @queue (false if the model has no such queue). */
static bool rp_queue_state(struct rp *rp, int32_t queue,
			   struct cmdqv_queue_state *st)
{
	/* index for cmdqv_queue_get: 0 = SMMU CMDQ, 1 + n = VCMDQ n */
	size_t i = queue == CMDQV_QUEUE_SMMU ? 0 : (size_t)queue + 1;

	if (queue < CMDQV_QUEUE_SMMU || i >= cmdqv_queue_count(rp_m(rp)))
		return false;
	cmdqv_queue_get(rp_m(rp), i, st);
	return true;
}

static bool rp_queue_error(struct rp *rp, int32_t queue)
{
	struct cmdqv_queue_state st;

	return rp_queue_state(rp, queue, &st) && st.error;
}

/*
 * A queue error stopped @queue: recover the way Linux does
 * (arm-smmu-v3.c: __arm_smmu_cmdq_skip_err()): an illegal command is
 * replaced by a CMD_SYNC, an abort or ATC timeout is retried; then the error
 * is acknowledged through GERRORN.
 */
static void rp_recover(struct rp *rp, int32_t queue, uint64_t base,
		       uint32_t log2size)
{
	struct ring ring = { .log2size = (uint8_t)log2size };
	uint64_t cons, gerror;

	if (queue == CMDQV_QUEUE_SMMU)
		cons = rp_read(rp, CMDQV_SPACE_SMMU, SMMU_CMDQ_CONS, 4);
	else
		cons = rp_read(rp, CMDQV_SPACE_CMDQV,
			       T241_VCMDQ_PAGE0(queue) + T241_VCMDQ_CONS_INDX,
			       4);
	unsigned code = (unsigned)CMDQV_FIELD_EX(cons, SMMU_CMDQ_CONS_ERR);
	if (code != SMMU_CERROR_ABT && code != SMMU_CERROR_ATC_INV_SYNC) {
		uint64_t a = ring_entry_addr(
			ring, base, (uint32_t)cons & ring_pos_mask(ring));
		tb_mem_write64(&rp->nat.mem, a, CMDQ_OP_SYNC); /* CS = NONE */
		tb_mem_write64(&rp->nat.mem, a + 8, 0);
	}
	if (queue == CMDQV_QUEUE_SMMU) {
		gerror = rp_read(rp, CMDQV_SPACE_SMMU, SMMU_GERROR, 4);
		rp_write(rp, CMDQV_SPACE_SMMU, SMMU_GERRORN, 4, gerror);
	} else {
		gerror = rp_read(rp, CMDQV_SPACE_CMDQV,
				 T241_VCMDQ_PAGE0(queue) + T241_VCMDQ_GERROR,
				 4);
		rp_write(rp, CMDQV_SPACE_CMDQV,
			 T241_VCMDQ_PAGE0(queue) + T241_VCMDQ_GERRORN, 4,
			 gerror);
	}
	rp->res->recoveries++;
}

/* Whether a CMD_SYNC MSI is still to be written into the 16-byte entry at @a. */
static bool rp_msi_due(const struct rp *rp, uint64_t a)
{
	for (unsigned i = 0; i < rp->nmsi; i++)
		if (rp->msi_addr[i] >= a && rp->msi_addr[i] < a + 16)
			return true;
	return false;
}

/* rp_recover() on @queue, with the base and size its driver gave it. */
static void rp_recover_queue(struct rp *rp, int32_t queue)
{
	struct tb_qtrack_queue *tq = tb_qtrack_get(&rp->trk, queue);
	uint64_t base = tq ? tq->base : 0;
	uint32_t l2 = tq ? tq->log2size : 0;

	rp_recover(rp, queue, base, l2);
}

/* Let simulated time run to the model's next event; false if there is none
 * within the poll timeout counted from @start. */
static bool rp_advance(struct rp *rp, sim_time_t start)
{
	sim_time_t next = cmdqv_next_deadline(rp_m(rp));

	if (next == SIM_TIME_NEVER || next - start > RP_POLL_TIMEOUT)
		return false;
	cmdqv_run_until(rp_m(rp), next > rp_now(rp) ? next : rp_now(rp));
	return true;
}

/*
 * The driver is about to store the entry at @pos of @queue.  Like Linux's
 * submission (arm-smmu-v3.c: arm_smmu_cmdq_issue_cmdlist() (slot reservation by
 * cmpxchg): no space -> refresh CONS and wait) it waits until the entry of the
 * previous lap at that index has been consumed, so no command is overwritten
 * before the model read it.  A recording does not always show that wait (a CPU
 * that waits for its CMD_SYNC in memory makes no register access), so replay
 * makes it itself. Only the model's queue state is looked at: no register
 * access, nothing for a re-recording.  A queue stopped on an error is recovered
 * like a poll would; a wait longer than the poll timeout counts as a poll
 * timeout.
 */
static void rp_slot_wait(struct rp *rp, int32_t queue, struct ring ring,
			 uint64_t base, uint32_t pos)
{
	/* the same index one lap earlier (adding 2^log2size flips the wrap bit) */
	uint32_t prev = ring_add(ring, pos, ring_entries(ring));
	sim_time_t start = rp_now(rp);
	bool waited = false;
	struct cmdqv_queue_state st;

	while (rp_queue_state(rp, queue, &st) && st.enabled &&
	       st.log2size == ring.log2size &&
	       (ring_used(ring, prev, st.cons) <
			ring_used(ring, st.prod, st.cons) ||
		rp_msi_due(rp, ring_entry_addr(ring, base, pos)))) {
		/* prev is in [CONS, PROD): published and not consumed yet; or the MSI of
                 * the SYNC that was there is still to come (Linux waits for it there) */
		if (!waited) {
			waited = true;
			rp->res->queue_waits++;
		}
		if (st.error) {
			rp_recover_queue(rp, queue);
			continue;
		}
		if (!rp_advance(rp, start)) {
			rp->res->poll_timeouts++;
			return;
		}
	}
}

/*
 * A CONS value @v read from @queue satisfies a poll that waited for @value:
 * the queue has consumed at least up to that position, in wrap order as seen
 * from the current PROD (Linux's queue_consumed(), IHI 0070 3.5).
 * Other CPUs' batches may have moved CONS further than the recorded value
 * by then, so equality would be the wrong test.  Bits above the position
 * (CONS.ERR) are not compared; errors are recovered by the poll loop.
 */
static bool rp_cons_reached(struct rp *rp, int32_t queue, uint64_t v,
			    uint64_t value)
{
	struct cmdqv_queue_state st;

	if (!rp_queue_state(rp, queue, &st))
		return false;
	struct ring ring = { .log2size = (uint8_t)st.log2size };
	uint32_t cons = (uint32_t)v & ring_pos_mask(ring);
	uint32_t want = (uint32_t)value & ring_pos_mask(ring);
	return ring_used(ring, st.prod, cons) <= ring_used(ring, st.prod, want);
}

/*
 * Read until (reg & mask) == value, letting time run to the model's next
 * event in between.  @queue >= -1 names the queue whose errors to recover
 * while waiting (INT32_MIN: none).  @consumed: the register is @queue's
 * CONS and the poll waits until the queue has consumed up to @value
 * (rp_cons_reached) rather than for that exact value.  Returns true if it
 * matched.
 */
static bool rp_poll(struct rp *rp, enum cmdqv_space sp, uint64_t off,
		    unsigned size, uint64_t mask, uint64_t value, int32_t queue,
		    bool consumed)
{
	sim_time_t start = rp_now(rp);
	bool idle_once = false;

	for (;;) {
		uint64_t v = rp_read(rp, sp, off, size);
		if ((v & mask) == value)
			return true;
		if (consumed && !rp_queue_error(rp, queue) &&
		    rp_cons_reached(rp, queue, v, value))
			return true;
		if (queue != INT32_MIN && rp_queue_error(rp, queue)) {
			rp_recover_queue(rp, queue);
			continue;
		}
		sim_time_t next = cmdqv_next_deadline(rp_m(rp));
		if (next == SIM_TIME_NEVER && !idle_once) {
			/* the read's own latency may have let the change happen: look once more */
			idle_once = true;
			continue;
		}
		if (next == SIM_TIME_NEVER || next - start > RP_POLL_TIMEOUT ||
		    rp_now(rp) - start > RP_POLL_TIMEOUT) {
			rp->res->poll_timeouts++;
			return false;
		}
		if (next > rp_now(rp))
			cmdqv_run_until(rp_m(rp), next);
	}
}

/* ------------------------------------------------------------------ */
/* timeline (Chrome trace-event JSON, streamed)                        */
/* ------------------------------------------------------------------ */

/* One complete event (tb_timeline.h); @n > 0 adds it as an argument. */
static void rp_tl(struct rp *rp, const char *name, int pid, int tid,
		  sim_time_t start, sim_time_t end, uint64_t n)
{
	if (!rp->tl.f)
		return;
	/* the hardware queue of a command: thread 0 is the SMMU CMDQ */
	tb_timeline_complete(&rp->tl, (unsigned)pid, (unsigned)tid, name,
			     pid == 1 ? "batch" : "cmd", start, end, pid == 1,
			     n);
}

/* ------------------------------------------------------------------ */
/* accounting                                                          */
/* ------------------------------------------------------------------ */

static struct tb_replay_phase *rp_phase(struct rp *rp)
{
	return &rp->res->phases[rp->phase];
}

/* A phase starts: @marker for a phase record of the trace, false for the
 * implicit one replay opens before the first record. */
static void rp_phase_start(struct rp *rp, uint32_t id, const char *name,
			   bool marker)
{
	struct tb_replay_result *r = rp->res;
	struct tb_replay_phase *p = rp_phase(rp);
	sim_time_t now = rp->tbase + (rp->up ? rp_now(rp) : 0);

	/* Only the implicit phase replay opens before the first record is taken over by a
         * marker at the same time; every marker of the trace gets its own entry, in order,
         * even with nothing in it. */
	if (r->nphases && (p->batches || p->commands || p->start != now ||
			   rp->phase_marked)) {
		p->end = now;
		if (r->nphases == TB_REPLAY_MAX_PHASES) {
			r->phases_merged++; /* keep counting into the last one */
			return;
		}
		rp->phase = (uint32_t)r->nphases++;
		p = rp_phase(rp);
	} else if (!r->nphases) {
		r->nphases = 1;
		rp->phase = 0;
		p = rp_phase(rp);
	}
	memset(p, 0, sizeof(*p));
	p->id = id;
	snprintf(p->name, sizeof(p->name), "%s", name ? name : "");
	p->start = now;
	rp->phase_marked = marker;
}

static void rp_count_cmd(struct rp *rp, uint8_t op, sim_time_t lat,
			 uint32_t phase)
{
	struct tb_replay_result *r = rp->res;

	r->commands++;
	r->by_opcode[op]++;
	tb_hist_add(&r->cmd_lat, lat);
	r->phases[phase].commands++;
	r->phases[phase].cmd_lat_sum += (double)lat;
}

static void rp_count_batch(struct rp *rp, sim_time_t lat, uint32_t phase)
{
	struct tb_replay_phase *p = &rp->res->phases[phase];

	tb_hist_add(&rp->res->batch_lat, lat);
	p->batch_lat_sum += (double)lat;
	if (lat > p->batch_lat_max)
		p->batch_lat_max = lat;
}

/* ------------------------------------------------------------------ */
/* in-flight ring and the model's trace                                */
/* ------------------------------------------------------------------ */

static void rp_ring_pop(struct rp *rp)
{
	while (rp->count && rp->ring[rp->head].done) {
		rp->head = (rp->head + 1) % RP_RING;
		rp->count--;
	}
}

static void rp_on_cmd(struct rp *rp, const struct cmdqv_trace_rec *rec)
{
	for (unsigned i = 0; i < rp->count; i++) {
		struct rp_batch *b = &rp->ring[(rp->head + i) % RP_RING];
		if (b->done || b->queue != rec->queue)
			continue;
		bool last = rec->pos == b->last_pos;
		sim_time_t lat = rec->time - b->t_pub;
		rp_count_cmd(rp, cmd_opcode(rec->dw[0]), lat, b->phase);
		if (rp->tl.f) {
			const char *n = cmd_name(cmd_opcode(rec->dw[0]));
			rp_tl(rp, n ? n : "CMD", 2, rec->queue + 1,
			      rec->t_published, rec->time, 1);
		}
		if (last) {
			b->done = true;
			rp_count_batch(rp, lat, b->phase);
			rp_tl(rp, "batch", 1, 0, b->t_pub, rec->time, 0);
			rp_ring_pop(rp);
		}
		return;
	}
}

/*
 * Follow the CMD_SYNC MSI writes the model owes: a SYNC with CS=SIG_IRQ on
 * the SMMU CMDQ (VCMDQs take CS=NONE only, docs/cmdqv-reference.md section 6)
 * and an MSI address writes its MSI msi_latency after it was consumed
 * (IHI 0070 4.2-4.7, 4.7.3; arm-smmu-v3.h); the model's DMA write record
 * retires it.
 */
static void rp_msi_track(struct rp *rp, const struct cmdqv_trace_rec *rec)
{
	if (rec->kind == CMDQV_TR_MEM_WRITE) {
		for (unsigned i = 0; i < rp->nmsi; i++)
			if (rp->msi_addr[i] == rec->offset) {
				rp->msi_addr[i] = rp->msi_addr[--rp->nmsi];
				return;
			}
		return;
	}
	if (rec->queue != CMDQV_QUEUE_SMMU ||
	    cmd_opcode(rec->dw[0]) != CMDQ_OP_SYNC || !rp->cfg.msi ||
	    rp->nmsi == RP_MSI_MAX)
		return;
	struct cmd c;
	cmd_decode(rec->dw, &c);
	if (c.cs == CMD_SYNC_CS_IRQ && c.msiaddr)
		rp->msi_addr[rp->nmsi++] = c.msiaddr;
}

static void rp_model_trace(void *ctx, const struct cmdqv_trace_rec *rec)
{
	struct rp *rp = ctx;

	if (rp->rec)
		tb_recorder_trace(rp->rec, rec);
	if (rec->kind == CMDQV_TR_CMD) {
		rp->res->hw_commands++;
		rp_msi_track(rp, rec);
		rp_on_cmd(rp, rec);
	} else if (rec->kind == CMDQV_TR_MEM_WRITE) {
		rp_msi_track(rp, rec);
	} else if (rec->kind == CMDQV_TR_ERROR) {
		rp->res->cmd_errors++;
		rp->res->cerror[rec->code & 127]++;
	}
}

/* The path model's trace records (guest paths): what the hardware did. */
static void rp_obs_trace(void *ctx, const struct cmdqv_trace_rec *rec)
{
	struct rp *rp = ctx;

	if (rp->rec)
		tb_recorder_trace(rp->rec, rec);
	if (rec->kind == CMDQV_TR_CMD) {
		const char *n = cmd_name(cmd_opcode(rec->dw[0]));

		rp->res->hw_commands++;
		rp_tl(rp, n ? n : "CMD", 2, rec->queue + 1, rec->t_published,
		      rec->time, 1);
	} else if (rec->kind == CMDQV_TR_ERROR) {
		rp->res->cmd_errors++;
		rp->res->cerror[rec->code & 127]++;
	}
}

/* Wait (running the model) until the ring has room. */
static void rp_ring_room(struct rp *rp)
{
	sim_time_t start = rp_now(rp);

	if (rp->count < RP_RING)
		return;
	rp->res->ring_stalls++;
	while (rp->count == RP_RING) {
		sim_time_t next = cmdqv_next_deadline(rp_m(rp));
		if (next == SIM_TIME_NEVER || next - start > RP_POLL_TIMEOUT) {
			/* the oldest batch will never complete: give it up */
			rp->ring[rp->head].done = true;
			rp->res->incomplete++;
			rp_ring_pop(rp);
			break;
		}
		cmdqv_run_until(rp_m(rp), next);
	}
}

static void rp_ring_push(struct rp *rp, const struct rp_batch *b)
{
	rp_ring_room(rp);
	rp->ring[(rp->head + rp->count) % RP_RING] = *b;
	rp->count++;
}

/* ------------------------------------------------------------------ */
/* platform                                                            */
/* ------------------------------------------------------------------ */

/* --record on the path model: its memory exists (wl_observer @memory). */
static void rp_obs_memory(void *ctx, struct tb_mem *mem,
			  const struct cmdqv_config *hw)
{
	struct rp *rp = ctx;

	if (!rp->o->record || rp->rec_rc)
		return;
	if (!rp->rec)
		rp->rec_rc = tb_recorder_open(&rp->rec, rp->o->record, mem, hw,
					      rp->err, rp->errlen);
	else
		tb_recorder_reset_platform(rp->rec, mem, hw);
}

/* --record: the path model's actor @track makes the next register access. */
static void rp_obs_access(void *ctx, const char *track)
{
	struct rp *rp = ctx;

	if (rp->rec)
		tb_recorder_set_track(rp->rec, track);
}

static void rp_obs_trace(void *ctx, const struct cmdqv_trace_rec *rec);

static int rp_platform_up(struct rp *rp)
{
	char why[256];
	int rc;

	if (rp->o->path != WL_PATH_HOST) {
		memset(&rp->obs, 0, sizeof(rp->obs));
		rp->obs.ctx = rp;
		rp->obs.trace = rp_obs_trace;
		rp->obs.memory = rp_obs_memory;
		rp->obs.access = rp_obs_access;
		if (tb_mem_init(&rp->shadow)) {
			snprintf(rp->err, rp->errlen,
				 "%s: error: out of memory", rp->o->trace);
			return CMDQV_ENOMEM;
		}
		rp->shadow_ready = true;
		rc = wl_feed_open(&rp->feed, &rp->cfg, &rp->pp, rp->o->path,
				  rp->o->direct_rest_smmu, &rp->obs, why,
				  sizeof(why));
		if (rp->rec_rc)
			return rp->rec_rc;
		if (rc) {
			snprintf(rp->err, rp->errlen,
				 "%s: error: cannot build the path model: %s",
				 rp->o->trace, why);
			return rc;
		}
	} else {
		tb_native_set_trace(&rp->nat, rp_model_trace, rp);
		rc = tb_native_init(&rp->nat, &rp->cfg, why, sizeof(why));
		if (rc) {
			snprintf(rp->err, rp->errlen,
				 "%s: error: cannot build the model: %s",
				 rp->o->trace, why);
			return rc;
		}
		if (rp->rec && rp->platforms > 0)
			tb_recorder_reset_platform(rp->rec, &rp->nat.mem,
						   &rp->cfg); /* same struct */
	}
	rp->up = true;
	rp->platforms++;
	tb_qtrack_reset(&rp->trk);
	rp->nmsi = 0;
	return CMDQV_OK;
}

/* Close the path model of this platform, keeping its totals. */
static void rp_feed_down(struct rp *rp)
{
	struct wl_feed_counts n;

	if (rp->feed) {
		wl_feed_totals(rp->feed, &n);
		rp->fed.exits += n.exits;
		rp->fed.ioctls += n.ioctls;
		rp->fed.injected += n.injected;
		rp->fed.issues += n.issues;
		wl_feed_close(rp->feed);
		rp->feed = NULL;
	}
	if (rp->shadow_ready) {
		tb_mem_deinit(&rp->shadow);
		rp->shadow_ready = false;
	}
}

/* Run until every batch in flight completed (or can no longer complete). */
static void rp_drain(struct rp *rp)
{
	sim_time_t start = rp_now(rp);

	while (rp->count) {
		sim_time_t next = cmdqv_next_deadline(rp_m(rp));
		if (next == SIM_TIME_NEVER || next - start > RP_POLL_TIMEOUT)
			break;
		cmdqv_run_until(rp_m(rp), next);
	}
	while (rp->count) {
		rp->ring[rp->head].done = true;
		rp->res->incomplete++;
		rp_ring_pop(rp);
	}
}

/* The platform's time is kept; its model (native or path model) goes. */
static void rp_platform_free(struct rp *rp)
{
	rp->tbase += rp_now(rp);
	if (rp->feed)
		rp_feed_down(rp);
	else
		tb_native_deinit(&rp->nat);
	rp->up = false;
}

static void rp_platform_down(struct rp *rp)
{
	if (!rp->up)
		return;
	if (rp->feed)
		wl_feed_drain(rp->feed);
	else
		rp_drain(rp);
	rp_platform_free(rp);
}

/* ------------------------------------------------------------------ */
/* guest batches on direct / trap / eventfd: the path model            */
/* ------------------------------------------------------------------ */

/* Command @i of the batch being fed, from the guest's queue in @shadow. */
static void rp_feed_get(void *ctx, uint32_t i, uint64_t w[2])
{
	struct rp *rp = ctx;
	uint64_t a = ring_entry_addr(rp->src_ring, rp->src_base,
				     ring_add(rp->src_ring, rp->src_pos, i));

	w[0] = tb_mem_read64(&rp->shadow, a);
	w[1] = tb_mem_read64(&rp->shadow, a + 8);
}

/* The driver saw commands [i0, i1) of the batch complete at @t. */
static void rp_feed_done(void *ctx, uint32_t i0, uint32_t i1, sim_time_t t)
{
	struct rp *rp = ctx;
	uint64_t w[2];

	for (uint32_t i = i0; i < i1; i++) {
		rp_feed_get(rp, i, w);
		rp_count_cmd(rp, cmd_opcode(w[0]), t - rp->batch_t0,
			     rp->batch_phase);
	}
}

/*
 * The PROD write of a guest batch of @n commands at @pos of the guest's
 * queue (@base, @ring in the shadow memory): the path model's vCPU issues
 * it (wl_feed_batch) and replay goes on when the driver is back.
 */
static void rp_guest_batch(struct rp *rp, uint64_t base, struct ring ring,
			   uint32_t pos, uint32_t n)
{
	static const struct wl_feed_ops ops_tmpl = { NULL, rp_feed_get,
						     rp_feed_done };
	struct wl_feed_ops ops = ops_tmpl;
	struct wl_sample smp;

	if (!n)
		return;
	ops.ctx = rp;
	rp->src_base = base;
	rp->src_ring = ring;
	rp->src_pos = pos;
	rp->batch_t0 = rp_now(rp);
	rp->batch_phase = rp->phase;
	if (wl_feed_batch(rp->feed, n, &ops, &smp) != CMDQV_OK) {
		/* a queue of the path stopped: the batch never came back */
		rp->res->poll_timeouts++;
		rp->res->incomplete++;
		return;
	}
	rp_count_batch(rp, smp.latency, rp->batch_phase);
	rp_tl(rp, "batch", 1, 0, smp.start, smp.start + smp.latency, n);
}

/* ------------------------------------------------------------------ */
/* records                                                             */
/* ------------------------------------------------------------------ */

static int rp_fail(struct rp *rp, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tb_verrf_at(rp->err, rp->errlen, rp->o->trace, tb_trace_line(rp->rd),
		    fmt, ap);
	va_end(ap);
	return status;
}

static uint64_t rp_shadow_base(int32_t queue)
{
	return RP_SHADOW_BASE + ((uint64_t)(queue + 1) << 24);
}

static int rp_on_write(struct rp *rp, const struct tb_trace_rec *t)
{
	int32_t queue;
	uint32_t newprod;
	bool host = rp->o->path == WL_PATH_HOST;

	if (!tb_qtrack_write(&rp->trk, t->space, t->offset, t->size, t->value,
			     &queue, &newprod)) {
		if (!host) {
			rp->res->skipped++; /* the guest's SMMU: rp_guest_access */
			return 0;
		}
		rp_write(rp, t->space, t->offset, t->size, t->value);
		return 0;
	}
	struct tb_qtrack_queue *q = tb_qtrack_get(&rp->trk, queue);
	struct ring ring = { .log2size = (uint8_t)q->log2size };
	uint32_t old = q->prod & ring_pos_mask(ring);
	uint32_t n = ring_used(ring, newprod, old);
	q->prod = newprod;
	rp->res->prod_writes++;
	if (n) {
		rp->res->batches++;
		rp_phase(rp)->batches++;
	}
	if (!host) {
		rp_guest_batch(rp, rp_shadow_base(queue), ring, old, n);
		return 0;
	}
	if (n) {
		struct rp_batch b = { .queue = queue,
				      .last_pos = ring_add(ring, newprod,
							   ring_pos_mask(ring)),
				      .t_pub = rp_now(rp),
				      .phase = rp->phase };
		rp_ring_push(rp, &b);
	}
	rp_write(rp, t->space, t->offset, t->size, t->value);
	return 0;
}

static int rp_configure(struct rp *rp, bool reset);

/*
 * On direct/trap/eventfd the driver is a guest and its SMMU is QEMU's
 * emulated vSMMU: a register access other than its queues' PROD/CONS
 * (which the path model makes itself) goes to the VMM, a user-space exit
 * (exit_user + vmm_mmio + entry_user, path_params.def).  It is not made on
 * the hardware, which the path model brought up as it does for compare.
 * With --direct-rest smmu the driver owns the SMMU (the host kernel with
 * CMDQ-V): one MMIO access.  Only the driver's time passes.
 */
static void rp_guest_access(struct rp *rp, const struct tb_trace_rec *t)
{
	bool owns = rp->o->path == WL_PATH_DIRECT && rp->o->direct_rest_smmu;

	if (t->space != CMDQV_SPACE_SMMU || owns) {
		rp_spend(rp, t->kind == TB_TR_WR ? rp->cfg.mmio_write_latency :
						   rp->cfg.mmio_read_latency);
		return;
	}
	rp_spend(rp, rp->pp.exit_user + rp->pp.vmm_mmio + rp->pp.entry_user);
	rp->reg_exits++;
}

static int rp_on_record(struct rp *rp, const struct tb_trace_rec *t)
{
	bool host = rp->o->path == WL_PATH_HOST;
	int32_t queue;

	switch (t->kind) {
	case TB_TR_WR: {
		int32_t q;
		enum tb_qreg kind =
			tb_qtrack_reg(&rp->trk, t->space, t->offset, &q);
		if (!host && kind != TB_QREG_PROD && kind != TB_QREG_CONS)
			rp_guest_access(rp, t);
		return rp_on_write(rp, t);
	}
	case TB_TR_RD:
	case TB_TR_POLL: {
		enum tb_qreg kind =
			tb_qtrack_reg(&rp->trk, t->space, t->offset, &queue);
		if (!host && (kind == TB_QREG_CONS || kind == TB_QREG_PROD)) {
			rp->res->skipped++; /* the path did the waiting */
			return 0;
		}
		if (!host) {
			/* the emulated register answers at once */
			rp_guest_access(rp, t);
			rp->res->skipped++;
			return 0;
		}
		if (t->kind == TB_TR_POLL) {
			rp_poll(rp, t->space, t->offset, t->size, t->mask,
				t->value,
				kind == TB_QREG_CONS ? queue : INT32_MIN,
				kind == TB_QREG_CONS);
		} else {
			uint64_t v = rp_read(rp, t->space, t->offset, t->size);
			if (v != t->value)
				rp->res->read_mismatches++;
		}
		return 0;
	}
	case TB_TR_MW:
		/* on the guest paths: the guest's memory */
		if (tb_mem_write(host ? &rp->nat.mem : &rp->shadow, t->addr,
				 t->words, 8u * t->nwords))
			return rp_fail(rp, CMDQV_EINVAL,
				       "memory write outside 48 bits");
		return 0;
	case TB_TR_CMD: {
		struct tb_qtrack_queue *q = tb_qtrack_get(&rp->trk, t->queue);
		if (!q)
			return rp_fail(rp, CMDQV_EINVAL, "bad queue");
		struct ring ring = {
			.log2size = (uint8_t)(q->based ? q->log2size : 19)
		};
		uint64_t base;
		if (host) {
			if (!q->based)
				return rp_fail(
					rp, CMDQV_EINVAL,
					"command for a queue whose base register the trace "
					"never wrote");
			base = q->base;
		} else {
			base = rp_shadow_base(t->queue);
		}
		if (t->pos > ring_pos_mask(ring))
			return rp_fail(
				rp, CMDQV_EINVAL,
				"queue position 0x%x outside a 2^%u-entry queue",
				t->pos, ring.log2size);
		uint64_t a = ring_entry_addr(ring, base, t->pos);
		if (!host) {
			/* the guest's queue; the path model pays for the store */
			tb_mem_write64(&rp->shadow, a, t->words[0]);
			tb_mem_write64(&rp->shadow, a + 8, t->words[1]);
			return 0;
		}
		rp_slot_wait(rp, t->queue, ring, base, t->pos);
		tb_mem_write64(&rp->nat.mem, a, t->words[0]);
		tb_mem_write64(&rp->nat.mem, a + 8, t->words[1]);
		rp_spend(rp, rp->pp.cpu_cmd_write);
		return 0;
	}
	case TB_TR_PHASE:
		rp_phase_start(rp, t->phase_id, t->name, true);
		if (rp->rec)
			tb_recorder_phase(rp->rec, t->phase_id, t->name);
		return 0;
	case TB_TR_BATCH: {
		struct tb_qtrack_queue *q = tb_qtrack_get(&rp->trk, t->queue);
		if (q && CMDQV_FIELD_EX(q->prod, SMMU_CMDQ_PROD_WR) != t->pos)
			rp->res->batch_mismatches++;
		return 0;
	}
	case TB_TR_RESET: {
		rp_platform_down(rp);
		if (t->count) {
			int rc = rp_configure(rp, true);
			if (rc)
				return rc;
		}
		return rp_platform_up(rp);
	}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* entry point                                                         */
/* ------------------------------------------------------------------ */

/* Model and path parameters: defaults, the trace's platform line, a reset
 * record's items (@reset), the path's needs, then the user's overrides. */
static int rp_configure(struct rp *rp, bool reset)
{
	char why[256];
	const struct tb_replay_options *o = rp->o;

	cmdqv_config_defaults(&rp->cfg);
	wl_params_defaults(&rp->pp);
	int rc = tb_trace_platform_apply(rp->rd, &rp->cfg, rp->err, rp->errlen);
	if (!rc && reset)
		rc = tb_trace_reset_apply(rp->rd, &rp->cfg, rp->err,
					  rp->errlen);
	if (rc)
		return rc;
	if (o->path == WL_PATH_DIRECT) {
		/* The direct path needs CMDQ-V whatever the trace ran on, and
		 * CMDQ-V hardware has stage 2 (cmdqv_config_validate(); a QEMU
		 * 7.2 guest's vSMMU shows s2p=0, the host SMMU under it has
		 * it, docs/guest-isolation.md). */
		rp->cfg.cmdqv = true;
		rp->cfg.s2p = true;
	}
	for (size_t i = 0; i < o->nset; i++) {
		char key[128];
		const char *eq = strchr(o->set[i], '=');
		if (!eq || eq == o->set[i] ||
		    (size_t)(eq - o->set[i]) >= sizeof(key)) {
			snprintf(rp->err, rp->errlen,
				 "error: '%s' is not KEY=VALUE", o->set[i]);
			return CMDQV_EVALUE;
		}
		memcpy(key, o->set[i], (size_t)(eq - o->set[i]));
		key[eq - o->set[i]] = '\0';
		rc = wl_params_set(&rp->pp, key, eq + 1, why, sizeof(why));
		if (rc == CMDQV_EKEY)
			rc = cmdqv_config_set(&rp->cfg, key, eq + 1, why,
					      sizeof(why));
		if (rc) {
			snprintf(rp->err, rp->errlen, "error: %s", why);
			return rc;
		}
	}
	if (o->path == WL_PATH_DIRECT && !rp->cfg.cmdqv) {
		snprintf(rp->err, rp->errlen,
			 "error: --path direct needs cmdqv=1");
		return CMDQV_EVALUE;
	}
	rc = cmdqv_config_validate(&rp->cfg, why, sizeof(why));
	if (!rc)
		rc = wl_params_validate(&rp->pp, why, sizeof(why));
	if (rc) {
		snprintf(rp->err, rp->errlen, "error: %s", why);
		return rc;
	}
	return CMDQV_OK;
}

static int rp_main(struct rp *rp)
{
	const struct tb_replay_options *o = rp->o;
	struct tb_trace_rec t;
	int rc;

	rc = tb_trace_open(&rp->rd, o->trace, rp->err, rp->errlen);
	if (rc)
		return rc;
	if ((rc = rp_configure(rp, false)))
		return rc;
	if (o->record && o->path == WL_PATH_HOST) {
		/* rp->nat.mem keeps its address across platform instances; the
		 * guest paths open it at the path model's memory hook */
		rc = tb_recorder_open(&rp->rec, o->record, &rp->nat.mem,
				      &rp->cfg, rp->err, rp->errlen);
		if (rc)
			return rc;
	}
	if (o->timeline) {
		char why[256];

		if (tb_timeline_open(&rp->tl, o->timeline, "cmdqv-sim replay",
				     why, sizeof(why))) {
			snprintf(rp->err, rp->errlen,
				 "%s: error: cannot create", o->timeline);
			return CMDQV_EIO;
		}
		tb_timeline_process(&rp->tl, 1, "driver batches", 1);
		tb_timeline_process(&rp->tl, 2, "hardware queues", 2);
		tb_timeline_thread(&rp->tl, 2, 0, "SMMU CMDQ", 0);
	}
	if ((rc = rp_platform_up(rp)))
		return rc;
	rp_phase_start(rp, 0, "", false);
	for (;;) {
		rc = tb_trace_next(rp->rd, &t, rp->err, rp->errlen);
		if (rc < 0)
			return -rc;
		if (rc == 0)
			break;
		rp->res->records++;
		if (o->pace_recorded && t.kind != TB_TR_RESET) {
			if (!rp->have_first) {
				rp->have_first = true;
				rp->t_first = t.time;
				rp->t_base = rp_now(rp);
			}
			sim_time_t target = rp->t_base + (t.time - rp->t_first);
			if (target > rp_now(rp))
				cmdqv_run_until(rp_m(rp), target);
		}
		if (rp->rec && t.src[0])
			tb_recorder_set_source(
				rp->rec, t.src); /* keep the trace's actors */
		if ((rc = rp_on_record(rp, &t)))
			return rc;
		if (o->progress && o->progress_every &&
		    rp->res->records % o->progress_every == 0) {
			rp->res->sim_time = rp->tbase + rp_now(rp);
			o->progress(o->progress_ctx, rp->res, false);
		}
	}
	if (rp->feed)
		wl_feed_drain(rp->feed);
	else
		rp_drain(rp);
	rp_phase(rp)->end = rp->tbase + rp_now(rp);
	return CMDQV_OK;
}

int tb_replay_run(const struct tb_replay_options *o,
		  struct tb_replay_result *res, char *err, size_t errlen)
{
	struct rp *rp = calloc(1, sizeof(*rp));

	memset(res, 0, sizeof(*res));
	if (!rp) {
		snprintf(err, errlen, "%s: error: out of memory", o->trace);
		return CMDQV_ENOMEM;
	}
	rp->o = o;
	rp->res = res;
	rp->err = err;
	rp->errlen = errlen;
	int rc = rp_main(rp);
	if (rp->up)
		rp_platform_free(rp);
	rp_feed_down(rp); /* a shadow left by a failed set-up */
	res->sim_time = rp->tbase;
	res->exits = rp->reg_exits + rp->fed.exits;
	res->ioctls = rp->fed.ioctls;
	res->injected = rp->fed.injected;
	if (rp->rec) {
		char why[256];
		if (tb_recorder_close(rp->rec, why, sizeof(why)) && !rc) {
			snprintf(err, errlen, "%s", why);
			rc = CMDQV_EIO;
		}
	}
	if (rp->tl.f) {
		if (tb_timeline_close(&rp->tl) && !rc) {
			snprintf(err, errlen, "%s: error: write failed",
				 o->timeline);
			rc = CMDQV_EIO;
		}
	}
	if (rp->rd)
		tb_trace_close(rp->rd);
	if (o->progress)
		o->progress(o->progress_ctx, res, true);
	free(rp);
	return rc;
}

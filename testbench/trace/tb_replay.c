/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_replay.c - trace replay on a fresh model (tb_replay.h, docs/replay.md).
 *
 * One driver thread is modelled: records are applied in file order, each
 * register access costs the model's mmio_read_latency / mmio_write_latency,
 * a queue-entry store costs path_params.cpu_cmd_write, and a poll lets
 * simulated time run to the model's next event until it matches.  Batches
 * the driver does not wait for stay in flight in a fixed ring; the model's
 * CMD trace records complete them.  Nothing is allocated per record.
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
#include "cmdqv_sim/ring.h"
#include "cmdqv_sim/status.h"
#include "paths.h"
#include "tb_native.h"
#include "tb_trace.h"
#include "tb_util.h"

/* Replay-owned memory, far from anything a 32-bit-IOVA Linux guest uses. */
#define RP_SHADOW_BASE \
	0x7F0000000000ull /* guest queues on direct/trap/eventfd: + q << 24 */
#define RP_VCMDQ_BASE 0x7E0000000000ull /* the direct path's guest VCMDQ */
#define RP_HOSTQ_BASE \
	0x7D0000000000ull /* host SMMU CMDQ if the trace never set one up */
#define RP_RING 1024 /* batches in flight (driver did not wait) */
/* Linux ARM_SMMU_POLL_TIMEOUT_US = 1 s (arm-smmu-v3.c: queue_poll();
 * tegra241-cmdqv.c: tegra241_cmdqv_write_config()) */
#define RP_POLL_TIMEOUT SIM_MS(1000)
#define RP_GUEST_VMID \
	1 /* VMID of the direct path's VINTF (assumed; any non-zero value) */
/* CMD_SYNC MSIs followed at once; the model keeps at most 64 in flight (cmdq.c CMDQ_MSI_FIFO) */
#define RP_MSI_MAX 64

/* SMMU registers replay uses itself (IHI 0070 6.3; arm-smmu-v3.h). */
#define RP_SMMU_CR0 0x20
#define RP_SMMU_CR0ACK 0x24
#define RP_SMMU_GERROR 0x60
#define RP_SMMU_GERRORN 0x64
#define RP_SMMU_BASE 0x90
#define RP_SMMU_PROD 0x98
#define RP_SMMU_CONS 0x9C
#define RP_CR0_CMDQEN (1u << 3)
/* CMD_SYNC CS field dw0[13:12] (IHI 0070 4.2-4.7; arm-smmu-v3.h) */
#define RP_SYNC_CS_MASK (3ull << 12)
/* CERROR codes (IHI 0070 7.1, docs/cmdqv-reference.md section 5.1) */
#define RP_CERROR_ABT 2
#define RP_CERROR_ATC_INV_SYNC 3

/* CMD-V registers (docs/cmdqv-reference.md sections 3, 4, 5). */
#define RP_V_CONFIG 0x000
#define RP_V_STATUS 0x008
#define RP_V_ALLOC(q) (0x200u + 4u * (q))
#define RP_V_VINTF(v) (0x1000u + 0x100u * (v))
#define RP_V_PAGE0(q) (0x10000u + 0x80u * (q))
#define RP_V_PAGE1(q) (0x20000u + 0x80u * (q))
#define RP_V_VI_PAGE0(v) (0x30000u + 0x20000u * (v))
#define RP_VQ_CONS 0x00
#define RP_VQ_PROD 0x04
#define RP_VQ_CONFIG 0x08
#define RP_VQ_STATUS 0x0C
#define RP_VQ_GERROR 0x10
#define RP_VQ_GERRORN 0x14

/** struct rp_hwq - a hardware queue replay writes commands into itself. */
struct rp_hwq {
	int32_t queue; /* CMDQV_QUEUE_SMMU or global VCMDQ */
	enum cmdqv_space space;
	uint64_t prod_off; /* where this driver writes PROD */
	uint64_t cons_off; /* where it reads CONS */
	uint64_t base;
	struct ring ring;
	uint32_t prod;
	uint32_t cons_cache; /* last CONS seen (position bits) */
};

/** struct rp_batch - commands published on one queue, not yet all consumed. */
struct rp_batch {
	int32_t queue;
	uint32_t last_pos; /* position of the batch's last command */
	sim_time_t
		t_pub; /* the driver's PROD write (per-command latencies start here) */
	uint32_t phase;
	bool count_batch; /* its completion is a batch latency sample */
	bool count_cmds; /* its commands are driver commands */
	bool last_injected; /* its last command was added by replay */
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
	FILE *tl;
	bool tl_first;
	struct tb_qtrack trk;
	struct rp_batch ring[RP_RING];
	unsigned head, count;
	uint32_t phase;
	bool phase_marked; /* the current phase came from a phase record */
	bool have_first;
	sim_time_t t_first, t_base;
	/* host SMMU CMDQ used by trap/eventfd/direct forwarding */
	struct rp_hwq hq;
	bool hq_ready;
	/* direct path */
	bool direct_up, direct_failed;
	struct rp_hwq vq;
	uint32_t vintf;
	uint32_t sid_slots;
	uint32_t sids[64];
	/* CMD_SYNC MSI writes the model has still to make (consumed, not yet written):
         * Linux points them at the SYNC's own queue entry (arm-smmu-v3.c:
         * arm_smmu_cmdq_build_sync_cmd()) */
	uint64_t msi_addr[RP_MSI_MAX];
	unsigned nmsi;
	char *err;
	size_t errlen;
};

/* ------------------------------------------------------------------ */
/* histogram                                                           */
/* ------------------------------------------------------------------ */

static unsigned tb_hist_index(sim_time_t v)
{
	if (v < 64)
		return (unsigned)v;
	unsigned e = 63u - (unsigned)__builtin_clzll(v); /* >= 6 */
	unsigned sub = (unsigned)(v >> (e - 5)) & (TB_HIST_SUB - 1);
	return 64u + (e - 6u) * TB_HIST_SUB + sub;
}

static sim_time_t tb_hist_upper(unsigned i)
{
	if (i < 64)
		return i;
	unsigned e = (i - 64) / TB_HIST_SUB + 6;
	unsigned sub = (i - 64) % TB_HIST_SUB;
	sim_time_t lo = ((sim_time_t)(TB_HIST_SUB + sub)) << (e - 5);
	return lo + (((sim_time_t)1 << (e - 5)) - 1);
}

void tb_hist_add(struct tb_hist *h, sim_time_t v)
{
	if (!h->count || v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	h->count++;
	h->sum += (double)v;
	h->bucket[tb_hist_index(v)]++;
}

sim_time_t tb_hist_quantile(const struct tb_hist *h, double q)
{
	if (!h->count)
		return 0;
	uint64_t rank = (uint64_t)(q * (double)h->count + 0.999999999);
	if (rank < 1)
		rank = 1;
	if (rank > h->count)
		rank = h->count;
	uint64_t acc = 0;
	for (unsigned i = 0; i < TB_HIST_BUCKETS; i++) {
		acc += h->bucket[i];
		if (acc >= rank) {
			sim_time_t u = tb_hist_upper(i);
			return u > h->max ? h->max : (u < h->min ? h->min : u);
		}
	}
	return h->max;
}

double tb_hist_mean(const struct tb_hist *h)
{
	return h->count ? h->sum / (double)h->count : 0.0;
}

/* ------------------------------------------------------------------ */
/* names                                                               */
/* ------------------------------------------------------------------ */

static const char *const rp_path_names[TB_REPLAY_PATHS] = { "host", "direct",
							    "trap", "eventfd" };

const char *tb_replay_path_name(enum tb_replay_path p)
{
	return (unsigned)p < TB_REPLAY_PATHS ? rp_path_names[p] : "?";
}

int tb_replay_path_parse(const char *s, enum tb_replay_path *out)
{
	for (unsigned i = 0; i < TB_REPLAY_PATHS; i++)
		if (!strcmp(s, rp_path_names[i])) {
			*out = (enum tb_replay_path)i;
			return 0;
		}
	return -1;
}

/* ------------------------------------------------------------------ */
/* time, registers, memory                                             */
/* ------------------------------------------------------------------ */

static struct cmdqv_model *rp_m(struct rp *rp)
{
	return rp->nat.model;
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
		cons = rp_read(rp, CMDQV_SPACE_SMMU, RP_SMMU_CONS, 4);
	else
		cons = rp_read(rp, CMDQV_SPACE_CMDQV,
			       RP_V_PAGE0(queue) + RP_VQ_CONS, 4);
	unsigned code = (unsigned)(cons >> 24) & 0x7F;
	if (code != RP_CERROR_ABT && code != RP_CERROR_ATC_INV_SYNC) {
		uint64_t a = ring_entry_addr(
			ring, base, (uint32_t)cons & ring_pos_mask(ring));
		tb_mem_write64(&rp->nat.mem, a, CMDQ_OP_SYNC); /* CS = NONE */
		tb_mem_write64(&rp->nat.mem, a + 8, 0);
	}
	if (queue == CMDQV_QUEUE_SMMU) {
		gerror = rp_read(rp, CMDQV_SPACE_SMMU, RP_SMMU_GERROR, 4);
		rp_write(rp, CMDQV_SPACE_SMMU, RP_SMMU_GERRORN, 4, gerror);
	} else {
		gerror = rp_read(rp, CMDQV_SPACE_CMDQV,
				 RP_V_PAGE0(queue) + RP_VQ_GERROR, 4);
		rp_write(rp, CMDQV_SPACE_CMDQV,
			 RP_V_PAGE0(queue) + RP_VQ_GERRORN, 4, gerror);
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

	if (rp->hq_ready && queue == rp->hq.queue &&
	    rp->o->path != TB_REPLAY_HOST) {
		base = rp->hq.base;
		l2 = rp->hq.ring.log2size;
	} else if (rp->direct_up && queue == rp->vq.queue) {
		base = rp->vq.base;
		l2 = rp->vq.ring.log2size;
	}
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

static void rp_tl(struct rp *rp, const char *name, int pid, int tid,
		  sim_time_t start, sim_time_t end, uint64_t n)
{
	if (!rp->tl)
		return;
	fprintf(rp->tl,
		"%s\n{\"name\":\"%s\",\"ph\":\"X\",\"pid\":%d,\"tid\":%d,\"ts\":%.6f,\"dur\":%.6f,"
		"\"args\":{\"n\":%" PRIu64 "}}",
		rp->tl_first ? "" : ",", name, pid, tid, (double)start / 1e6,
		(double)(end - start) / 1e6, n);
	rp->tl_first = false;
}

static void rp_tl_meta(struct rp *rp, int pid, int tid, const char *what,
		       const char *name)
{
	if (!rp->tl)
		return;
	fprintf(rp->tl,
		"%s\n{\"name\":\"%s\",\"ph\":\"M\",\"pid\":%d,\"tid\":%d,\"args\":{\"name\":\"%s\"}}",
		rp->tl_first ? "" : ",", what, pid, tid, name);
	rp->tl_first = false;
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
		if (b->count_cmds && !(last && b->last_injected))
			rp_count_cmd(rp, (uint8_t)(rec->dw[0] & 0xFF), lat,
				     b->phase);
		if (rp->tl) {
			const char *n = cmd_name((uint8_t)(rec->dw[0] & 0xFF));
			rp_tl(rp, n ? n : "CMD", 2, rec->queue + 1,
			      rec->t_published, rec->time, 1);
		}
		if (last) {
			b->done = true;
			if (b->count_batch) {
				rp_count_batch(rp, lat, b->phase);
				rp_tl(rp, "batch", 1, 0, b->t_pub, rec->time,
				      0);
			}
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
	    (uint8_t)(rec->dw[0] & 0xFF) != CMDQ_OP_SYNC || !rp->cfg.msi ||
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

static int rp_platform_up(struct rp *rp)
{
	char why[256];

	tb_native_set_trace(&rp->nat, rp_model_trace, rp);
	int rc = tb_native_init(&rp->nat, &rp->cfg, why, sizeof(why));
	if (rc) {
		snprintf(rp->err, rp->errlen,
			 "%s: error: cannot build the model: %s", rp->o->trace,
			 why);
		return rc;
	}
	rp->up = true;
	rp->platforms++;
	tb_qtrack_reset(&rp->trk);
	memset(&rp->hq, 0, sizeof(rp->hq));
	rp->hq_ready = false;
	rp->nmsi = 0;
	rp->direct_up = rp->direct_failed = false;
	rp->sid_slots = 0;
	if (rp->rec && rp->platforms > 1)
		tb_recorder_reset_platform(rp->rec, &rp->nat.mem,
					   &rp->cfg); /* same struct */
	return CMDQV_OK;
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

static void rp_platform_down(struct rp *rp)
{
	if (!rp->up)
		return;
	rp_drain(rp);
	rp->tbase += rp_now(rp);
	tb_native_deinit(&rp->nat);
	rp->up = false;
}

/* ------------------------------------------------------------------ */
/* queues replay drives itself                                         */
/* ------------------------------------------------------------------ */

static void rp_hwq_put(struct rp *rp, struct rp_hwq *q, uint64_t w0,
		       uint64_t w1)
{
	uint64_t a = ring_entry_addr(q->ring, q->base, q->prod);

	tb_mem_write64(&rp->nat.mem, a, w0);
	tb_mem_write64(&rp->nat.mem, a + 8, w1);
	rp_spend(rp, rp->pp.cpu_cmd_write);
	q->prod = ring_add(q->ring, q->prod, 1);
}

static void rp_hwq_kick(struct rp *rp, struct rp_hwq *q)
{
	rp_write(rp, q->space, q->prod_off, 4, q->prod);
}

/* Wait until CONS reaches PROD (everything published is consumed). */
static bool rp_hwq_wait(struct rp *rp, struct rp_hwq *q)
{
	bool ok = rp_poll(rp, q->space, q->cons_off, 4, ring_pos_mask(q->ring),
			  q->prod, q->queue, false);
	if (ok)
		q->cons_cache = q->prod;
	return ok;
}

/* Room for @n more commands: like Linux, read CONS only when the cached one says full. */
static void rp_hwq_room(struct rp *rp, struct rp_hwq *q, uint32_t n)
{
	if (ring_space(q->ring, q->prod, q->cons_cache) >= n)
		return;
	uint64_t cons = rp_read(rp, q->space, q->cons_off, 4);
	q->cons_cache = (uint32_t)cons & ring_pos_mask(q->ring);
	if (ring_space(q->ring, q->prod, q->cons_cache) < n)
		rp_hwq_wait(rp, q);
}

/* The host SMMU CMDQ for forwarded commands: the trace's, or one replay sets up. */
static void rp_host_queue(struct rp *rp)
{
	struct tb_qtrack_queue *tq = tb_qtrack_get(&rp->trk, CMDQV_QUEUE_SMMU);

	if (rp->hq_ready)
		return;
	rp->hq.queue = CMDQV_QUEUE_SMMU;
	rp->hq.space = CMDQV_SPACE_SMMU;
	rp->hq.prod_off = RP_SMMU_PROD;
	rp->hq.cons_off = RP_SMMU_CONS;
	uint64_t ack = rp_read(rp, CMDQV_SPACE_SMMU, RP_SMMU_CR0ACK, 4);
	if (tq->based && (ack & RP_CR0_CMDQEN)) {
		rp->hq.base = tq->base;
		rp->hq.ring.log2size = (uint8_t)tq->log2size;
		rp->hq.prod = (uint32_t)rp_read(rp, CMDQV_SPACE_SMMU,
						RP_SMMU_PROD, 4) &
			      ring_pos_mask(rp->hq.ring);
		rp->hq.cons_cache = (uint32_t)rp_read(rp, CMDQV_SPACE_SMMU,
						      RP_SMMU_CONS, 4) &
				    ring_pos_mask(rp->hq.ring);
	} else {
		/* the trace never enabled the SMMU CMDQ: do it like Linux (IHI
		 * 0070 6.3.26-6.3.28 order) */
		uint32_t l2 = rp->pp.queue_log2size;
		uint64_t cr0 = rp_read(rp, CMDQV_SPACE_SMMU, RP_SMMU_CR0, 4);
		rp_write(rp, CMDQV_SPACE_SMMU, RP_SMMU_CR0, 4,
			 cr0 & ~(uint64_t)RP_CR0_CMDQEN);
		rp_poll(rp, CMDQV_SPACE_SMMU, RP_SMMU_CR0ACK, 4, RP_CR0_CMDQEN,
			0, INT32_MIN, false);
		rp_write(rp, CMDQV_SPACE_SMMU, RP_SMMU_BASE, 8,
			 RP_HOSTQ_BASE | l2);
		rp_write(rp, CMDQV_SPACE_SMMU, RP_SMMU_PROD, 4, 0);
		rp_write(rp, CMDQV_SPACE_SMMU, RP_SMMU_CONS, 4, 0);
		rp_write(rp, CMDQV_SPACE_SMMU, RP_SMMU_CR0, 4,
			 cr0 | RP_CR0_CMDQEN);
		rp_poll(rp, CMDQV_SPACE_SMMU, RP_SMMU_CR0ACK, 4, RP_CR0_CMDQEN,
			RP_CR0_CMDQEN, INT32_MIN, false);
		rp->hq.base = RP_HOSTQ_BASE;
		rp->hq.ring.log2size = (uint8_t)l2;
		rp->hq.prod = 0;
		tq->base = RP_HOSTQ_BASE;
		tq->log2size = l2;
		tq->based = true;
	}
	rp->hq_ready = true;
}

/* Host kernel: one command + CMD_SYNC on the SMMU CMDQ, waited for. */
static void rp_host_submit(struct rp *rp, const uint64_t *w, uint32_t n)
{
	rp_host_queue(rp);
	rp_hwq_room(rp, &rp->hq, n + 1);
	for (uint32_t i = 0; i < n; i++)
		rp_hwq_put(rp, &rp->hq, w[2 * i], w[2 * i + 1]);
	rp_hwq_put(rp, &rp->hq, CMDQ_OP_SYNC, 0); /* CS = NONE, CONS polled */
	rp->res->injected++;
	rp_hwq_kick(rp, &rp->hq);
	rp_hwq_wait(rp, &rp->hq);
}

/*
 * Direct path: bring up a guest-owned VINTF with one LVCMDQ the way the host
 * driver and the VMM do it (tegra241-cmdqv.c: tegra241_cmdqv_write_config(),
 * tegra241_cmdqv_probe(), tegra241_cmdqv_hw_reset(), tegra241_vintf_hw_init(),
 * tegra241_vintf_hw_deinit(), tegra241_vcmdq_hw_init(),
 * tegra241_vcmdq_hw_deinit()).  The last VINTF is used so a trace that itself
 * programs VINTF0 keeps it.
 */
static void rp_direct_bringup(struct rp *rp)
{
	struct cmdqv_config *c = &rp->cfg;
	uint32_t per = c->vcmdqs / c->vintfs;
	uint32_t v = c->vintfs - 1;
	uint32_t q = v * per;
	struct tb_qtrack_queue *tq = tb_qtrack_get(&rp->trk, CMDQV_QUEUE_SMMU);
	uint32_t l2 = tq->based ? tq->log2size : rp->pp.queue_log2size;
	bool ok = true;

	if (l2 > c->vcmdq_log2size_max)
		l2 = c->vcmdq_log2size_max;
	rp->direct_up = true;
	rp->vintf = v;
	uint64_t cfg = rp_read(rp, CMDQV_SPACE_CMDQV, RP_V_CONFIG, 4);
	rp_write(rp, CMDQV_SPACE_CMDQV, RP_V_CONFIG, 4, cfg | 1);
	ok &= rp_poll(rp, CMDQV_SPACE_CMDQV, RP_V_STATUS, 4, 1, 1, INT32_MIN,
		      false);
	/* VINTF CONFIG: [0] ENABLE, [16:1] VMID, [17] HYP_OWN = 0 (guest-owned) */
	rp_write(rp, CMDQV_SPACE_CMDQV, RP_V_VINTF(v), 4,
		 (uint64_t)RP_GUEST_VMID << 1);
	rp_write(rp, CMDQV_SPACE_CMDQV, RP_V_VINTF(v), 4,
		 ((uint64_t)RP_GUEST_VMID << 1) | 1);
	ok &= rp_poll(rp, CMDQV_SPACE_CMDQV, RP_V_VINTF(v) + 4, 4, 1, 1,
		      INT32_MIN, false);
	/* CMDQ_ALLOC: [0] ALLOCATED, [7:1] LVCMDQ = 0, [20:15] VINTF */
	rp_write(rp, CMDQV_SPACE_CMDQV, RP_V_ALLOC(q), 4,
		 ((uint64_t)v << 15) | 1);
	rp_write(rp, CMDQV_SPACE_CMDQV, RP_V_PAGE1(q), 8, RP_VCMDQ_BASE | l2);
	rp_write(rp, CMDQV_SPACE_CMDQV, RP_V_PAGE0(q) + RP_VQ_PROD, 4, 0);
	rp_write(rp, CMDQV_SPACE_CMDQV, RP_V_PAGE0(q) + RP_VQ_CONS, 4, 0);
	rp_write(rp, CMDQV_SPACE_CMDQV, RP_V_PAGE0(q) + RP_VQ_CONFIG, 4, 1);
	ok &= rp_poll(rp, CMDQV_SPACE_CMDQV, RP_V_PAGE0(q) + RP_VQ_STATUS, 4, 1,
		      1, INT32_MIN, false);
	rp->direct_failed = !ok;
	/* the guest reaches its LVCMDQ 0 through the VINTF's page 0
	 * (docs/cmdqv-reference.md section 2) */
	rp->vq.queue = (int32_t)q;
	rp->vq.space = CMDQV_SPACE_CMDQV;
	rp->vq.prod_off = RP_V_VI_PAGE0(v) + RP_VQ_PROD;
	rp->vq.cons_off = RP_V_VI_PAGE0(v) + RP_VQ_CONS;
	rp->vq.base = RP_VCMDQ_BASE;
	rp->vq.ring.log2size = (uint8_t)l2;
	rp->vq.prod = 0;
}

/* ATC_INV carries a guest virtual SID: map it 1:1 in SID_MATCH/SID_REPLACE
 * (docs/cmdqv-reference.md section 6). */
static void rp_direct_sid(struct rp *rp, uint32_t sid)
{
	for (uint32_t i = 0; i < rp->sid_slots; i++)
		if (rp->sids[i] == sid)
			return;
	if (rp->sid_slots >= rp->cfg.sids_per_vintf || rp->sid_slots >= 64)
		return; /* no slot: the hardware will flag the command */
	uint32_t s = rp->sid_slots;
	rp->sids[rp->sid_slots++] = sid;
	rp_write(rp, CMDQV_SPACE_CMDQV, RP_V_VINTF(rp->vintf) + 0x80 + 4 * s, 4,
		 sid);
	rp_write(rp, CMDQV_SPACE_CMDQV, RP_V_VINTF(rp->vintf) + 0x40 + 4 * s, 4,
		 ((uint64_t)sid << 1) | 1);
}

/* ------------------------------------------------------------------ */
/* guest batches on direct / trap / eventfd                            */
/* ------------------------------------------------------------------ */

/** struct rp_src - where a guest batch's commands are (the shadow queue). */
struct rp_src {
	uint64_t base;
	struct ring ring;
	uint32_t pos; /* first command */
};

static void rp_src_get(struct rp *rp, const struct rp_src *s, uint32_t i,
		       uint64_t w[2])
{
	uint64_t a =
		ring_entry_addr(s->ring, s->base, ring_add(s->ring, s->pos, i));

	w[0] = tb_mem_read64(&rp->nat.mem, a);
	w[1] = tb_mem_read64(&rp->nat.mem, a + 8);
}

/*
 * Commands [i0, i1) through the emulated vSMMU (trap: user-space VMM, one
 * ioctl per command) or an in-kernel thread (eventfd: chunks of
 * eventfd_batch).  Costs: path_params.def.  Completes them at the simulated
 * time the driver would see them done; returns nothing, counts everything.
 */
static void rp_trapped(struct rp *rp, const struct rp_src *s, uint32_t i0,
		       uint32_t i1, sim_time_t t0, bool eventfd)
{
	const struct path_params *pp = &rp->pp;
	uint64_t w[2];

	rp->res->exits++;
	if (!eventfd) {
		rp_spend(rp, pp->exit_user + pp->vmm_mmio);
		for (uint32_t i = i0; i < i1; i++) {
			rp_src_get(rp, s, i, w);
			uint8_t op = (uint8_t)(w[0] & 0xFF);
			rp_spend(rp, pp->vmm_cmd);
			if (op != CMDQ_OP_SYNC) {
				/* QEMU: IOMMU_HWPT_INVALIDATE with one entry
				 * (null-syscall cost, x86 measurements (no
				 * arm64 figure published)) */
				rp_spend(rp,
					 pp->ioctl_syscall + pp->ioctl_convert);
				rp->res->ioctls++;
				rp_host_submit(rp, w, 1);
			}
			rp_count_cmd(rp, op, rp_now(rp) - t0, rp->phase);
		}
		rp_spend(rp, pp->entry_user);
		/* the guest's CONS read: another trapped access, already complete */
		rp_spend(rp, pp->exit_user + pp->vmm_mmio + pp->entry_user);
		rp->res->exits++;
		return;
	}
	/* eventfd: the PROD store exits to the kernel only; a kthread forwards */
	rp_spend(rp, pp->exit_kernel + pp->kthread_wake);
	uint64_t chunk[2 * 64];
	uint32_t nchunk = 0, first = i0;
	uint32_t cap = pp->eventfd_batch ? pp->eventfd_batch : 1;
	if (cap > 64)
		cap = 64;
	for (uint32_t i = i0; i < i1; i++) {
		rp_src_get(rp, s, i, w);
		rp_spend(rp, pp->kthread_cmd);
		if ((uint8_t)(w[0] & 0xFF) != CMDQ_OP_SYNC) {
			chunk[2 * nchunk] = w[0];
			chunk[2 * nchunk + 1] = w[1];
			nchunk++;
		}
		if (nchunk == cap || i + 1 == i1) {
			if (nchunk)
				rp_host_submit(rp, chunk, nchunk);
			for (uint32_t k = first; k <= i; k++) {
				rp_src_get(rp, s, k, w);
				rp_count_cmd(rp, (uint8_t)(w[0] & 0xFF),
					     rp_now(rp) - t0, rp->phase);
			}
			first = i + 1;
			nchunk = 0;
		}
	}
	/* the guest's next CONS read (in-kernel) sees the update */
	rp_spend(rp, pp->exit_kernel);
	rp->res->exits++;
}

/*
 * Commands [i0, i1) straight onto the SMMU CMDQ (direct path with
 * direct_rest_smmu: the non-allowlisted part of a batch is issued by a
 * driver that owns the SMMU CMDQ, as the host kernel does with CMDQ-V,
 * tegra241-cmdqv.c: tegra241_cmdqv_get_cmdq()), closed by a SYNC and waited
 * for.
 */
static void rp_host_run(struct rp *rp, const struct rp_src *s, uint32_t i0,
			uint32_t i1, sim_time_t t0)
{
	uint64_t w[2];
	bool has_sync = false;

	rp_host_queue(rp);
	for (uint32_t i = i0; i < i1; i++) {
		rp_hwq_room(rp, &rp->hq, 2);
		rp_src_get(rp, s, i, w);
		has_sync = (uint8_t)(w[0] & 0xFF) == CMDQ_OP_SYNC;
		rp_hwq_put(rp, &rp->hq, w[0], w[1]);
	}
	if (!has_sync) {
		rp_hwq_room(rp, &rp->hq, 1);
		rp_hwq_put(rp, &rp->hq, CMDQ_OP_SYNC, 0);
		rp->res->injected++;
	}
	rp_hwq_kick(rp, &rp->hq);
	rp_hwq_wait(rp, &rp->hq);
	for (uint32_t i = i0; i < i1; i++) {
		rp_src_get(rp, s, i, w);
		rp_count_cmd(rp, (uint8_t)(w[0] & 0xFF), rp_now(rp) - t0,
			     rp->phase);
	}
}

/* Guest-allowed on a guest-owned VCMDQ (docs/cmdqv-reference.md section 6). */
static bool rp_guest_ok(uint8_t op)
{
	return op == CMDQ_OP_TLBI_NH_ASID || op == CMDQ_OP_TLBI_NH_VA ||
	       op == CMDQ_OP_ATC_INV;
}

/* Commands [i0, i1) on the guest's VCMDQ; @wait: the driver waits for them. */
static void rp_direct_run(struct rp *rp, const struct rp_src *s, uint32_t i0,
			  uint32_t i1, sim_time_t t0, bool wait, bool last_run)
{
	struct rp_hwq *q = &rp->vq;
	uint64_t w[2];
	bool has_sync = false;
	uint32_t n = i1 - i0;

	/* a run larger than the queue goes in pieces */
	while (n > 0) {
		uint32_t room = ring_entries(q->ring) - 1;
		uint32_t k = n < room ? n : room;
		bool final = k == n;
		bool inject = false;
		rp_hwq_room(rp, q, k + 1);
		for (uint32_t i = i1 - n; i < i1 - n + k; i++) {
			rp_src_get(rp, s, i, w);
			uint8_t op = (uint8_t)(w[0] & 0xFF);
			if (op == CMDQ_OP_SYNC)
				w[0] &= ~RP_SYNC_CS_MASK; /* VCMDQs take CS=NONE only (docs/cmdqv-reference.md section 6) */
			else if (op == CMDQ_OP_ATC_INV)
				rp_direct_sid(rp, (uint32_t)(w[0] >> 32));
			has_sync = op == CMDQ_OP_SYNC;
			rp_hwq_put(rp, q, w[0], w[1]);
		}
		if ((!final || wait) && !has_sync) {
			/* Linux closes a batch it splits with a SYNC of its own */
			rp_hwq_put(rp, q, CMDQ_OP_SYNC, 0);
			rp->res->injected++;
			inject = true;
			has_sync = true;
		}
		struct rp_batch b = {
			.queue = q->queue,
			.last_pos = ring_add(q->ring, q->prod,
					     ring_pos_mask(q->ring)),
			.t_pub = t0,
			.phase = rp->phase,
			.count_batch = final && last_run && !(wait || has_sync),
			.count_cmds = true,
			.last_injected = inject
		};
		rp_ring_push(rp, &b);
		rp_hwq_kick(rp, q);
		if (!final || wait || has_sync)
			rp_hwq_wait(rp, q);
		n -= k;
	}
}

/* The PROD write of a guest batch on direct / trap / eventfd. */
static void rp_guest_batch(struct rp *rp, const struct rp_src *s, uint32_t n)
{
	sim_time_t t0 = rp_now(rp);
	bool timed = false;

	if (!n)
		return;
	switch (rp->o->path) {
	case TB_REPLAY_TRAP:
		rp_trapped(rp, s, 0, n, t0, false);
		timed = true;
		break;
	case TB_REPLAY_EVENTFD:
		rp_trapped(rp, s, 0, n, t0, true);
		timed = true;
		break;
	case TB_REPLAY_DIRECT:
	default: {
		if (!rp->direct_up)
			rp_direct_bringup(rp);
		t0 = rp_now(rp);
		uint32_t i = 0;
		while (i < n) {
			uint64_t w[2];
			rp_src_get(rp, s, i, w);
			bool ok = rp_guest_ok((uint8_t)(w[0] & 0xFF)) ||
				  (uint8_t)(w[0] & 0xFF) == CMDQ_OP_SYNC;
			uint32_t j = i + 1;
			bool any_sync = (uint8_t)(w[0] & 0xFF) == CMDQ_OP_SYNC;
			for (; j < n; j++) {
				rp_src_get(rp, s, j, w);
				uint8_t op = (uint8_t)(w[0] & 0xFF);
				if (op != CMDQ_OP_SYNC && rp_guest_ok(op) != ok)
					break;
				any_sync |= op == CMDQ_OP_SYNC;
			}
			bool last = j == n;
			if (ok) {
				rp_direct_run(rp, s, i, j, t0,
					      !last || any_sync, last);
				timed = last && any_sync;
			} else if (rp->o->direct_rest_smmu) {
				rp_host_run(rp, s, i, j, t0);
				timed = last;
			} else {
				rp_trapped(rp, s, i, j, t0, false);
				timed = last;
			}
			i = j;
		}
		break;
	}
	}
	if (timed) {
		rp_count_batch(rp, rp_now(rp) - t0, rp->phase);
		rp_tl(rp, "batch", 1, 0, t0, rp_now(rp), n);
	}
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
	bool host = rp->o->path == TB_REPLAY_HOST;

	if (!tb_qtrack_write(&rp->trk, t->space, t->offset, t->size, t->value,
			     &queue, &newprod)) {
		int32_t q2;
		enum tb_qreg kind =
			tb_qtrack_reg(&rp->trk, t->space, t->offset, &q2);
		if (!host && kind == TB_QREG_CONS && q2 != CMDQV_QUEUE_SMMU) {
			rp->res->skipped++; /* the guest's emulated queue */
			return 0;
		}
		if (!host && kind == TB_QREG_CONS && rp->hq_ready)
			rp->hq.prod = rp->hq.cons_cache =
				(uint32_t)t->value & ring_pos_mask(rp->hq.ring);
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
		struct rp_src s = { .base = rp_shadow_base(queue),
				    .ring = ring,
				    .pos = old };
		rp_guest_batch(rp, &s, n);
		return 0;
	}
	if (n) {
		struct rp_batch b = { .queue = queue,
				      .last_pos = ring_add(ring, newprod,
							   ring_pos_mask(ring)),
				      .t_pub = rp_now(rp),
				      .phase = rp->phase,
				      .count_batch = true,
				      .count_cmds = true };
		rp_ring_push(rp, &b);
	}
	rp_write(rp, t->space, t->offset, t->size, t->value);
	return 0;
}

static int rp_configure(struct rp *rp, bool reset);

/*
 * On direct/trap/eventfd the driver is a guest and its SMMU is QEMU's
 * emulated vSMMU: a register access other than the queue's PROD/CONS (which
 * the path models itself) is a user-space exit (path_params.def).  The
 * access is still made on the model so that the hardware is set up as the
 * trace set it up.
 */
static void rp_guest_reg_exit(struct rp *rp, const struct tb_trace_rec *t)
{
	if (rp->o->path == TB_REPLAY_HOST || t->space != CMDQV_SPACE_SMMU ||
	    (rp->o->path == TB_REPLAY_DIRECT && rp->o->direct_rest_smmu))
		return; /* the driver owns the SMMU (host kernel) */
	rp_spend(rp, rp->pp.exit_user + rp->pp.vmm_mmio + rp->pp.entry_user);
	rp->res->exits++;
}

static int rp_on_record(struct rp *rp, const struct tb_trace_rec *t)
{
	bool host = rp->o->path == TB_REPLAY_HOST;
	int32_t queue;

	switch (t->kind) {
	case TB_TR_WR: {
		int32_t q;
		enum tb_qreg kind =
			tb_qtrack_reg(&rp->trk, t->space, t->offset, &q);
		if (kind != TB_QREG_PROD && kind != TB_QREG_CONS)
			rp_guest_reg_exit(rp, t);
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
		rp_guest_reg_exit(rp, t);
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
		if (tb_mem_write(&rp->nat.mem, t->addr, t->words,
				 8u * t->nwords))
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
		if (host)
			rp_slot_wait(rp, t->queue, ring, base, t->pos);
		uint64_t a = ring_entry_addr(ring, base, t->pos);
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
		if (q && (q->prod & 0xFFFFF) != t->pos)
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
	if (o->path == TB_REPLAY_DIRECT)
		rp->cfg.cmdqv =
			true; /* the direct path needs CMDQ-V whatever the trace ran on */
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
	if (o->path == TB_REPLAY_DIRECT && !rp->cfg.cmdqv) {
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
	if (o->record) {
		/* rp->nat.mem keeps its address across platform instances */
		rc = tb_recorder_open(&rp->rec, o->record, &rp->nat.mem,
				      &rp->cfg, rp->err, rp->errlen);
		if (rc)
			return rc;
	}
	if (o->timeline) {
		rp->tl = fopen(o->timeline, "w");
		if (!rp->tl) {
			snprintf(rp->err, rp->errlen,
				 "%s: error: cannot create", o->timeline);
			return CMDQV_EIO;
		}
		fprintf(rp->tl,
			"{\"displayTimeUnit\":\"ns\",\"traceEvents\":[");
		rp->tl_first = true;
		rp_tl_meta(rp, 1, 0, "process_name", "driver batches");
		rp_tl_meta(rp, 2, 0, "process_name", "hardware queues");
		rp_tl_meta(rp, 2, 0, "thread_name", "SMMU CMDQ");
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
	if (rp->up) {
		rp->tbase += rp_now(rp);
		tb_native_deinit(&rp->nat);
		rp->up = false;
	}
	res->sim_time = rp->tbase;
	if (rp->rec) {
		char why[256];
		if (tb_recorder_close(rp->rec, why, sizeof(why)) && !rc) {
			snprintf(err, errlen, "%s", why);
			rc = CMDQV_EIO;
		}
	}
	if (rp->tl) {
		fprintf(rp->tl, "\n]}\n");
		if (fclose(rp->tl) && !rc) {
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

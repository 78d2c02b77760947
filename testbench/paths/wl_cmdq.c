/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * wl_cmdq.c - Linux's multi-CPU command submission, arm_smmu_cmdq_issue_cmdlist
 * (arm-smmu-v3.c: arm_smmu_cmdq_issue_cmdlist()), as the "sub" state machine
 * every actor runs when it issues a command list to a queue (wl_int.h):
 *
 *   1. reserve n (+1 SYNC) slots by cmpxchg on the shared {prod, cons} word
 *      (struct wl_llq); the reservation sets CMDQ_PROD_OWNED_FLAG, and the CPU
 *      that found it clear is the owner of everything gathered from then on.
 *      No space: poll_until_not_full (exclusive trylock + CONS read, else
 *      queue_poll until another CPU refreshed llq.cons), then retry;
 *   2. write the commands (+ CMD_SYNC) into the ring; with a SYNC, take the
 *      cmdq lock shared;
 *   3. mark the slots valid;
 *   4. owner: wait for owner_prod == its first slot (previous owner done),
 *      clear the OWNED flag (end of gathering), wait until every gathered
 *      slot is valid, write PROD once for the whole range, set owner_prod;
 *   5. with a SYNC: poll for it (MSI word or CONS with queue_poll back-off,
 *      each CPU its own SYNC); the last shared-lock holder stores its CONS
 *      into llq.cons.
 *
 * The same machine runs on hardware queues (host SMMU CMDQ, LVCMDQs: PROD
 * and CONS are model MMIO) and on a guest's emulated CMDQ (trap, eventfd:
 * the PROD write and every CONS read are VM exits to QEMU or to the host
 * kernel).  Every cost is a path_params.def parameter.  When a SYNC on a
 * hardware queue is seen, the wait is split into stages from the model's
 * per-command trace times (wl_walk).
 */
#include <string.h>

#include "cmdqv_sim/cmd.h"
#include "wl_int.h"

enum {
	U_RESERVE,
	U_CAS,
	U_FULL,
	U_FULL_REFRESH,
	U_FULL_READ,
	U_FULL_GOT,
	U_FULL_POLL,
	U_WRITTEN,
	U_SHARED_WAIT,
	U_VALID,
	U_HANDOFF,
	U_HANDOFF_WAIT,
	U_CLAIM,
	U_POLL_VALID,
	U_VALID_WAIT,
	U_PROD,
	U_PROD_DONE,
	U_RELEASED,
	U_POLL,
	U_READ_ISSUE,
	U_READ_SAMPLE,
	U_GREAD_DONE,
	U_UNLOCK,
	U_TRAP_ENQ,
	U_BQL_WAIT,
	U_BLOCKED,
	U_TRAP_ENTRY,
	U_GEVT_READ,
};

/* Spend @dt of CPU time in stage @s, then continue in sub state @next. */
static void wl_sub_busy(struct wl_actor *a, enum wl_stage s, sim_time_t dt,
			int next)
{
	sim_time_t now = wl_now(a);

	wl_charge(a, s, now, now + dt);
	a->sub.state = next;
	wl_sleep(a, dt);
}

/* Start waiting (no timer): the interval is charged when it ends. */
static void wl_sub_block(struct wl_actor *a, int state)
{
	a->sub.wait_t0 = wl_now(a);
	a->sub.state = state;
}

/* Wake @w, blocked in a smp_cond_load, @cond_wake after a store it watches. */
static void wl_sub_wake(struct wl_actor *w)
{
	sim_schedule_in(w->ctx->k, &w->ev, w->ctx->sw->cond_wake);
}

/* CMD_SYNC as Linux builds it for @cs (IHI 0070 4.2-4.7, 4.7.3; arm-smmu-v3.h;
 * arm-smmu-v3.c: arm_smmu_cmdq_build_sync_cmd()). */
static void wl_build_sync(uint64_t dw[2], uint8_t cs, uint64_t msiaddr)
{
	struct cmd c;

	memset(&c, 0, sizeof(c));
	c.opcode = CMDQ_OP_SYNC;
	c.cs = cs;
	if (msiaddr) {
		/* MSI polling: MSIAddress = the SYNC entry, MSIData = 0, MSH=ISH, MSIAttr=WB
                 * (IHI 0070 4.7.3; arm-smmu-v3.c:
                 * arm_smmu_cmdq_build_sync_cmd()). */
		c.msiaddr = msiaddr;
		c.msidata = 0;
		c.msh = 3;
		c.msiattr = 0xF;
	}
	cmd_encode(&c, dw);
}

void wl_llq_init(struct wl_llq *l, uint8_t log2size, uint32_t *valid)
{
	memset(l, 0, sizeof(*l));
	l->ring.log2size = log2size;
	l->valid = valid;
}

/* Store @cons into llq.cons if it moves forward (several CPUs store it). */
static void wl_llq_store_cons(struct wl_llq *l, uint32_t cons)
{
	if (ring_used(l->ring, l->prod, cons) <
	    ring_used(l->ring, l->prod, l->cons)) {
		l->cons = cons;
		l->ver++;
	}
}

/* ---- guest MMIO exits (trap: to QEMU; eventfd: into the host kernel) ---- */

/*
 * A guest access to its emulated CMDQ's PROD (@kind REQ_PROD, value
 * sub.gathered) or CONS (REQ_READ, the value lands in a->req_reply); the sub
 * machine continues in @ret when the vCPU is back.
 */
static void wl_gexit(struct wl_actor *a, int kind, int ret)
{
	struct wl_ctx *c = a->ctx;
	struct wl_sub *s = &a->sub;
	struct wl_gq *g = s->g;

	c->res->exits++;
	s->exit_kind = kind;
	s->exit_ret = ret;
	if (c->vms[a->vm].server->role == WL_ROLE_VMM) {
		/* trap: to QEMU's vSMMU */
		a->req_kind = kind;
		a->req_prod = s->gathered;
		wl_sub_busy(a, WL_STAGE_EXIT, wl_jitter(c, c->sw->exit_user),
			    U_TRAP_ENQ);
		return;
	}
	if (kind == REQ_PROD) {
		/* eventfd: the ioeventfd store is seen in the kernel at once */
		if (ring_used(g->l.ring, s->gathered, g->cons) <=
		    ring_used(g->l.ring, g->l.prod, g->cons))
			g->prod_reg = s->gathered;
		{
			struct wl_actor *srv = c->vms[a->vm].server;

			srv->ops->notify(srv);
		}
		wl_sub_busy(a, WL_STAGE_EXIT, wl_jitter(c, c->sw->exit_kernel),
			    ret);
		return;
	}
	/* eventfd CONS read: emulated in the kernel; the CPU waits (the kernel
         * thread's work is charged by it), the tail is SYNC wait */
	s->state = U_GEVT_READ;
	wl_sleep(a, wl_jitter(c, c->sw->exit_kernel));
}

void wl_sub_trap_reply(struct wl_actor *r)
{
	/* bql_unlock (FUTEX_WAKE if contended, wl_bql.c), then KVM_RUN */
	sim_time_t now = wl_now(r), d = wl_bql_unlock(r);

	wl_charge(r, WL_STAGE_VMM, now, now + d);
	r->sub.state = U_TRAP_ENTRY;
	wl_sleep(r, d);
}

/* Who runs the submission: a guest driver or host software. */
static enum wl_cmd_site wl_site(const struct wl_actor *a)
{
	if (a->role == WL_ROLE_CPU && a->ctx->pt.path != WL_PATH_HOST)
		return WL_SITE_GUEST;
	return WL_SITE_HOST;
}

/* ---- per-slot records and attribution ---- */

static void wl_seg(struct wl_actor *a, enum wl_stage s, sim_time_t *cur,
		   sim_time_t end, sim_time_t t1)
{
	if (end > t1)
		end = t1;
	if (end > *cur) {
		wl_charge(a, s, *cur, end);
		*cur = end;
	}
}

/*
 * Split [t0, t1) - from this CPU's last own step of the submission to
 * seeing its SYNC complete - by what happened to the entries [from, end):
 * the PROD write that published ours (maybe another CPU's), fetch, queue,
 * execute, ATC; other submitters' entries ahead of our SYNC are queue wait.
 */
static void wl_walk(struct wl_actor *a, struct wl_hwq *q, uint32_t from,
		    uint32_t end, sim_time_t t0, sim_time_t t1)
{
	sim_time_t cur = t0;
	bool atc = false;

	for (uint32_t pos = from; pos != end;
	     pos = ring_add(q->l.ring, pos, 1)) {
		const struct wl_slot *s = &q->slots[ring_idx(q->l.ring, pos)];

		if (!s->seen)
			continue;
		if (s->opcode == CMDQ_OP_ATC_INV)
			atc = true;
		if (s->owner != a) {
			/* another submitter's command ahead of our SYNC */
			wl_seg(a, WL_STAGE_HOST_QUEUE_WAIT, &cur, s->done, t1);
			continue;
		}
		wl_seg(a, WL_STAGE_HOST_QUEUE_WAIT, &cur, s->published, t1);
		wl_seg(a, WL_STAGE_FETCH, &cur, s->fetched, t1);
		wl_seg(a, WL_STAGE_HOST_QUEUE_WAIT, &cur, s->exec_start, t1);
		wl_seg(a, WL_STAGE_EXECUTE, &cur, s->exec_end, t1);
		if (s->opcode == CMDQ_OP_SYNC) {
			wl_seg(a, atc ? WL_STAGE_ATC : WL_STAGE_SYNC_WAIT, &cur,
			       s->done, t1);
			atc = false;
		} else {
			wl_seg(a, WL_STAGE_EXECUTE, &cur, s->done, t1);
		}
	}
	wl_seg(a, WL_STAGE_SYNC_WAIT, &cur, t1, t1);
}

void wl_trace_cmd(struct wl_ctx *c, const struct cmdqv_trace_rec *rec)
{
	struct wl_hwq *q;
	struct wl_slot *s;

	if (rec->kind == CMDQV_TR_ERROR && !c->hw_error) {
		c->hw_error = (int)rec->code + 1;
		c->hw_error_queue = rec->queue;
		return;
	}
	if (rec->kind != CMDQV_TR_CMD)
		return;
	if (rec->queue == CMDQV_QUEUE_SMMU)
		q = &c->hwqs[0];
	else if (rec->queue >= 0 && (uint32_t)rec->queue < c->hw->vcmdqs)
		q = c->by_vcmdq[rec->queue];
	else
		return;
	if (!q)
		return;
	s = &q->slots[ring_idx(q->l.ring, rec->pos)];
	s->seen = true;
	s->published = rec->t_published;
	s->fetched = rec->t_fetched;
	s->exec_start = rec->t_exec_start;
	s->exec_end = rec->t_exec_end;
	s->done = rec->time;
}

void wl_msi_written(struct wl_ctx *c, uint64_t addr, uint32_t len)
{
	struct wl_hwq *q = &c->hwqs[0];
	uint64_t bytes = (uint64_t)ring_entries(q->l.ring) << 4;
	struct wl_actor *w;

	(void)len;
	if (!q->msipoll || addr < q->base || addr >= q->base + bytes)
		return;
	w = q->slots[(addr - q->base) >> 4].waiter;
	if (w)
		sim_schedule_in(c->k, &w->ev, c->sw->msi_wake);
}

/* ---- the machine ---- */

void wl_sub_begin(struct wl_actor *a, struct wl_hwq *q, struct wl_gq *g,
		  const uint64_t (*cmds)[2], uint32_t n, bool sync, bool wait,
		  enum wl_stage stage, int ret_state)
{
	struct wl_sub *s = &a->sub;

	a->in_sub = true;
	s->q = q;
	s->g = g;
	s->l = q ? &q->l : &g->l;
	s->cmds = cmds;
	s->n = n;
	s->sync = sync;
	s->wait = wait;
	s->cpu_stage = stage;
	s->ret_state = ret_state;
	s->state = U_RESERVE;
	s->t_begin = wl_now(a);
	a->ctx->res->issues++;
	wl_sub_step(a);
}

static void wl_sub_return(struct wl_actor *a)
{
	const struct wl_observer *obs = a->ctx->obs;
	const struct wl_sub *s = &a->sub;

	if (obs && obs->issue && a->role == WL_ROLE_CPU)
		obs->issue(obs->ctx, a->track, s->t_begin, wl_now(a), s->n,
			   s->sync, s->owner);
	a->in_sub = false;
	a->state = a->sub.ret_state;
	a->ops->step(
		a); /* back up into the actor (wl_int.h: struct wl_actor_ops) */
}

/* Step 2: write our commands and SYNC into the ring (memory only). */
static void wl_sub_write(struct wl_actor *a)
{
	struct wl_ctx *c = a->ctx;
	struct wl_sub *s = &a->sub;
	struct wl_llq *l = s->l;
	uint64_t base = s->q ? s->q->base : s->g->base;
	uint32_t pos = s->start;

	for (uint32_t i = 0; pos != s->end;
	     i++, pos = ring_add(l->ring, pos, 1)) {
		uint64_t addr = ring_entry_addr(l->ring, base, pos);
		uint64_t dw[2];

		if (i < s->n) {
			dw[0] = s->cmds[i][0];
			dw[1] = s->cmds[i][1];
		} else if (s->q) {
			wl_build_sync(dw, s->q->sync_cs,
				      s->q->msipoll ? addr : 0);
			s->sync_pos = pos;
			c->syncs_written++;
		} else {
			/* The vSMMU has no MSI and no SEV (QEMU 7.2 IDR0, QEMU
			 * 7.2 hw/arm/smmuv3.c: smmuv3_init_regs()): Linux still
			 * asks for CS=SEV and polls CONS. */
			wl_build_sync(dw, CMD_SYNC_CS_SEV, 0);
			s->sync_pos = pos;
			c->syncs_written++;
		}
		tb_mem_write64(&c->mem, addr, dw[0]);
		tb_mem_write64(&c->mem, addr + 8, dw[1]);
		if (s->q) {
			struct wl_slot *sl =
				&s->q->slots[ring_idx(l->ring, pos)];

			memset(sl, 0, sizeof(*sl));
			sl->owner = a;
			sl->opcode = cmd_opcode(dw[0]);
		} else {
			s->g->owner[ring_idx(l->ring, pos)] = a;
		}
		wl_emit_cmd(a, wl_site(a), dw);
	}
}

/* Every slot of [from, to) marked valid for this lap? */
static bool wl_llq_all_valid(const struct wl_llq *l, uint32_t from, uint32_t to)
{
	for (uint32_t pos = from; pos != to; pos = ring_add(l->ring, pos, 1))
		if (l->valid[ring_idx(l->ring, pos)] != pos + 1)
			return false;
	return true;
}

/* Step 4e: owner_prod = @prod; the owner whose range starts there may go. */
static void wl_llq_owner_done(struct wl_llq *l, uint32_t prod)
{
	struct wl_actor **pp;

	l->owner_prod = prod;
	for (pp = &l->handoff; *pp; pp = &(*pp)->handoff_next) {
		struct wl_actor *w = *pp;

		if (w->sub.start == prod) {
			*pp = w->handoff_next;
			w->handoff_next = NULL;
			wl_sub_wake(w);
			return;
		}
	}
}

/* queue_poll: cpu_relax x (spin_count - 1), then udelay doubling; the spin
 * count restarts after each udelay (arm-smmu-v3.c 6.12, Linux arm-smmu-v3.h
 * constants). */
static sim_time_t wl_queue_poll(struct wl_actor *a)
{
	const struct path_params *sw = a->ctx->sw;
	struct wl_sub *s = &a->sub;
	sim_time_t d;

	if (++s->spin < sw->poll_spin_count)
		return sw->cpu_relax;
	d = s->delay;
	s->delay *= 2;
	s->spin = 0;
	return d;
}

static void wl_queue_poll_init(struct wl_actor *a)
{
	a->sub.spin = 0;
	a->sub.delay = a->ctx->sw->poll_udelay_first;
}

/*
 * queue_poll() with IDR0.SEV: Linux sleeps in wfe() instead of spinning
 * (arm-smmu-v3.c: queue_poll_init() sets qp->wfe from ARM_SMMU_FEAT_SEV).
 * That is host kernel code on a hardware queue; a guest's vSMMU advertises
 * no SEV (see wl_sub_write), so guests keep spinning.
 */
static bool wl_poll_wfe(const struct wl_actor *a)
{
	return a->sub.q && a->ctx->hw->sev && wl_site(a) == WL_SITE_HOST;
}

/* The event register is cleared (by a WFE that returns or wakes). */
static void wl_event_clear(struct wl_actor *a)
{
	a->event_reg = false;
	a->evt_cleared = wl_now(a);
}

/*
 * wfe(), then state @next: at once if the event register is set (a SEV,
 * or an event-stream tick since it was last cleared), else asleep until a
 * model SEV (wl_sev) or the next tick of the free-running event stream.
 */
static void wl_wfe(struct wl_actor *a, int next)
{
	sim_time_t now = wl_now(a), period = a->ctx->sw->wfe_evtstrm;

	a->sub.state = next;
	if (a->event_reg ||
	    (period && now / period > a->evt_cleared / period)) {
		wl_event_clear(a);
		wl_sleep(a, 0);
		return;
	}
	a->sub.wfe = true;
	wl_sleep(a, period ? (now / period + 1) * period - now :
			     SIM_TIME_NEVER - now);
}

/* Back from wl_wfe: the event register is clear again. */
static void wl_wfe_woken(struct wl_actor *a)
{
	if (a->sub.wfe) {
		a->sub.wfe = false;
		wl_event_clear(a);
	}
}

void wl_sev(struct wl_ctx *c)
{
	for (uint32_t i = 0; i < c->nactors; i++) {
		struct wl_actor *a = &c->actors[i];

		if (a->in_sub && a->sub.wfe) {
			/* the wake is seen msi_wake later (WFE exit) */
			a->sub.wfe = false;
			wl_event_clear(a);
			sim_schedule_in(c->k, &a->ev, c->sw->msi_wake);
		} else {
			a->event_reg = true;
		}
	}
}

/* After our part of publication: wait for the SYNC, or return. */
static void wl_sub_published(struct wl_actor *a)
{
	struct wl_sub *s = &a->sub;

	s->t_pub = wl_now(a);
	if (!s->sync || !s->wait) {
		if (s->sync)
			s->attr_valid = false;
		wl_sub_return(a);
		return;
	}
	wl_queue_poll_init(a);
	s->lcons = s->l->cons; /* llq->val = READ_ONCE(cmdq->q.llq.val) */
	s->state = U_POLL;
	wl_sub_step(a);
}

/* The SYNC was seen: attribute the wait, then drop the shared lock. */
static void wl_sub_sync_seen(struct wl_actor *a)
{
	struct wl_sub *s = &a->sub;

	if (s->q) {
		s->q->slots[ring_idx(s->l->ring, s->sync_pos)].waiter = NULL;
		if (a->role != WL_ROLE_BG)
			wl_walk(a, s->q, s->attr_from,
				ring_add(s->l->ring, s->sync_pos, 1), s->t_pub,
				wl_now(a));
	}
	s->attr_valid = false;
	wl_sub_busy(a, s->cpu_stage, a->ctx->sw->cmdq_lock_atomic, U_UNLOCK);
}

/* The queue's CONS register as a ring position; @dflt if the read fails. */
static uint32_t wl_read_cons(struct wl_actor *a, uint32_t dflt)
{
	struct wl_sub *s = &a->sub;
	uint64_t v;

	if (cmdqv_mmio_read(a->ctx->m, s->q->space, s->q->cons_off, 4, &v) ==
	    CMDQV_OK)
		return (uint32_t)v & ring_pos_mask(s->l->ring);
	return dflt;
}

/*
 * Half-way through a CONS register read: the access, the value into @dst
 * (@dflt if the read fails), then state @next after the rest of the read.
 */
static void wl_sample_cons(struct wl_actor *a, uint32_t *dst, uint32_t dflt,
			   int next)
{
	const struct wl_ctx *c = a->ctx;

	wl_access(a);
	*dst = wl_read_cons(a, dflt);
	a->sub.state = next;
	wl_sleep(a, c->hw->mmio_read_latency - c->hw->mmio_read_latency / 2);
}

void wl_sub_step(struct wl_actor *a)
{
	struct wl_ctx *c = a->ctx;
	const struct path_params *sw = c->sw;
	struct wl_sub *s = &a->sub;
	struct wl_llq *l = s->l;
	sim_time_t now = wl_now(a);
	uint32_t need = s->n + (s->sync ? 1u : 0u);

	switch (s->state) {
	case U_RESERVE:
		/* step 1: llq.val = READ_ONCE(cmdq->q.llq.val); queue_has_space */
		if (ring_space(l->ring, l->prod, l->cons) < need) {
			c->res->full_waits++;
			s->wait_t0 = now;
			s->state = U_FULL;
			wl_sub_step(a);
			return;
		}
		s->snap_ver = l->ver;
		wl_sub_busy(a, s->cpu_stage, sw->cmdq_llq_cas, U_CAS);
		return;
	case U_CAS:
		if (l->ver != s->snap_ver) {
			/* another CPU changed {prod, cons} since our read: cmpxchg fails,
                         * retry with the value it returned */
			c->res->cas_retries++;
			if (ring_space(l->ring, l->prod, l->cons) < need) {
				s->state = U_RESERVE;
				wl_sub_step(a);
				return;
			}
			s->snap_ver = l->ver;
			wl_sub_busy(a, WL_STAGE_HOST_QUEUE_WAIT,
				    sw->cmdq_llq_cas, U_CAS);
			return;
		}
		s->start = l->prod;
		s->end = ring_add(l->ring, l->prod, need);
		s->owner = !l->owned;
		l->prod = s->end;
		l->owned = true;
		l->ver++;
		if (!s->attr_valid) {
			s->attr_from = s->start;
			s->attr_valid = true;
		}
		wl_sub_write(a);
		/* step 2: queue_write of each entry */
		wl_sub_busy(a, s->cpu_stage, need * sw->cpu_cmd_write,
			    U_WRITTEN);
		return;
	case U_FULL:
		/* arm_smmu_cmdq_poll_until_not_full: exclusive trylock (fails while
                 * a CPU waits for a SYNC: its entry must not be reused unseen) */
		wl_sub_busy(a, WL_STAGE_HOST_QUEUE_WAIT, sw->cmdq_lock_atomic,
			    U_FULL_REFRESH);
		return;
	case U_FULL_REFRESH:
		if (!l->shared && !l->excl) {
			l->excl = true;
			if (s->q) {
				s->state = U_FULL_READ;
				wl_sleep(a, c->hw->mmio_read_latency / 2);
			} else {
				s->gathered = l->prod;
				wl_gexit(a, REQ_READ, U_FULL_GOT);
			}
			return;
		}
		wl_queue_poll_init(a);
		s->state = U_FULL_POLL;
		/* with WFE, llq is read before the first wait */
		wl_sleep(a, wl_poll_wfe(a) ? 0 : wl_queue_poll(a));
		return;
	case U_FULL_READ:
		/* readl_relaxed(cons_reg), sampled half-way through the read */
		wl_sample_cons(a, &a->req_reply, l->cons, U_FULL_GOT);
		return;
	case U_FULL_GOT:
		wl_charge(a, WL_STAGE_HOST_QUEUE_WAIT, s->wait_t0, now);
		wl_llq_store_cons(l, a->req_reply);
		l->excl = false;
		s->state = U_RESERVE;
		wl_sub_step(a);
		return;
	case U_FULL_POLL:
		if (wl_poll_wfe(a)) {
			/* do { llq = READ_ONCE(llq); if (!queue_full) break;
			 * queue_poll: wfe } (arm-smmu-v3.c:
			 * arm_smmu_cmdq_poll_until_not_full()) */
			wl_wfe_woken(a);
			if (ring_space(l->ring, l->prod, l->cons) > 0) {
				wl_charge(a, WL_STAGE_HOST_QUEUE_WAIT,
					  s->wait_t0, now);
				s->state = U_RESERVE;
				wl_sub_step(a);
				return;
			}
			wl_wfe(a, U_FULL_POLL);
			return;
		}
		if (ring_space(l->ring, l->prod, l->cons) >= need) {
			wl_charge(a, WL_STAGE_HOST_QUEUE_WAIT, s->wait_t0, now);
			s->state = U_RESERVE;
			wl_sub_step(a);
			return;
		}
		wl_sleep(a, wl_queue_poll(a));
		return;
	case U_WRITTEN:
		/* step 2 (end): a SYNC takes the cmdq lock shared; step 3.
		 * arm_smmu_cmdq_shared_lock's atomic_fetch_inc counts even
		 * while a CPU holds the lock exclusively (refreshing CONS),
		 * and the exclusive unlock clears only the sign bit: no
		 * exclusive trylock succeeds until this CPU is done
		 * (arm-smmu-v3.c 6.12: arm_smmu_cmdq_shared_lock(),
		 * arm_smmu_cmdq_exclusive_unlock_irqrestore()) */
		s->locked = s->sync && s->wait;
		if (s->locked)
			l->shared++;
		/* fallthrough */
	case U_SHARED_WAIT:
		if (s->locked && l->excl) {
			/* atomic_cond_read_relaxed(&lock, VAL > 0) */
			s->state = U_SHARED_WAIT;
			wl_charge(a, WL_STAGE_HOST_QUEUE_WAIT, now,
				  now + sw->cpu_relax);
			wl_sleep(a, sw->cpu_relax ? sw->cpu_relax : 1);
			return;
		}
		wl_sub_busy(a, s->cpu_stage,
			    (s->locked ? sw->cmdq_lock_atomic : 0) +
				    sw->cmdq_set_valid,
			    U_VALID);
		return;
	case U_VALID:
		for (uint32_t pos = s->start; pos != s->end;
		     pos = ring_add(l->ring, pos, 1))
			l->valid[ring_idx(l->ring, pos)] = pos + 1;
		if (l->valid_waiter) {
			wl_sub_wake(l->valid_waiter);
			l->valid_waiter = NULL;
		}
		if (!s->owner) {
			/* gathered: the current owner writes PROD for us */
			c->res->gathered++;
			wl_sub_published(a);
			return;
		}
		s->state = U_HANDOFF;
		wl_sub_step(a);
		return;
	case U_HANDOFF:
		/* step 4a: atomic_cond_read_relaxed(&owner_prod, VAL == llq.prod) */
		if (l->owner_prod != s->start) {
			c->res->owner_waits++;
			a->handoff_next = l->handoff;
			l->handoff = a;
			wl_sub_block(a, U_HANDOFF_WAIT);
			return;
		}
		wl_sub_busy(a, s->cpu_stage, sw->cmdq_owner_claim, U_CLAIM);
		return;
	case U_HANDOFF_WAIT:
		/* woken by wl_llq_owner_done */
		wl_charge(a, WL_STAGE_HOST_QUEUE_WAIT, s->wait_t0, now);
		wl_sub_busy(a, s->cpu_stage, sw->cmdq_owner_claim, U_CLAIM);
		return;
	case U_CLAIM:
		/* step 4b: atomic_fetch_andnot(OWNED, &llq.prod): gathering ends */
		s->gathered = l->prod;
		l->owned = false;
		l->ver++;
		wl_sub_busy(a, s->cpu_stage, sw->cmdq_poll_valid, U_POLL_VALID);
		return;
	case U_POLL_VALID:
		/* step 4c: arm_smmu_cmdq_poll_valid_map */
		if (!wl_llq_all_valid(l, s->start, s->gathered)) {
			l->valid_waiter = a;
			wl_sub_block(a, U_VALID_WAIT);
			return;
		}
		s->state = U_PROD;
		wl_sub_step(a);
		return;
	case U_VALID_WAIT:
		wl_charge(a, WL_STAGE_HOST_QUEUE_WAIT, s->wait_t0, now);
		wl_sub_busy(a, s->cpu_stage, sw->cmdq_poll_valid, U_POLL_VALID);
		return;
	case U_PROD:
		/* step 4d: writel_relaxed(prod, cmdq->q.prod_reg), once for the range */
		c->res->prod_writes++;
		if (s->q) {
			wl_access(a);
			cmdqv_mmio_write(c->m, s->q->space, s->q->prod_off, 4,
					 s->gathered);
			wl_sub_busy(a, s->cpu_stage, c->hw->mmio_write_latency,
				    U_PROD_DONE);
		} else {
			wl_gexit(a, REQ_PROD, U_PROD_DONE);
		}
		return;
	case U_PROD_DONE:
		/* step 4e: atomic_set_release(&owner_prod, prod) */
		wl_sub_busy(a, s->cpu_stage, sw->cmdq_owner_release,
			    U_RELEASED);
		return;
	case U_RELEASED:
		wl_llq_owner_done(l, s->gathered);
		wl_sub_published(a);
		return;
	case U_POLL:
		/* step 5: arm_smmu_cmdq_poll_until_sync */
		if (s->q && s->q->msipoll) {
			uint64_t addr = ring_entry_addr(l->ring, s->q->base,
							s->sync_pos);

			if (tb_mem_read32(&c->mem, addr) != 0) {
				/* __arm_smmu_cmdq_poll_until_msi: WFE on the line until the
                                 * MSI write (wl_msi_written) or the event stream wakes us */
				s->q->slots[ring_idx(l->ring, s->sync_pos)]
					.waiter = a;
				wl_sleep(a, sw->wfe_evtstrm);
				return;
			}
			s->lcons = ring_add(l->ring, s->sync_pos, 1);
			wl_sub_sync_seen(a);
			return;
		}
		/* __arm_smmu_cmdq_poll_until_consumed: our own SYNC only */
		if (ring_consumed(l->ring, s->lcons, s->sync_pos)) {
			wl_sub_sync_seen(a);
			return;
		}
		if (wl_poll_wfe(a)) {
			wl_wfe(a, U_READ_ISSUE);
			return;
		}
		s->state = U_READ_ISSUE;
		wl_sleep(a, wl_queue_poll(a));
		return;
	case U_READ_ISSUE:
		wl_wfe_woken(a);
		if (!s->q) {
			/* guest: every read of the emulated CONS is an exit */
			s->gathered = l->prod;
			wl_gexit(a, REQ_READ, U_GREAD_DONE);
			return;
		}
		/* readl(cons_reg): the value is sampled half-way through the read */
		s->state = U_READ_SAMPLE;
		wl_sleep(a, c->hw->mmio_read_latency / 2);
		return;
	case U_READ_SAMPLE:
		wl_sample_cons(a, &s->lcons, s->lcons, U_POLL);
		return;
	case U_GREAD_DONE:
		s->lcons = a->req_reply;
		s->state = U_POLL;
		wl_sub_step(a);
		return;
	case U_UNLOCK:
		/* arm_smmu_cmdq_shared_tryunlock fails for the last holder, who then
                 * stores its CONS into llq.cons */
		if (s->locked) {
			if (l->shared == 1)
				wl_llq_store_cons(l, s->lcons);
			l->shared--;
			s->locked = false;
		}
		wl_sub_return(a);
		return;
	case U_TRAP_ENQ:
		a->req_enq = now;
		/* fallthrough */
	case U_BQL_WAIT: {
		struct wl_actor *srv = c->vms[a->vm].server;

		/* prepare_mmio_access: the vCPU thread takes the BQL (wl_bql.c);
                 * asleep in futex_wait until woken, then it tries again */
		if (!wl_bql_lock(a)) {
			s->state = U_BQL_WAIT;
			return;
		}
		WL_FIFO_PUSH(srv->fifo_head, srv->fifo_tail, a, req_next);
		s->state =
			U_BLOCKED; /* the VMM resumes us: wl_sub_trap_reply */
		srv->ops->notify(srv);
		return;
	}
	case U_BLOCKED:
		return;
	case U_TRAP_ENTRY:
		wl_sub_busy(a, WL_STAGE_EXIT, wl_jitter(c, sw->entry_user),
			    s->exit_ret);
		return;
	case U_GEVT_READ:
		a->req_reply = s->g->cons; /* value as the exit returns */
		s->state = s->exit_ret;
		wl_sub_step(a);
		return;
	}
}

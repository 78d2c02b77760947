/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * wl_actor.c - the software actors of the invalidation paths, as event-driven
 * state machines on the model's kernel (wl_int.h):
 *
 *   CPU      a guest vCPU (direct, trap, eventfd) or a host CPU (host) running
 *            dma_map_benchmark: map -> unmap (dma_map_benchmark (Linux
 * kernel/dma/map_benchmark.c) and its published results); an unmap issues
 * Linux's command batches (arm-smmu-v3.c: arm_smmu_tlb_inv_range_domain(),
 * arm_smmu_cmdq_issue_cmdlist()) VMM      one per VM on trap: QEMU's vSMMU, a
 * FIFO server of trapped PROD writes and CONS reads, one ioctl per command
 * (arm-smmu-v3-iommufd.c: arm_vsmmu_convert_user_cmd()) KTHREAD  one per VM on
 * eventfd: consumes the guest queue asynchronously BG       host background
 * traffic on the SMMU CMDQ
 *
 * Every submission to a queue - a CPU's to its hardware queue or to its
 * VM's emulated CMDQ, the VMM's ioctls, the kernel thread's, background -
 * runs the "sub" machine of wl_cmdq.c, Linux's lock-free
 * arm_smmu_cmdq_issue_cmdlist (arm-smmu-v3.c).
 */
#include <string.h>

#include "cmdqv_sim/cmd.h"
#include "tb_linux_cmds.h"
#include "wl_int.h"

/* ---- states ---- */

enum { C_MAP, C_UNMAP, C_ISSUE, C_SUBMIT, C_SUB_RET, C_END, C_DONE, C_IDLE };

enum {
	V_IDLE,
	V_DEQ,
	V_DISPATCHED,
	V_CMD,
	V_CMD_DO,
	V_SUBMIT,
	V_IOCTL_RET,
	V_CMD_NEXT
};

enum { K_IDLE, K_RUN, K_SUBMIT, K_DONE };

enum { B_WAIT, B_GO };

/* Spend @dt of CPU time in stage @s, then continue in @next. */
static void wl_busy(struct wl_actor *a, enum wl_stage s, sim_time_t dt,
		    int next)
{
	sim_time_t now = wl_now(a);

	wl_charge(a, s, now, now + dt);
	a->state = next;
	wl_sleep(a, dt);
}

void wl_cpu_build_cmds(struct wl_actor *a)
{
	struct wl_ctx *c = a->ctx;
	const struct wl_point *pt = &c->pt;
	bool host = pt->path == WL_PATH_HOST;
	/* Each thread's buffer has its own IOVA; the IOVA caches hand the
         * same one back every iteration (dma_map_benchmark (Linux
         * kernel/dma/map_benchmark.c) and its published results: one buffer per
         * thread, mapped again and again). */
	uint64_t iova = 0x10000000ull + ((uint64_t)a->thread << 24);
	uint32_t sid = host ? c->vms[0].psid : c->vms[a->vm].vsid;
	struct tb_tlbi_iter it;
	struct cmd cmd;

	/* __arm_smmu_tlb_inv_range and arm_smmu_atc_inv_to_cmd
	 * (tb_linux_cmds.h); a->tlbi has room for granule_pages commands, the
	 * most the range can need.  VMID 0: the host's own, and what a Linux
	 * guest writes (the VINTF on direct, the ioctl on trap/eventfd,
	 * replaces it; docs/cmdqv-reference.md section 6) */
	a->ntlbi = 0;
	tb_linux_tlbi_begin(&it, iova, pt->granule_pages, pt->ril, 0, 1);
	while (tb_linux_tlbi_next(&it, &cmd))
		cmd_encode(&cmd, a->tlbi[a->ntlbi++]);
	cmd = tb_linux_atc_inv(sid, iova,
			       (uint64_t)pt->granule_pages << WL_PAGE_SHIFT);
	cmd_encode(&cmd, a->atc);
}

/* ---- guest emulated queue (trap, eventfd) ---- */

static struct wl_gq *wl_gq_of(struct wl_actor *a)
{
	return &a->ctx->vms[a->vm].gq;
}

static void wl_server_notify(struct wl_actor *srv)
{
	struct wl_ctx *c = srv->ctx;

	if (srv->role == WL_ROLE_VMM) {
		if (srv->state == V_IDLE) {
			srv->state = V_DEQ;
			wl_sleep(srv, 0);
		}
	} else if (srv->state == K_IDLE) {
		srv->state = K_RUN;
		srv->wake_t0 = wl_now(srv);
		wl_sleep(srv, c->sw->kthread_wake);
	}
}

/*
 * Trap: the VMM's work for vCPU thread @t runs on @t's CPU.  When the state
 * it writes (@lines cache lines) was last written for another vCPU thread
 * (*@last), those lines come over from that CPU first, cacheline_transfer
 * each; one thread keeps them in its own cache and never pays.
 */
static sim_time_t wl_handover(struct wl_ctx *c, const struct wl_actor **last,
			      const struct wl_actor *t, uint32_t lines)
{
	bool moved = *last && *last != t;

	*last = t;
	if (!moved)
		return 0;
	c->res->handover_moves++;
	return (sim_time_t)lines * c->sw->cacheline_transfer;
}

/* ---- CPU: the dma_map_benchmark thread ---- */

static void wl_cpu_record(struct wl_actor *a)
{
	struct wl_ctx *c = a->ctx;
	struct wl_result *r = c->res;
	sim_time_t now = wl_now(a);
	struct wl_sample *smp;
	const struct wl_observer *obs = c->obs;

	wl_acc_charge(&a->own, WL_STAGE_GUEST_CPU, now,
		      now); /* close any gap */
	a->acc = NULL;
	if (r->count < r->capacity) {
		smp = &r->samples[r->count++];
		smp->start = a->start;
		smp->latency = now - a->start;
		smp->thread = a->thread;
		smp->vm = (uint32_t)a->vm;
		memcpy(smp->stage, a->own.stage, sizeof(smp->stage));
	}
	a->done++;
	if (now > r->sim_time)
		r->sim_time = now;
	if (obs && obs->progress &&
	    (r->count % c->progress_step == 0 || r->count == c->total))
		obs->progress(obs->ctx, r->count, c->total);
}

/* ---- CPU work sources ---- */

/*
 * The dma_map_benchmark generator: an unmap's TLBIs in batches of
 * CMDQ_BATCH_ENTRIES (the last with a SYNC), then its ATC_INV + SYNC.
 * Fills a->issue_*; false when the unmap has issued everything.
 */
static bool wl_gen_next_issue(struct wl_actor *a)
{
	uint32_t k;

	if (a->issue_next < a->ntlbi) {
		/* arm_smmu_cmdq_batch_add issues a full batch without SYNC */
		k = a->ntlbi - a->issue_next;
		if (k > WL_BATCH_MAX)
			k = WL_BATCH_MAX;
		a->issue_cmds = (const uint64_t(*)[2]) & a->tlbi[a->issue_next];
		a->issue_next += k;
		a->issue_sync = a->issue_next == a->ntlbi;
	} else if (!a->atc_done) {
		/* arm_smmu_atc_inv_domain after the TLBI SYNC (arm-smmu-v3.c:
		 * arm_smmu_tlb_inv_range_domain()) */
		k = 1;
		a->issue_cmds = (const uint64_t(*)[2])a->atc;
		a->issue_sync = true;
		a->atc_done = true;
	} else {
		return false;
	}
	a->issue_n = k;
	/* direct/host: the CPU's hardware queue; trap/eventfd: the VM's
	 * emulated CMDQ, same Linux code (arm-smmu-v3.c:
	 * arm_smmu_cmdq_issue_cmdlist()) */
	a->issue_hwq = a->hwq;
	a->issue_gq = a->hwq ? NULL : wl_gq_of(a);
	return true;
}

/*
 * arm_smmu_atc_inv_domain builds the ATC_INVs under the domain's
 * devices_lock, a spinlock every CPU unmapping for the device takes: time
 * from @now until the commands are built (@build), counting the cache line's
 * move from the CPU that took the lock last and the spin while another CPU
 * holds it.  TLBI batches and trace batches take no lock (the trace's
 * commands were built already).
 */
static sim_time_t wl_devlock(struct wl_actor *a, sim_time_t now,
			     sim_time_t build)
{
	struct wl_ctx *c = a->ctx;
	struct wl_vm *vm = &c->vms[a->vm < 0 ? 0 : a->vm];
	sim_time_t t = now;

	if (c->feed || a->issue_cmds != (const uint64_t(*)[2])a->atc)
		return build;
	if (vm->devlock_free > t) {
		t = vm->devlock_free; /* spin until the holder unlocks */
		c->res->devlock_spins++;
	}
	if (vm->devlock_last && vm->devlock_last != a) {
		t += c->sw->cacheline_transfer;
		c->res->devlock_moves++;
	}
	vm->devlock_last = a;
	vm->devlock_free = t + build;
	return vm->devlock_free - now;
}

/* Which queue a guest driver sends @dw to (trace batches). */
static void wl_feed_route(struct wl_actor *a, const uint64_t dw[2],
			  struct wl_hwq **q, struct wl_gq **g)
{
	struct wl_ctx *c = a->ctx;

	*q = NULL;
	*g = NULL;
	if (c->pt.path != WL_PATH_DIRECT) {
		*g = wl_gq_of(a); /* trap, eventfd: the emulated CMDQ */
		return;
	}
	/* tegra241_cmdqv_get_cmdq: what the VCMDQ of a guest VINTF takes goes
	 * there; the rest to the vSMMU's emulated CMDQ, or with
	 * direct_rest_smmu to the SMMU CMDQ the driver owns */
	if (cmd_guest_allowed(cmd_opcode(dw[0])))
		*q = a->hwq;
	else if (c->feed->rest_smmu)
		*q = &c->hwqs[0];
	else
		*g = wl_gq_of(a);
}

/*
 * Trace batches: the next piece of the batch the feed handed over, split
 * the way arm_smmu_cmdq_batch_add splits a command list: at the driver's
 * CMD_SYNC (the submission writes its own, with the queue's CS), where the
 * next command needs another queue (issued with a SYNC of its own), and
 * after CMDQ_BATCH_ENTRIES commands (without SYNC).  The commands the last
 * piece covered are reported done to the feed first.
 */
static bool wl_feed_next_issue(struct wl_actor *a)
{
	struct wl_feed *f = a->ctx->feed;
	struct wl_hwq *q0 = f->last_q, *q;
	struct wl_gq *g0 = f->last_g, *g;
	uint64_t dw[2];
	uint32_t k = 0;
	bool sync = false, routed = false;

	if (f->next > f->from) {
		f->ops.done(f->ops.ctx, f->from, f->next, wl_now(a));
		f->from = f->next;
	}
	if (f->next >= f->n)
		return false;
	while (f->next < f->n && k < WL_BATCH_MAX) {
		f->ops.get(f->ops.ctx, f->next, dw);
		if (cmd_opcode(dw[0]) == CMDQ_OP_SYNC) {
			f->next++;
			f->syncs++;
			sync = true;
			break;
		}
		wl_feed_route(a, dw, &q, &g);
		if (routed && (q != q0 || g != g0)) {
			sync = true; /* another queue: close this piece */
			break;
		}
		q0 = q;
		g0 = g;
		routed = true;
		a->tlbi[k][0] = dw[0];
		a->tlbi[k][1] = dw[1];
		k++;
		f->next++;
	}
	/* (a CMD_SYNC on its own goes where the last piece went) */
	f->last_q = q0;
	f->last_g = g0;
	a->issue_cmds = (const uint64_t(*)[2])a->tlbi;
	a->issue_n = k;
	a->issue_sync = sync;
	a->issue_hwq = q0;
	a->issue_gq = g0;
	return true;
}

/* A trace batch is done: its time goes to the feed (no sample array). */
static void wl_feed_record(struct wl_actor *a)
{
	struct wl_feed *f = a->ctx->feed;
	sim_time_t now = wl_now(a);

	wl_acc_charge(&a->own, WL_STAGE_GUEST_CPU, now,
		      now); /* close any gap */
	a->acc = NULL;
	f->sample.start = a->start;
	f->sample.latency = now - a->start;
	f->sample.thread = a->thread;
	f->sample.vm = (uint32_t)a->vm;
	memcpy(f->sample.stage, a->own.stage, sizeof(f->sample.stage));
	f->idle = true;
}

static void wl_cpu_step(struct wl_actor *a)
{
	struct wl_ctx *c = a->ctx;
	const struct path_params *sw = c->sw;
	const struct wl_point *pt = &c->pt;
	sim_time_t now = wl_now(a);

	switch (a->state) {
	case C_MAP:
		if (a->done >= pt->iterations ||
		    (pt->duration && now - c->t0 >= pt->duration)) {
			a->state = C_DONE;
			a->finished = true;
			c->cpus_done++;
			return;
		}
		{
			sim_time_t t = sw->cpu_map_base +
				       sw->cpu_map_per_page * pt->granule_pages;

			t = wl_jitter(c, t);

			if (c->obs && c->obs->span)
				c->obs->span(c->obs->ctx, a->track, "dma_map",
					     now, now + t);
			a->state = C_UNMAP;
			wl_sleep(a, t);
		}
		return;
	case C_UNMAP:
		a->start = now;
		memset(&a->own, 0, sizeof(a->own));
		a->own.until = now;
		a->acc = &a->own;
		a->issue_next = 0;
		a->atc_done = !pt->ats;
		/* a trace batch starts at its PROD write: no dma_unmap work */
		wl_busy(a, WL_STAGE_GUEST_CPU,
			c->feed ?
				0 :
				sw->cpu_unmap_base + sw->cpu_unmap_per_page *
							     pt->granule_pages,
			C_ISSUE);
		return;
	case C_ISSUE:
		if (!(c->feed ? wl_feed_next_issue(a) : wl_gen_next_issue(a))) {
			a->state = C_END;
			wl_actor_step(a);
			return;
		}
		/* queue_write of each entry is paid inside the submission (wl_cmdq.c) */
		wl_busy(a, WL_STAGE_GUEST_CPU,
			wl_devlock(a, now, a->issue_n * sw->cpu_cmd_build) +
				sw->cpu_issue_base,
			C_SUBMIT);
		return;
	case C_SUBMIT:
		/* direct/host: the CPU's hardware queue; trap/eventfd: the VM's
                 * emulated CMDQ, same Linux code (arm-smmu-v3.c:
                 * arm_smmu_cmdq_issue_cmdlist()) */
		wl_sub_begin(a, a->issue_hwq, a->issue_gq, a->issue_cmds,
			     a->issue_n, a->issue_sync, true,
			     WL_STAGE_GUEST_CPU, C_SUB_RET);
		return;
	case C_SUB_RET:
		a->state = C_ISSUE;
		wl_actor_step(a);
		return;
	case C_DONE:
	case C_IDLE:
		return;
	case C_END:
		if (c->feed) {
			/* a trace batch is done: the feed's caller takes it from here */
			wl_feed_record(a);
			a->state = C_IDLE;
			return;
		}
		wl_cpu_record(a);
		a->state = C_MAP;
		wl_actor_step(a);
		return;
	}
}

/* ---- VMM: QEMU's vSMMU for one VM (trap) ---- */

/* arm_vsmmu_convert_user_cmd: VMID and StreamID rewrite (arm-smmu-v3-iommufd.c:
 * arm_vsmmu_convert_user_cmd()). */
static bool wl_convert(const struct wl_vm *vm, const uint64_t in[2],
		       uint64_t out[2])
{
	struct cmd c;

	cmd_decode(in, &c);
	switch (c.opcode) {
	case CMDQ_OP_TLBI_NH_VA:
	case CMDQ_OP_TLBI_NH_VAA:
	case CMDQ_OP_TLBI_NH_ASID:
	case CMDQ_OP_TLBI_NH_ALL:
		c.vmid = vm->vmid;
		break;
	case CMDQ_OP_ATC_INV:
	case CMDQ_OP_CFGI_CD:
	case CMDQ_OP_CFGI_CD_ALL:
		if (vm->any_sid)
			break; /* trace batches: the trace's SIDs are the device's */
		if (c.sid != vm->vsid)
			return false; /* -EIO: no vDEVICE for this vSID */
		c.sid = vm->psid;
		break;
	default:
		return false;
	}
	cmd_encode(&c, out);
	return true;
}

static void wl_gq_read(struct wl_ctx *c, const struct wl_gq *g, uint32_t pos,
		       uint64_t dw[2])
{
	uint64_t addr = ring_entry_addr(g->l.ring, g->base, pos);

	dw[0] = tb_mem_read64(&c->mem, addr);
	dw[1] = tb_mem_read64(&c->mem, addr + 8);
}

static void wl_vmm_step(struct wl_actor *a)
{
	struct wl_ctx *c = a->ctx;
	const struct path_params *sw = c->sw;
	struct wl_vm *vm = &c->vms[a->vm];
	struct wl_gq *g = &vm->gq;
	struct wl_actor *r = a->cur;
	sim_time_t now = wl_now(a);
	uint64_t dw[2];
	struct cmd cmd;

	switch (a->state) {
	case V_IDLE:
		return;
	case V_DEQ:
		r = a->fifo_head;
		if (!r) {
			a->state = V_IDLE;
			a->acc = NULL;
			return;
		}
		a->fifo_head = r->req_next;
		if (!a->fifo_head)
			a->fifo_tail = NULL;
		a->cur = r;
		a->acc = &r->own;
		/* waiting for the VM's one VMM thread (BQL / vSMMU mutex): the blocked
                 * vCPU's time, shown on its own track */
		wl_charge(r, WL_STAGE_VMM, r->req_enq, now);
		wl_busy(a, WL_STAGE_VMM,
			sw->vmm_mmio + wl_handover(c, &vm->vmm_last, r,
						   sw->vmm_handover_lines),
			V_DISPATCHED);
		return;
	case V_DISPATCHED:
		if (r->req_kind == REQ_READ) {
			r->req_reply = g->cons;
			goto reply;
		}
		if (ring_used(g->l.ring, r->req_prod, g->cons) <=
		    ring_used(g->l.ring, g->l.prod, g->cons))
			g->prod_reg = r->req_prod;
		a->state = V_CMD;
		wl_actor_step(a);
		return;
	case V_CMD:
		/* QEMU consumes the whole queue inside the PROD write (QEMU
		 * hw/arm/smmuv3.c: smmuv3_cmdq_consume()) */
		if (g->cons == g->prod_reg) {
			r->req_reply = g->cons;
			goto reply;
		}
		wl_busy(a, WL_STAGE_VMM, sw->vmm_cmd, V_CMD_DO);
		return;
	case V_CMD_DO:
		wl_gq_read(c, g, g->cons, dw);
		cmd_decode(dw, &cmd);
		if (cmd.opcode == CMDQ_OP_SYNC ||
		    !wl_convert(vm, dw, a->hcmd[0])) {
			/* CMD_SYNC is completed locally: each ioctl already synced */
			a->state = V_CMD_NEXT;
			wl_actor_step(a);
			return;
		}
		c->res->ioctls++;
		wl_busy(a, WL_STAGE_IOCTL,
			sw->ioctl_syscall / 2 + sw->ioctl_convert +
				sw->cpu_issue_base +
				wl_handover(c, &vm->ioctl_last, r,
					    sw->ioctl_handover_lines),
			V_SUBMIT);
		return;
	case V_SUBMIT:
		/* one entry, then CMD_SYNC, on the host SMMU CMDQ (entry_num = 1) */
		wl_sub_begin(a, &c->hwqs[0], NULL,
			     (const uint64_t(*)[2])a->hcmd, 1, true, true,
			     WL_STAGE_IOCTL, V_IOCTL_RET);
		return;
	case V_IOCTL_RET:
		wl_busy(a, WL_STAGE_IOCTL,
			sw->ioctl_syscall - sw->ioctl_syscall / 2, V_CMD_NEXT);
		return;
	case V_CMD_NEXT:
		g->cons = ring_add(g->l.ring, g->cons, 1);
		a->state = V_CMD;
		wl_actor_step(a);
		return;
	}
	return;
reply:
	a->cur = NULL;
	a->acc = NULL;
	wl_sub_trap_reply(r);
	a->state = V_DEQ;
	wl_actor_step(a);
}

/* ---- kernel thread: eventfd ---- */

static void wl_served_add(struct wl_actor *a, struct wl_actor *owner)
{
	if (!owner || !owner->acc)
		return;
	for (uint32_t i = 0; i < a->nserved; i++)
		if (a->served[i] == owner->acc)
			return;
	if (a->nserved < WL_BATCH_MAX)
		a->served[a->nserved++] = owner->acc;
}

static void wl_kthread_step(struct wl_actor *a)
{
	struct wl_ctx *c = a->ctx;
	const struct path_params *sw = c->sw;
	struct wl_vm *vm = &c->vms[a->vm];
	struct wl_gq *g = &vm->gq;
	sim_time_t now = wl_now(a);
	uint32_t pos, n = 0;
	uint64_t dw[2];

	switch (a->state) {
	case K_IDLE:
		return;
	case K_RUN:
		if (g->cons == g->prod_reg) {
			a->state = K_IDLE;
			a->nserved = 0;
			return;
		}
		a->nserved = 0;
		for (pos = g->cons; pos != g->prod_reg && n < sw->eventfd_batch;
		     pos = ring_add(g->l.ring, pos, 1)) {
			wl_served_add(a, g->owner[ring_idx(g->l.ring, pos)]);
			wl_gq_read(c, g, pos, dw);
			if (cmd_opcode(dw[0]) == CMDQ_OP_SYNC)
				continue;
			if (wl_convert(vm, dw, a->hcmd[n]))
				n++;
		}
		a->chunk_end = pos;
		if (a->wake_t0 != SIM_TIME_NEVER) {
			wl_charge(a, WL_STAGE_VMM, a->wake_t0, now);
			a->wake_t0 = SIM_TIME_NEVER;
		}
		if (!n) {
			g->cons = a->chunk_end;
			wl_actor_step(a);
			return;
		}
		a->sub.n = n;
		wl_busy(a, WL_STAGE_VMM,
			n * sw->kthread_cmd + sw->cpu_issue_base, K_SUBMIT);
		return;
	case K_SUBMIT:
		wl_sub_begin(a, &c->hwqs[0], NULL,
			     (const uint64_t(*)[2])a->hcmd, a->sub.n, true,
			     true, WL_STAGE_VMM, K_DONE);
		return;
	case K_DONE:
		g->cons = a->chunk_end;
		a->state = K_RUN;
		wl_actor_step(a);
		return;
	}
}

/* ---- host background traffic ---- */

static void wl_bg_step(struct wl_actor *a)
{
	struct wl_ctx *c = a->ctx;

	switch (a->state) {
	case B_WAIT: {
		/* Uniform on (0, 2/rate): mean 1/rate, deterministic per seed. */
		uint64_t mean = 1000000000000ull / c->pt.host_background;
		uint64_t u = wl_rng_next(&c->rng) % 1000000ull;

		a->state = B_GO;
		wl_sleep(a, 1 + (mean * 2 * u) / 1000000ull);
		return;
	}
	case B_GO:
		wl_sub_begin(a, &c->hwqs[0], NULL,
			     (const uint64_t(*)[2])a->hcmd, c->sw->bg_cmds,
			     true, false, WL_STAGE_HOST_QUEUE_WAIT, B_WAIT);
		return;
	}
}

/* ---- dispatch ---- */

void wl_actor_step(struct wl_actor *a)
{
	if (a->in_sub) {
		wl_sub_step(a);
		return;
	}
	switch (a->role) {
	case WL_ROLE_CPU:
		wl_cpu_step(a);
		break;
	case WL_ROLE_VMM:
		wl_vmm_step(a);
		break;
	case WL_ROLE_KTHREAD:
		wl_kthread_step(a);
		break;
	case WL_ROLE_BG:
		wl_bg_step(a);
		break;
	}
}

void wl_cpu_feed_start(struct wl_actor *a)
{
	a->state = C_UNMAP;
	wl_sleep(a, 0);
}

const struct wl_actor_ops wl_actor_ops = {
	.step = wl_actor_step,
	.notify = wl_server_notify,
};

void wl_actor_fire(struct sim_kernel *k, struct sim_event *ev)
{
	(void)k;
	wl_actor_step((struct wl_actor *)ev->arg);
}

void wl_actor_start(struct wl_actor *a)
{
	switch (a->role) {
	case WL_ROLE_CPU:
		if (a->ctx->feed) {
			a->state =
				C_IDLE; /* until the feed hands a batch over */
			break;
		}
		a->state = C_MAP;
		wl_sleep(a, 0);
		break;
	case WL_ROLE_VMM:
		a->state = V_IDLE;
		break;
	case WL_ROLE_KTHREAD:
		a->state = K_IDLE;
		a->wake_t0 = SIM_TIME_NEVER;
		break;
	case WL_ROLE_BG: {
		struct cmd cmd;

		memset(&cmd, 0, sizeof(cmd));
		cmd.opcode = CMDQ_OP_TLBI_NH_VA;
		cmd.asid = 2; /* some host DMA domain */
		for (uint32_t i = 0; i < a->ctx->sw->bg_cmds; i++) {
			cmd.addr =
				0x80000000ull + ((uint64_t)i << WL_PAGE_SHIFT);
			cmd_encode(&cmd, a->hcmd[i]);
		}
		a->state = B_WAIT;
		wl_sleep(a, 0);
		break;
	}
	}
}

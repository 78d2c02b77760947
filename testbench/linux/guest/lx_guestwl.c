/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lx_guestwl.c - the guest paths of `cmdqv-sim compare` on the real guest
 * driver: the unmap loop of lx_hostwl.c (lx_unmaps) on a VM's vCPUs, every
 * command list through the guest kernel's arm_smmu_cmdq_issue_cmdlist()
 * (lxg_issue_raw), and the same point through the built-in engine.
 *
 *   trap    the guest sees no CMD-QV: its commands go to the vSMMU's
 *           emulated CMDQ, whose PROD and CONS accesses trap to the VMM
 *           with the trap path's costs (lx_vm_params.sw: exits, QEMU's
 *           BQL, one ioctl per command into the host driver's SMMU CMDQ);
 *   eventfd the same emulated CMDQ, but its PROD store and CONS read are
 *           short in-kernel exits and a kernel thread on one more host CPU
 *           consumes it (the proposed design, lx_vm_params.eventfd);
 *   direct  the guest's VINTF0 is a host VINTF whose LVCMDQ page is
 *           mapped: TLBI and ATC_INV go straight to the model, the VMM is
 *           not involved.
 *
 * The host kernel runs on the same scheduler CPUs as the vCPUs (a vCPU
 * thread's ioctl runs in the host kernel on its own CPU), its CMD-QV on for
 * direct (VINTF0 its own, the VM on VINTF1) and off for trap.
 */
#include <stdio.h>
#include <string.h>

#include "lx_vmm.h"
#include "lxg.h"
#include "paths.h"

struct guest_run {
	struct lx_vm *vm;
	void (*fn)(unsigned t, unsigned cpu, void *arg);
	void *arg;
};

static int guest_issue(void *ctx, const uint64_t *cmds, int n, bool sync)
{
	(void)ctx;
	return lxg_issue_raw(cmds, n, sync);
}

static int guest_queue(void *ctx)
{
	(void)ctx;
	return lxg_queue_for_cpu();
}

static void guest_vcpu_fn(struct lx_vm *vm, unsigned v, void *arg)
{
	struct guest_run *g = arg;

	g->fn(v, lx_vm_params(vm)->cpu_base + v, g->arg);
}

static int guest_run_fn(void *ctx, unsigned threads,
			void (*fn)(unsigned t, unsigned cpu, void *arg),
			void *arg)
{
	struct guest_run *g = ctx;

	g->fn = fn;
	g->arg = arg;
	return lx_vm_run(g->vm, threads, guest_vcpu_fn, g, SIM_TIME_NEVER - 1);
}

int lx_guest_unmaps(struct lx_vm *vm, const struct lx_host_cfg *c,
		    struct lx_host_result *r)
{
	struct guest_run g = { vm, NULL, NULL };
	struct lx_unmap_ops ops = {
		guest_run_fn,
		guest_issue,
		guest_queue,
		&g,
		lx_vm_counters(vm),
		lx_model(lx_vm_x(vm)),
		lx_vm_params(vm)->vsid,
	};

	if (c->pt->threads > lx_vm_params(vm)->ncpus) {
		memset(r, 0, sizeof(*r));
		return CMDQV_EINVAL;
	}
	return lx_unmaps(c, &ops, r);
}

/* The driver's side of a trap or direct point: host, VM, guest probe, the
 * loop. */
static int guest_linux(const struct cmdqv_config *hw,
		       const struct path_params *sw, const struct wl_point *pt,
		       struct lx_cmp_side *s, char *err, size_t errlen)
{
	bool direct = pt->path == WL_PATH_DIRECT;
	bool eventfd = pt->path == WL_PATH_EVENTFD;
	struct lx_host_cfg c = { pt, sw };
	struct lx_host_result r;
	struct lx_vm_params vp;
	struct lx_vm_stats v0;
	const struct lx_vm_stats *v1;
	struct lx_vm *vm;
	/* eventfd: one more host CPU, the kernel thread's */
	struct lx *x = lx_cmp_platform(hw, sw, pt->threads + (eventfd ? 1 : 0),
				       direct, err, errlen);
	int rc;

	if (!x)
		return CMDQV_EINVAL;
	lx_vm_params_default(&vp);
	vp.ncpus = pt->threads;
	vp.cmdqv = direct;
	vp.cmdqs = sw->queue_log2size;
	vp.sw = sw;
	vp.seed = pt->seed;
	vp.eventfd = eventfd;
	vp.kthread_cpu = pt->threads;
	vm = lx_vm_create(x, &vp, err, errlen);
	if (!vm) {
		lx_destroy(x);
		return CMDQV_EINVAL;
	}
	rc = lx_vm_probe(vm);
	if (rc || lxg_uses_cmdqv() != direct) {
		snprintf(err, errlen,
			 "the guest driver's probe returned %d (CMD-QV %s)", rc,
			 lxg_uses_cmdqv() ? "in use" : "not in use");
		lx_vm_destroy(vm);
		lx_destroy(x);
		return CMDQV_EIO;
	}
	v0 = *lx_vm_stats(vm);
	rc = lx_guest_unmaps(vm, &c, &r);
	v1 = lx_vm_stats(vm);
	if (rc != CMDQV_OK) {
		snprintf(err, errlen,
			 "the guest driver's run did not finish (%d)", rc);
	} else {
		if (lx_vm_counters(vm)->warnings ||
		    lx_vm_counters(vm)->unsupported ||
		    lx_counters(x)->warnings || lx_counters(x)->unsupported)
			s->failed++;
		if (v1->forward_failed != v0.forward_failed)
			s->failed++;
		s->exits = v1->trap_reads + v1->trap_writes - v0.trap_reads -
			   v0.trap_writes;
		s->ioctls = v1->forward_batches - v0.forward_batches;
		s->bql_sleeps = v1->bql_sleeps - v0.bql_sleeps;
		s->bql_wakes = v1->bql_wakes - v0.bql_wakes;
		rc = lx_cmp_reduce(&r, pt, s);
		if (r.queue[0] < 0)
			snprintf(s->queue, sizeof(s->queue),
				 "emulated vSMMU CMDQ");
		else
			snprintf(s->queue, sizeof(s->queue),
				 "the VM's LVCMDQs (vcpu %% %u)",
				 lx_vm_lvcmdqs(vm));
	}
	lx_host_result_free(&r);
	lx_vm_destroy(vm);
	lx_destroy(x);
	return rc;
}

int lx_cmp_guest_point(const struct cmdqv_config *hw,
		       const struct path_params *sw, const struct wl_point *pt,
		       struct lx_cmp_side *lxs, struct lx_cmp_side *bis,
		       char *err, size_t errlen)
{
	struct wl_point p = *pt;
	int r;

	memset(lxs, 0, sizeof(*lxs));
	memset(bis, 0, sizeof(*bis));
	if (p.path != WL_PATH_TRAP && p.path != WL_PATH_DIRECT &&
	    p.path != WL_PATH_EVENTFD) {
		snprintf(err, errlen, "guest paths: trap, eventfd or direct");
		return CMDQV_EINVAL;
	}
	p.vms = 1;
	p.duration = 0;
	p.host_background = 0;
	p.host_queues = 0;
	if (p.threads < 1 ||
	    p.threads + (p.path == WL_PATH_EVENTFD) > SIMCPU_MAX_CPUS) {
		snprintf(err, errlen, "threads: expected 1..%d, got %u",
			 SIMCPU_MAX_CPUS, p.threads);
		return CMDQV_EINVAL;
	}
	r = guest_linux(hw, sw, &p, lxs, err, errlen);
	if (r == CMDQV_OK)
		r = lx_cmp_builtin(hw, sw, &p, bis, err, errlen);
	return r;
}

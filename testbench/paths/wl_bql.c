/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * wl_bql.c - QEMU's big QEMU lock (BQL) of one VM on the trap path, as the
 * vCPU threads meet it (docs/timing-model.md section 3.3.1).
 *
 * KVM returns a trapped MMIO access to the vCPU's own QEMU thread
 * (accel/kvm/kvm-all.c: kvm_cpu_exec, KVM_EXIT_MMIO "called outside BQL");
 * the dispatch takes the BQL before calling a region that was not made
 * lockless (system/physmem.c: prepare_mmio_access), and the vSMMU's region
 * is a plain memory_region_init_io (hw/arm/smmuv3.c: smmu_realize).  So the
 * whole CMDQ_PROD handler - consuming the emulated queue, every
 * IOMMU_HWPT_INVALIDATE ioctl and its host CMD_SYNC wait - and every
 * CMDQ_CONS read run under one lock shared by all vCPU threads of the VM.
 * The vSMMU's own s->mutex is only ever taken inside the BQL here, so it
 * never makes a thread wait on its own.
 *
 * The BQL is a QemuMutex, i.e. a glibc pthread mutex of the default type,
 * which does not spin: a thread that finds it held sleeps in futex_wait and
 * the unlocking thread wakes one sleeper with FUTEX_WAKE.  The lock word
 * follows glibc's low-level lock (nptl lowlevellock: lll_lock, lll_unlock):
 *
 *   0 free, 1 locked, 2 locked and maybe contended;
 *   lock:   cmpxchg 0 -> 1; if that fails, exchange the word with 2: an old
 *           value of 0 means taken (the word stays 2), otherwise futex_wait
 *           and, once woken, exchange again;
 *   unlock: exchange the word with 0; an old value of 2 means FUTEX_WAKE of
 *           one sleeper, a system call paid by the unlocking thread
 *           (futex_wake_syscall) before it goes back into KVM_RUN.
 *
 * A woken thread runs futex_wakeup_latency after the FUTEX_WAKE; the lock is
 * free meanwhile, so a thread arriving in that window takes it and the woken
 * one sleeps again (no hand-off).  Sleepers are woken in arrival order.
 * Uncontended, locking costs nothing beyond vmm_mmio, so one vCPU runs
 * exactly as before.
 */
#include "wl_int.h"

static struct wl_bql *wl_bql_of(struct wl_actor *a)
{
	return &a->ctx->vms[a->vm].bql;
}

bool wl_bql_lock(struct wl_actor *a)
{
	struct wl_bql *b = wl_bql_of(a);
	uint8_t old;

	if (!a->bql_woken && b->state == 0) {
		/* fast path: cmpxchg 0 -> 1 */
		b->state = 1;
		b->holder = a;
		return true;
	}
	a->bql_woken = false;
	old = b->state;
	b->state = 2;
	if (old == 0) {
		b->holder = a;
		return true;
	}
	/* futex_wait(&word, 2): asleep until a FUTEX_WAKE picks us */
	a->ctx->res->bql_sleeps++;
	WL_FIFO_PUSH(b->head, b->tail, a, bql_next);
	return false;
}

sim_time_t wl_bql_unlock(struct wl_actor *a)
{
	struct wl_ctx *c = a->ctx;
	struct wl_bql *b = wl_bql_of(a);
	struct wl_actor *w = b->head;
	uint8_t old = b->state;

	b->state = 0;
	b->holder = NULL;
	if (old != 2)
		return 0;
	/* FUTEX_WAKE, one thread: the first sleeper runs after the wake-up */
	if (w) {
		b->head = w->bql_next;
		if (!b->head)
			b->tail = NULL;
		w->bql_next = NULL;
		w->bql_woken = true;
		c->res->bql_wakes++;
		sim_schedule_in(c->k, &w->ev, c->sw->futex_wakeup_latency);
	}
	return c->sw->futex_wake_syscall;
}

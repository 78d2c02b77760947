/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lx_vmm.h - a VMM for the guest instance of the Linux drivers (lxg.h):
 * runs on the host platform (lx.h), gives the guest kernel
 *   - an emulated vSMMU register frame (trapped: IDRs derived from the
 *     model's as a VMM's stage-1-only vSMMU advertises them, CR0/ACK,
 *     IRQ_CTRL/ACK, GBPA, the queue base registers, and a CMDQ the VMM
 *     consumes on each PROD write), and
 *   - a CMD-QV with one VINTF (its config page and VINTF registers
 *     emulated: HYP_OWN reads 0) backed by a host VINTF the VMM programs in
 *     the model (VMID, SID_MATCH/SID_REPLACE), whose LVCMDQ page 0 is mapped
 *     straight through (no trap) and whose page-1 BASE writes the VMM
 *     translates.
 * Guest vCPUs are CPUs of the host's scheduler.  See docs/linux-driver.md
 * ("The guest instance").  Programs linked with this contain GPL-2.0 code.
 */
#ifndef LX_VMM_H
#define LX_VMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lx.h"

struct path_params;

#ifdef __cplusplus
extern "C" {
#endif

struct lx_vm;

/* the guest's physical addresses of its windows */
#define LX_VM_SMMU_PA 0x09050000ull /* vSMMU frame (IORT base) */
#define LX_VM_CMDQV_PA 0x09100000ull /* CMD-QV window (NVDA200C _CRS) */

/** struct lx_vm_params - the VM. */
struct lx_vm_params {
	unsigned cpu_base, ncpus; /* vCPU i is host scheduler CPU cpu_base+i */
	unsigned vintf; /* host VINTF behind the guest's VINTF0 (>= 1) */
	uint16_t vmid; /* the VM's VMID (the host VINTF's) */
	uint32_t vsid, psid; /* the assigned device: virtual -> physical SID */
	uint64_t trap_ps; /* one trapped register access: exit + entry */
	unsigned cmdqs, evtqs; /* log2 queue sizes the vSMMU advertises */
	uint64_t ram_bytes; /* guest RAM, carved from the host's DMA arena */
	bool cmdqv; /* present the CMD-QV (NVDA200C) to the guest */
	bool mask_vintf_irq; /* mask the VM's VINTF in VINTF_INT_MASK */
	bool forward; /* forward the vSMMU CMDQ's TLBI_NH_ASID/VA, ATC_INV */
	uint64_t ioctl_ps; /* one forwarded batch: the invalidation ioctl */
	bool echo; /* copy the guest kernel's messages to stderr */
	/* NULL: every trapped access costs trap_ps, the vSMMU forwards a
	 * batch per CMD_SYNC.  Else the trap path's VMM of the built-in
	 * engine (docs/timing-model.md 3.3, path_params.def), kept by the
	 * caller: exit_user and entry_user (cpu_jitter, seeded by @seed) around
	 * each access, QEMU's BQL taken for it (a futex mutex: futex_wait,
	 * futex_wakeup_latency, futex_wake_syscall), vmm_mmio per access,
	 * vmm_cmd per command consumed, one IOMMU_HWPT_INVALIDATE per TLBI /
	 * ATC_INV (ioctl_syscall, ioctl_convert, cpu_issue_base, then the
	 * host driver's issue of it with a CMD_SYNC on the SMMU CMDQ). */
	const struct path_params *sw;
	uint64_t seed;
	/* 7.x sources: set the host VINTF up as a VMM does through iommufd
	 * (lx_vmm.c, "iommufd"): IOMMU_VIOMMU_ALLOC and IOMMU_VDEVICE_ALLOC
	 * at create, an IOMMU_HW_QUEUE_ALLOC per guest LVCMDQ BASE write
	 * (IOMMU_DESTROY for BASE 0), and each vEVENT the host driver reports
	 * injected as the guest's CMD-QV interrupt.  6.x has no iommufd side:
	 * the VMM then programs the host VINTF's registers itself (and
	 * injects nothing), as it does with this false. */
	bool iommufd;
	/* with @sw: the proposed eventfd path (docs/timing-model.md 3.5)
	 * instead of QEMU's: a CMDQ_PROD write is an ioeventfd store and a
	 * CMDQ_CONS read an in-kernel emulation (exit_kernel each), and a
	 * kernel thread on host CPU @kthread_cpu (not a vCPU) consumes the
	 * queue, kthread_wake after being woken, eventfd_batch commands per
	 * host issue with a CMD_SYNC, kthread_cmd per command */
	bool eventfd;
	unsigned kthread_cpu;
};

/** struct lx_vm_stats - what the VMM saw. */
struct lx_vm_stats {
	uint64_t trap_reads, trap_writes; /* vSMMU + CMD-QV emulation */
	uint64_t cmdq_prod_writes; /* vSMMU CMDQ PROD writes */
	uint64_t cmds; /* commands consumed from the vSMMU CMDQ */
	uint64_t by_opcode[256]; /* ... by opcode */
	uint64_t vcmdq_base_writes; /* LVCMDQ BASE writes translated */
	uint64_t vcmdq_base_refused; /* BASE outside guest RAM: written 0 */
	uint64_t cmdq_alloc_writes; /* guest CMDQ_ALLOC writes (emulated) */
	uint64_t vintf_config_writes; /* guest VINTF0 CONFIG writes */
	uint64_t ignored; /* accesses to registers the VMM does not emulate */
	uint64_t forwarded; /* commands forwarded to the host kernel */
	uint64_t forward_batches; /* host issues (one per CMD_SYNC) */
	uint64_t forward_dropped; /* ATC_INV of an unknown virtual SID */
	uint64_t forward_failed; /* host issues that returned an error */
	uint64_t bql_sleeps, bql_wakes; /* with @sw: futex_wait / FUTEX_WAKE */
	/* iommufd (lx_vm_uses_iommufd) */
	uint64_t hw_queue_allocs, hw_queue_frees; /* IOMMU_HW_QUEUE_ALLOC,
						   * IOMMU_DESTROY */
	uint64_t hw_queue_refused; /* the driver or the order refused one */
	uint64_t vevents; /* vEVENTs the host driver reported */
	uint64_t irqs_injected; /* guest CMD-QV interrupts raised */
	uint64_t kthread_wakes; /* eventfd: the kernel thread woken */
};

void lx_vm_params_default(struct lx_vm_params *p);
/**
 * After lx_probe(@x): program the host VINTF (on host CPU 0, through the
 * model's registers), carve guest RAM, build the guest's windows and
 * firmware.  NULL with a reason in @err.
 */
struct lx_vm *lx_vm_create(struct lx *x, const struct lx_vm_params *p,
			   char *err, size_t errlen);
void lx_vm_destroy(struct lx_vm *vm);

/** Run @fn(@vm, @vcpu, @arg) on vCPUs 0..@nvcpus-1 until all return (or
 * simulated time passes @limit ps): CMDQV_OK or CMDQV_ETIMEDOUT.  The
 * vCPUs start together, at the latest of their clocks (and the model's). */
int lx_vm_run(struct lx_vm *vm, unsigned nvcpus,
	      void (*fn)(struct lx_vm *vm, unsigned vcpu, void *arg), void *arg,
	      sim_time_t limit);
/** Start the same on the vCPUs without running them (the next lx_run()
 * or lx_continue() of the host runs both kernels' work). */
int lx_vm_start(struct lx_vm *vm, unsigned nvcpus,
		void (*fn)(struct lx_vm *vm, unsigned vcpu, void *arg),
		void *arg);
/** The guest kernel's probe on vCPU 0; its return value. */
int lx_vm_probe(struct lx_vm *vm);

/** The last run on the vCPUs' clocks: the longest vCPU's time from start
 * to return (ps); the first start in *@t0 and the last return in *@t1
 * (either may be NULL).  vCPUs start at their own local times. */
sim_time_t lx_vm_span(const struct lx_vm *vm, sim_time_t *t0, sim_time_t *t1);
const struct lx_vm_stats *lx_vm_stats(const struct lx_vm *vm);
const struct lx_vm_params *lx_vm_params(const struct lx_vm *vm);
/** The guest kernel's counters (its own shim's). */
const struct kapi_counters *lx_vm_counters(const struct lx_vm *vm);
/** The vSMMU's IDR0 / IDR1 as the guest reads them. */
uint32_t lx_vm_idr(const struct lx_vm *vm, unsigned n);
/** The host VCMDQ (global index) behind the guest's LVCMDQ @lidx. */
unsigned lx_vm_host_vcmdq(const struct lx_vm *vm, unsigned lidx);
/** The host platform the VM runs on. */
struct lx *lx_vm_x(const struct lx_vm *vm);
/** LVCMDQs the guest's VINTF0 has. */
unsigned lx_vm_lvcmdqs(const struct lx_vm *vm);
/** The host VINTF was set up through iommufd (7.x and p.iommufd). */
bool lx_vm_uses_iommufd(const struct lx_vm *vm);
/** The host VINTF behind the guest's VINTF0. */
unsigned lx_vm_host_vintf(const struct lx_vm *vm);

/* ---- the guest's invalidations (lx_guest_run.c) ---- */

/** What vCPU v issues in lx_vm_issue(), through the guest driver. */
#define LX_VM_ASID(v) (0x10u + (v)) /* TLBI_NH_ASID */
#define LX_VM_VA_ASID(v) (0x20u + (v)) /* TLBI_NH_VA (leaf) */
#define LX_VM_VA(v) (0x100000ull + 0x1000ull * (v))
#define LX_VM_GUEST_VMID 3u /* the VMID field the guest's TLBI_NH_VA has */
#define LX_VM_ATC_VA(v) (0x200000ull + 0x1000ull * (v)) /* ATC_INV, 4 KiB */

/** struct lx_vm_issue_result - per vCPU: the driver's results and queue. */
struct lx_vm_issue_result {
	int asid_ret[SIMCPU_MAX_CPUS], va_ret[SIMCPU_MAX_CPUS],
		atc_ret[SIMCPU_MAX_CPUS];
	int queue[SIMCPU_MAX_CPUS]; /* -1 = vSMMU CMDQ, else guest VCMDQ */
	sim_time_t lat[SIMCPU_MAX_CPUS][3]; /* each issue's latency, ps */
	uint64_t host_cmdq_prod[2]; /* the model's SMMU CMDQ_PROD before,
				     * after */
	uint64_t host_vcmdq_cmds; /* commands the host VCMDQs behind the
				   * guest's consumed during the run */
	uint64_t vsmmu_cmds; /* commands the VMM consumed during the run */
	sim_time_t t_start, t_end; /* the vCPUs' first start, last return */
	sim_time_t longest; /* the longest vCPU's start-to-return time */
};

/**
 * On vCPUs 0..@nvcpus-1 at once, each: TLBI_NH_ASID(LX_VM_ASID(v)) + SYNC
 * (batch API), TLBI_NH_VA(VMID field LX_VM_GUEST_VMID, LX_VM_VA_ASID(v),
 * LX_VM_VA(v)) + SYNC, ATC_INV(vsid, LX_VM_ATC_VA(v), 4 KiB) + SYNC.
 * CMDQV_OK, or the run's error.
 */
int lx_vm_issue(struct lx_vm *vm, unsigned nvcpus,
		struct lx_vm_issue_result *r);

/**
 * lx_vm_issue() while the host kernel runs @host_fn on its CPUs
 * 0..@host_cpus-1 (below the vCPUs) at the same time, on the same
 * scheduler (lx_run()).
 */
int lx_vm_issue_along(struct lx_vm *vm, unsigned nvcpus,
		      struct lx_vm_issue_result *r, unsigned host_cpus,
		      void (*host_fn)(struct lx *x, unsigned cpu, void *arg),
		      void *host_arg);

/* ---- the guest paths of `compare` (lx_guestwl.c) ---- */

/** The unmap loop of lx_unmaps() on vCPUs 0..@c->pt->threads-1 through the
 * guest driver; free @r with lx_host_result_free(). */
int lx_guest_unmaps(struct lx_vm *vm, const struct lx_host_cfg *c,
		    struct lx_host_result *r);
/**
 * The trap or direct point @pt (threads = vCPUs of one VM) on a fresh host
 * + VM through the guest driver, with the trap path's VMM costs from @sw
 * (@lxs, with the VMM's exits, ioctls and BQL counts of the run), then
 * through the built-in engine (@bis), on @hw after lx_cmp_hw().  CMDQV_OK
 * or an error with a reason.
 */
int lx_cmp_guest_point(const struct cmdqv_config *hw,
		       const struct path_params *sw, const struct wl_point *pt,
		       struct lx_cmp_side *lxs, struct lx_cmp_side *bis,
		       char *err, size_t errlen);

/** cmdqv-linux --scenario guest: host + VM, probe, issue, report. */
int lx_vm_scenario(struct lx *x, unsigned nvcpus, bool quiet);

#ifdef __cplusplus
}
#endif
#endif

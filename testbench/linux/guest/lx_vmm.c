/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lx_vmm.c - the VMM that presents a vSMMU and a CMD-QV to the guest
 * instance of the Linux drivers; see lx_vmm.h and docs/linux-driver.md
 * ("The guest instance").  Register layouts: Arm IHI 0070 chapter 6 (SMMU
 * registers) and the model's CMD-QV register map (cmdqv_sim/regmap.h).
 *
 * Trapped accesses run in the accessing vCPU's context: the handler reads
 * or writes the VMM's state (and, for the host VINTF behind the guest's,
 * the model's registers at that vCPU's time), then charges trap_ps; or,
 * with the trap path's costs (lx_vm_params.sw), the vCPU thread's exit to
 * QEMU, QEMU's BQL around the handler and the return into the guest
 * (vm_trap_enter, vm_trap_leave).
 */
#include "lx_vmm.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmdqv_sim/field.h>
#include <cmdqv_sim/regmap.h>

#include "drv/lx_drv.h"
#include "lxg.h"
#include "paths.h"
#include "simcpu.h"

#define VM_SMMU_PA LX_VM_SMMU_PA
#define VM_CMDQV_PA LX_VM_CMDQV_PA
#define VM_SMMU_SIZE 0x20000ull
/* config page, the global VCMDQ pages, one VINTF page pair */
#define VM_CMDQV_SIZE (T241_VINTF_PAGE0_BASE + T241_VINTF_PAGE_STRIDE)
#define VM_NREGS (0x200 / 4) /* vSMMU page-0 registers kept */
#define VM_MAX_LVCMDQ 128
#define VM_RAM_ALIGN (2ull << 20)
#define VM_FWD_MAX 64 /* commands per forwarded batch (CMDQ_BATCH_ENTRIES) */

struct lx_vm_job {
	struct lx_vm *vm;
	unsigned vcpu;
	void (*fn)(struct lx_vm *, unsigned, void *);
	void *arg;
	sim_time_t start_at; /* the common start of the run's vCPUs */
	sim_time_t t0, t1; /* the vCPU's time at start and return */
};

/** struct lx_vm - one VM; see lx_vmm.h. */
struct lx_vm {
	struct lx *x;
	struct lx_vm_params p;
	struct kapi_host gh; /* the guest kernel's "hardware" */
	struct kapi_trap smmu_trap, cmdqv_trap;
	uint8_t *ram;
	uint64_t ram_ipa; /* == its host bus address (identity stage 2) */
	unsigned per; /* LVCMDQs per VINTF */
	int setup_ret;
	int probe_ret;
	/* vSMMU */
	uint32_t r[VM_NREGS]; /* page-0 registers as last written */
	uint32_t idr[6];
	uint32_t evtq_prod, evtq_cons; /* page 1 */
	/* CMD-QV */
	uint32_t cmdqv_config, vintf_int_mask[2];
	uint32_t alloc[VM_MAX_LVCMDQ];
	uint32_t vintf_config;
	uint64_t page1[VM_MAX_LVCMDQ][2]; /* guest BASE, CONS_INDX_BASE */
	struct lx_vm_stats st;
	struct lx_vm_job jobs[SIMCPU_MAX_CPUS];
	struct lx_vm_job kjob; /* eventfd: the kernel thread's */
	unsigned njobs; /* of the last lx_vm_start() */
	sim_time_t vcpu_time[SIMCPU_MAX_CPUS]; /* where each vCPU's last job
						* returned */
	uint64_t fwd[2 * VM_FWD_MAX]; /* the batch being forwarded */
	unsigned nfwd;
	/* with p.sw: QEMU's BQL, a glibc lowlevellock (testbench/paths/
	 * wl_bql.c): 0 free, 1 locked, 2 locked and maybe contended; its
	 * futex sleepers in arrival order, each waiting on its own line */
	uint8_t bql;
	unsigned bql_q[SIMCPU_MAX_CPUS], bql_head, bql_n;
	struct {
		volatile uint8_t woken;
		uint8_t line[63]; /* one 64-byte granule per vCPU */
	} bql_wake[SIMCPU_MAX_CPUS];
	uint64_t rng[SIMCPU_MAX_CPUS]; /* cpu_jitter of exits, per vCPU */
	/* with p.sw: vCPU (+1, 0 none) whose CPU holds the VMM's lines and
	 * the host kernel's ioctl lines (wl_actor.c: wl_handover) */
	unsigned vmm_last, ioctl_last;
	/* iommufd: the host driver's objects for this VM */
	bool iommufd;
	struct lxc_vm lxv;
	uint64_t hwq_base[LXC_VM_MAX_QUEUES]; /* the BASE each was made for */
	/* eventfd: the kernel thread, and the vCPU jobs still running */
	bool kt_idle, kt_stop;
	struct {
		volatile uint8_t woken;
		uint8_t line[63];
	} kt_wake;
	unsigned live;
};

/* the guest library holds one guest kernel */
static struct lx_vm *live_vm;

void lx_vm_params_default(struct lx_vm_params *p)
{
	memset(p, 0, sizeof(*p));
	p->cpu_base = 0;
	p->ncpus = 1;
	p->vintf = 1;
	p->vmid = 9;
	p->vsid = 0x5;
	p->psid = 0x42;
	/* a user-space (QEMU) MMIO exit round trip: path_params.def's
	 * exit_user + entry_user (3 us each, kvm-unit-tests arm/micro-bench) */
	p->trap_ps = SIM_US(6);
	p->cmdqs = 12;
	p->evtqs = 7;
	p->ram_bytes = 4ull << 20;
	p->cmdqv = true;
	p->mask_vintf_irq = true;
	p->forward = true;
	/* path_params.def's ioctl_syscall (IOMMU_HWPT_INVALIDATE entry/exit) */
	p->ioctl_ps = SIM_NS(500);
	p->iommufd = true;
}

/* ---- a trapped access: KVM exit, QEMU's BQL, KVM_RUN (with p.sw) ---- */

static unsigned vm_vcpu(const struct lx_vm *vm)
{
	unsigned v = simcpu_cpu_id() - vm->p.cpu_base;

	return v < SIMCPU_MAX_CPUS ? v : 0;
}

/* nominal +- cpu_jitter %, splitmix64 per vCPU (as wl_core.c's) */
static uint64_t vm_jitter(struct lx_vm *vm, uint64_t t)
{
	uint64_t p = vm->p.sw->cpu_jitter, *st = &vm->rng[vm_vcpu(vm)];
	uint64_t z;

	if (!p)
		return t;
	z = (*st += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	z ^= z >> 31;
	return t * (100 - p + z % (2 * p + 1)) / 100;
}

/* bql_lock (system/physmem.c: prepare_mmio_access) as glibc's lll_lock:
 * cmpxchg 0 -> 1, else exchange with 2 and futex_wait while it was held;
 * a woken thread runs futex_wakeup_latency after the FUTEX_WAKE and tries
 * again (no hand-off: the lock is free meanwhile). */
static void vm_bql_lock(struct lx_vm *vm)
{
	const struct path_params *sw = vm->p.sw;
	uint64_t wake = simcpu_params(lx_cpus(vm->x))->wfe_wake_ps;
	unsigned v = vm_vcpu(vm);

	if (vm->bql == 0) {
		vm->bql = 1;
		return;
	}
	for (;;) {
		uint8_t old = vm->bql;

		vm->bql = 2;
		if (old == 0)
			return;
		vm->st.bql_sleeps++;
		vm->bql_q[(vm->bql_head + vm->bql_n++) % SIMCPU_MAX_CPUS] = v;
		vm->bql_wake[v].woken = 0;
		while (!vm->bql_wake[v].woken)
			simcpu_wfe_on(&vm->bql_wake[v].woken);
		/* the scheduler woke us wfe_wake_ps after the FUTEX_WAKE */
		simcpu_delay(sw->futex_wakeup_latency > wake ?
				     sw->futex_wakeup_latency - wake :
				     0);
	}
}

/* lll_unlock: exchange with 0; a contended word means FUTEX_WAKE of the
 * first sleeper, a system call the unlocking thread pays. */
static void vm_bql_unlock(struct lx_vm *vm)
{
	uint8_t old = vm->bql;

	vm->bql = 0;
	if (old != 2)
		return;
	if (vm->bql_n) {
		unsigned w = vm->bql_q[vm->bql_head];

		vm->bql_head = (vm->bql_head + 1) % SIMCPU_MAX_CPUS;
		vm->bql_n--;
		vm->bql_wake[w].woken = 1;
		simcpu_notify(&vm->bql_wake[w].woken);
		vm->st.bql_wakes++;
	}
	simcpu_delay(vm->p.sw->futex_wake_syscall);
}

/* The VMM's state (@lines cache lines) was last written on another vCPU
 * thread's CPU: pull it over, cacheline_transfer each (wl_actor.c:
 * wl_handover). */
static void vm_handover(struct lx_vm *vm, unsigned *last, uint32_t lines)
{
	unsigned me = vm_vcpu(vm) + 1;

	if (*last && *last != me)
		simcpu_delay((sim_time_t)lines * vm->p.sw->cacheline_transfer);
	*last = me;
}

/* The vCPU thread leaves the guest (KVM_EXIT_MMIO, exit_user), takes the
 * BQL and QEMU dispatches the access (vmm_mmio). */
static void vm_trap_enter(struct lx_vm *vm)
{
	if (!vm->p.sw)
		return;
	simcpu_delay(vm_jitter(vm, vm->p.sw->exit_user));
	vm_bql_lock(vm);
	simcpu_delay(vm->p.sw->vmm_mmio);
	vm_handover(vm, &vm->vmm_last, vm->p.sw->vmm_handover_lines);
}

/* The handler is done: drop the BQL, KVM_RUN back into the guest. */
static void vm_trap_leave(struct lx_vm *vm)
{
	if (!vm->p.sw) {
		simcpu_charge(vm->p.trap_ps);
		return;
	}
	vm_bql_unlock(vm);
	simcpu_delay(vm_jitter(vm, vm->p.sw->entry_user));
}

/* ---- vSMMU (IHI 0070 chapter 6) ---- */

static bool in_ram(const struct lx_vm *vm, uint64_t addr, uint64_t len);

static uint32_t reg(const struct lx_vm *vm, uint32_t off)
{
	return vm->r[off / 4];
}

static uint64_t reg64(const struct lx_vm *vm, uint32_t off)
{
	return vm->r[off / 4] | (uint64_t)vm->r[off / 4 + 1] << 32;
}

/* The vSMMU's IDRs: the model's, less what a stage-1-only vSMMU without
 * MSI, SEV, PRI or stall advertises (QEMU's hw/arm/smmuv3.c:
 * smmuv3_init_regs() sets the same kind of subset), with small queues. */
static void vsmmu_idrs(struct lx_vm *vm)
{
	struct cmdqv_model *m = lx_model(vm->x);
	uint64_t v[6] = { 0 };
	unsigned i;

	for (i = 0; i < 6; i++)
		cmdqv_mmio_peek(m, CMDQV_SPACE_SMMU, SMMU_IDR0 + 4 * i, 4,
				&v[i]);
	v[0] &= ~(CMDQV_FIELD_MASK(SMMU_IDR0_S2P) |
		  CMDQV_FIELD_MASK(SMMU_IDR0_HYP) |
		  CMDQV_FIELD_MASK(SMMU_IDR0_MSI) |
		  CMDQV_FIELD_MASK(SMMU_IDR0_SEV) |
		  CMDQV_FIELD_MASK(SMMU_IDR0_PRI) |
		  CMDQV_FIELD_MASK(SMMU_IDR0_VMID16));
	v[0] = CMDQV_FIELD_DP(v[0], SMMU_IDR0_STALL_MODEL, 1); /* no stall */
	v[0] = CMDQV_FIELD_DP(v[0], SMMU_IDR0_ST_LEVEL, 1); /* 2-level */
	if (CMDQV_FIELD_EX(v[1], SMMU_IDR1_CMDQS) > vm->p.cmdqs)
		v[1] = CMDQV_FIELD_DP(v[1], SMMU_IDR1_CMDQS, vm->p.cmdqs);
	if (CMDQV_FIELD_EX(v[1], SMMU_IDR1_EVTQS) > vm->p.evtqs)
		v[1] = CMDQV_FIELD_DP(v[1], SMMU_IDR1_EVTQS, vm->p.evtqs);
	v[1] = CMDQV_FIELD_DP(v[1], SMMU_IDR1_PRIQS, 0);
	for (i = 0; i < 6; i++)
		vm->idr[i] = (uint32_t)v[i];
}

static unsigned cmdq_log2(const struct lx_vm *vm)
{
	unsigned l = (unsigned)CMDQV_FIELD_EX(reg64(vm, SMMU_CMDQ_BASE),
					      SMMU_Q_BASE_LOG2SIZE);
	unsigned max = (unsigned)CMDQV_FIELD_EX(vm->idr[1], SMMU_IDR1_CMDQS);

	return l < max ? l : max;
}

/* Issue the batch on the host kernel's SMMU CMDQ with a CMD_SYNC, in the
 * trapping vCPU's context: the host driver's arm_smmu_cmdq_issue_cmdlist()
 * as an invalidation ioctl would run it. */
static void vsmmu_flush(struct lx_vm *vm)
{
	if (!vm->nfwd)
		return;
	simcpu_charge(vm->p.ioctl_ps);
	if (lxd_issue_raw(lx_pdev(vm->x), vm->fwd, (int)vm->nfwd, true, true))
		vm->st.forward_failed++;
	vm->st.forward_batches++;
	vm->nfwd = 0;
}

/* A guest command the VMM forwards, rewritten as the host must see it:
 * TLBI_NH_ASID / TLBI_NH_VA get the VM's VMID ([47:32]), ATC_INV's virtual
 * StreamID ([63:32]) becomes the physical one. */
static bool vsmmu_rewrite(struct lx_vm *vm, const uint64_t *cmd, uint64_t *out)
{
	uint64_t c0 = cmd[0];

	switch (c0 & 0xff) {
	case 0x11: /* TLBI_NH_ASID */
	case 0x12: /* TLBI_NH_VA */
		c0 = (c0 & ~(0xffffull << 32)) | (uint64_t)vm->p.vmid << 32;
		break;
	case 0x40: /* ATC_INV */
		if ((c0 >> 32) != vm->p.vsid) {
			vm->st.forward_dropped++;
			return false;
		}
		c0 = (c0 & 0xffffffffull) | (uint64_t)vm->p.psid << 32;
		break;
	default:
		return false;
	}
	out[0] = c0;
	out[1] = cmd[1];
	vm->st.forwarded++;
	return true;
}

static void vsmmu_forward(struct lx_vm *vm, const uint64_t *cmd)
{
	if (vm->nfwd == VM_FWD_MAX)
		vsmmu_flush(vm);
	if (!vsmmu_rewrite(vm, cmd, &vm->fwd[2 * vm->nfwd]))
		return;
	vm->nfwd++;
	if (vm->p.sw) {
		/* QEMU's accelerated vSMMU: one IOMMU_HWPT_INVALIDATE per
		 * command (entry_num = 1); the host kernel converts it and
		 * issues it with a CMD_SYNC, waiting for that (wl_actor.c:
		 * wl_vmm_step) */
		const struct path_params *sw = vm->p.sw;

		simcpu_delay(sw->ioctl_syscall / 2 + sw->ioctl_convert +
			     sw->cpu_issue_base);
		vm_handover(vm, &vm->ioctl_last, sw->ioctl_handover_lines);
		if (lxd_issue_raw(lx_pdev(vm->x), vm->fwd, 1, true, true))
			vm->st.forward_failed++;
		vm->st.forward_batches++;
		vm->nfwd = 0;
		simcpu_delay(sw->ioctl_syscall - sw->ioctl_syscall / 2);
	}
}

/* The guest published commands up to PROD: consume them all now, as
 * QEMU's smmuv3_cmdq_consume() does in the MMIO write that traps.  With
 * @forward, TLBI_NH_ASID, TLBI_NH_VA and ATC_INV go to the host kernel
 * (vsmmu_forward), each CMD_SYNC issuing what came before it; everything
 * else (CFGI_*, the reset's TLBI_NSNH_ALL, anything a guest VINTF's filter
 * refuses) is counted and completed only: no STE or CD is read. */
static void vsmmu_consume(struct lx_vm *vm)
{
	unsigned log2 = cmdq_log2(vm);
	uint32_t wrap = 2u << log2, mask = (1u << log2) - 1;
	uint64_t base = reg64(vm, SMMU_CMDQ_BASE) &
			CMDQV_FIELD_MASK(SMMU_Q_BASE_ADDR);
	uint32_t prod = reg(vm, SMMU_CMDQ_PROD) & (wrap - 1);
	uint32_t cons = reg(vm, SMMU_CMDQ_CONS) & (wrap - 1);
	const uint64_t *q = in_ram(vm, base, 16ull << log2) ?
				    kapi_dma_to_cpu(base, 16ull << log2) :
				    NULL;

	if (!CMDQV_FIELD_EX(reg(vm, SMMU_CR0), SMMU_CR0_CMDQEN) || !q)
		return;
	while (cons != prod) {
		const uint64_t *cmd = q + 2 * (cons & mask);

		vm->st.cmds++;
		vm->st.by_opcode[cmd[0] & 0xff]++;
		if (vm->p.sw) /* QEMU reads and decodes the entry */
			simcpu_delay(vm->p.sw->vmm_cmd);
		if (vm->p.forward && (cmd[0] & 0xff) == 0x46)
			vsmmu_flush(vm);
		else if (vm->p.forward)
			vsmmu_forward(vm, cmd);
		cons = (cons + 1) & (wrap - 1);
	}
	if (vm->p.forward)
		vsmmu_flush(vm);
	vm->r[SMMU_CMDQ_CONS / 4] = cons;
}

static bool vm_eventfd(const struct lx_vm *vm)
{
	return vm->p.eventfd && vm->p.sw;
}

static void vm_kthread_wake(struct lx_vm *vm)
{
	if (!vm->kt_idle)
		return;
	vm->kt_idle = false;
	vm->kt_wake.woken = 1;
	simcpu_notify(&vm->kt_wake.woken);
}

/* eventfd: the VM's invalidation kernel thread (wl_actor.c:
 * wl_kthread_step): asleep while the queue is empty, woken by a PROD store
 * (kthread_wake later), then chunks of up to eventfd_batch converted
 * commands, each issued with a CMD_SYNC by the host driver on the SMMU
 * CMDQ (kthread_cmd each + cpu_issue_base), CONS moved past the chunk. */
static void vm_kthread_fn(void *arg)
{
	struct lx_vm *vm = arg;
	const struct path_params *sw = vm->p.sw;
	uint64_t wake = simcpu_params(lx_cpus(vm->x))->wfe_wake_ps;
	unsigned batch = sw->eventfd_batch < VM_FWD_MAX ?
				 (unsigned)sw->eventfd_batch :
				 VM_FWD_MAX;

	for (;;) {
		unsigned log2 = cmdq_log2(vm);
		uint32_t wrap = 2u << log2, mask = (1u << log2) - 1;
		uint64_t base = reg64(vm, SMMU_CMDQ_BASE) &
				CMDQV_FIELD_MASK(SMMU_Q_BASE_ADDR);
		uint32_t prod = reg(vm, SMMU_CMDQ_PROD) & (wrap - 1);
		uint32_t cons = reg(vm, SMMU_CMDQ_CONS) & (wrap - 1);
		const uint64_t *q =
			in_ram(vm, base, 16ull << log2) ?
				kapi_dma_to_cpu(base, 16ull << log2) :
				NULL;
		unsigned n = 0;

		if (cons == prod || !q ||
		    !CMDQV_FIELD_EX(reg(vm, SMMU_CR0), SMMU_CR0_CMDQEN)) {
			if (vm->kt_stop)
				return;
			vm->kt_idle = true;
			vm->kt_wake.woken = 0;
			while (!vm->kt_wake.woken)
				simcpu_wfe_on(&vm->kt_wake.woken);
			if (vm->kt_stop)
				return;
			vm->st.kthread_wakes++;
			simcpu_delay(sw->kthread_wake > wake ?
					     sw->kthread_wake - wake :
					     0);
			continue;
		}
		for (; cons != prod && n < batch;
		     cons = (cons + 1) & (wrap - 1)) {
			const uint64_t *cmd = q + 2 * (cons & mask);

			vm->st.cmds++;
			vm->st.by_opcode[cmd[0] & 0xff]++;
			if ((cmd[0] & 0xff) != 0x46 &&
			    vsmmu_rewrite(vm, cmd, &vm->fwd[2 * n]))
				n++;
		}
		if (n) {
			simcpu_delay(n * sw->kthread_cmd + sw->cpu_issue_base);
			if (lxd_issue_raw(lx_pdev(vm->x), vm->fwd, (int)n, true,
					  true))
				vm->st.forward_failed++;
			vm->st.forward_batches++;
		}
		vm->r[SMMU_CMDQ_CONS / 4] = cons;
	}
}

static uint64_t vsmmu_read(void *ctx, uint64_t off, unsigned size)
{
	struct lx_vm *vm = ctx;
	uint64_t v = 0;

	vm->st.trap_reads++;
	if (vm_eventfd(vm) && off == SMMU_CMDQ_CONS && size == 4) {
		/* emulated in the host kernel: the value as the exit returns */
		simcpu_delay(vm_jitter(vm, vm->p.sw->exit_kernel));
		return reg(vm, SMMU_CMDQ_CONS);
	}
	vm_trap_enter(vm);
	if (off < 0x18 && off % 4 == 0)
		v = vm->idr[off / 4];
	else if (off == SMMU_CR0ACK)
		v = reg(vm, SMMU_CR0);
	else if (off == SMMU_IRQ_CTRLACK)
		v = reg(vm, SMMU_IRQ_CTRL);
	else if (off == SMMU_GERROR)
		v = reg(vm, SMMU_GERRORN); /* no global error ever raised */
	else if (off == SMMU_PAGE1 + SMMU_EVTQ_PROD)
		v = vm->evtq_prod;
	else if (off == SMMU_PAGE1 + SMMU_EVTQ_CONS)
		v = vm->evtq_cons;
	else if (off + size <= 0x200)
		v = size == 8 ? reg64(vm, (uint32_t)off) :
				reg(vm, (uint32_t)off);
	else
		vm->st.ignored++;
	vm_trap_leave(vm);
	return v;
}

static void vsmmu_write(void *ctx, uint64_t off, unsigned size, uint64_t v)
{
	struct lx_vm *vm = ctx;

	vm->st.trap_writes++;
	if (vm_eventfd(vm) && off == SMMU_CMDQ_PROD && size == 4) {
		/* an ioeventfd store: seen in the kernel at once, the kernel
		 * thread woken if it sleeps */
		vm->r[SMMU_CMDQ_PROD / 4] = (uint32_t)v;
		vm->st.cmdq_prod_writes++;
		vm_kthread_wake(vm);
		simcpu_delay(vm_jitter(vm, vm->p.sw->exit_kernel));
		return;
	}
	vm_trap_enter(vm);
	if (off < 0x20 || off == SMMU_CR0ACK || off == SMMU_IRQ_CTRLACK ||
	    off == SMMU_GERROR) {
		vm->st.ignored++; /* read-only */
	} else if (off == SMMU_PAGE1 + SMMU_EVTQ_PROD) {
		vm->evtq_prod = (uint32_t)v;
	} else if (off == SMMU_PAGE1 + SMMU_EVTQ_CONS) {
		vm->evtq_cons = (uint32_t)v;
	} else if (off + size <= 0x200) {
		vm->r[off / 4] = (uint32_t)v;
		if (size == 8)
			vm->r[off / 4 + 1] = (uint32_t)(v >> 32);
		if (off == SMMU_GBPA) /* the update completes at once */
			vm->r[off / 4] &= ~CMDQV_FIELD_MASK(SMMU_GBPA_UPDATE);
		if (off == SMMU_CMDQ_PROD) {
			vm->st.cmdq_prod_writes++;
			vsmmu_consume(vm);
		}
	} else {
		vm->st.ignored++;
	}
	vm_trap_leave(vm);
}

/* ---- CMD-QV: config page and VINTF0 emulated, page 1 translated ---- */

static uint64_t host_vintf(const struct lx_vm *vm)
{
	return T241_VINTF(vm->p.vintf);
}

static uint32_t cmdqv_read32(struct lx_vm *vm, uint64_t off)
{
	unsigned per = vm->per, w;
	uint64_t v;

	if (off == T241_CONFIG)
		return vm->cmdqv_config;
	if (off == T241_STATUS)
		return vm->cmdqv_config & 1;
	if (off == T241_PARAM) {
		cmdqv_mmio_peek(lx_model(vm->x), CMDQV_SPACE_CMDQV, T241_PARAM,
				4, &v);
		v = CMDQV_FIELD_DP(v, T241_PARAM_NUM_VINTF_LOG2, 0);
		return (uint32_t)CMDQV_FIELD_DP(v, T241_PARAM_NUM_VCMDQ_LOG2,
						(unsigned)__builtin_ctz(per));
	}
	if (off == T241_VINTF_ERR_MAP) { /* bit 0: the host VINTF's bit */
		w = vm->p.vintf / 32;
		v = simcpu_mmio_read(CMDQV_SPACE_CMDQV,
				     T241_VINTF_ERR_MAP + 4 * w, 4);
		return (uint32_t)(v >> (vm->p.vintf % 32)) & 1;
	}
	if (off == T241_VINTF_INT_MASK || off == T241_VINTF_INT_MASK + 4)
		return vm->vintf_int_mask[(off - T241_VINTF_INT_MASK) / 4];
	if (off >= T241_CMDQ_ALLOC(0) && off < T241_CMDQ_ALLOC(per))
		return vm->alloc[(off - T241_CMDQ_ALLOC(0)) / 4];
	if (off == T241_VINTF(0) + T241_VINTF_CONFIG)
		return vm->vintf_config;
	if (off == T241_VINTF(0) + T241_VINTF_STATUS) {
		v = simcpu_mmio_read(CMDQV_SPACE_CMDQV,
				     host_vintf(vm) + T241_VINTF_STATUS, 4);
		v = CMDQV_FIELD_DP(v, T241_VINTF_STATUS_ENABLE_OK,
				   vm->vintf_config & 1);
		return (uint32_t)v;
	}
	if (off >= T241_VINTF(0) + T241_VINTF_LVCMDQ_ERR_MAP &&
	    off < T241_VINTF(0) + T241_VINTF_LVCMDQ_ERR_MAP + 16)
		return (uint32_t)simcpu_mmio_read(
			CMDQV_SPACE_CMDQV,
			host_vintf(vm) + (off - T241_VINTF(0)), 4);
	vm->st.ignored++;
	return 0;
}

/* page 1 of the guest's VINTF0: LVCMDQ @l's BASE / CONS_INDX_BASE */
static bool page1_reg(const struct lx_vm *vm, uint64_t off, unsigned *l,
		      uint64_t *host_off)
{
	uint64_t o = off - T241_VINTF_PAGE1_BASE;

	if (off < T241_VINTF_PAGE1_BASE || o / T241_VCMDQ_STRIDE >= vm->per)
		return false;
	*l = (unsigned)(o / T241_VCMDQ_STRIDE);
	if (o % T241_VCMDQ_STRIDE >= 16)
		return false;
	*host_off = T241_VINTF_PAGE1(vm->p.vintf, *l) + o % T241_VCMDQ_STRIDE;
	return true;
}

static uint64_t vcmdqv_read(void *ctx, uint64_t off, unsigned size)
{
	struct lx_vm *vm = ctx;
	uint64_t v = 0, host_off;
	unsigned l;

	vm->st.trap_reads++;
	vm_trap_enter(vm);
	if (page1_reg(vm, off, &l, &host_off))
		v = simcpu_mmio_read(CMDQV_SPACE_CMDQV, host_off, size);
	else if (off < T241_VCMDQ_PAGE0_BASE && size == 4)
		v = cmdqv_read32(vm, off);
	else if (off < T241_VCMDQ_PAGE0_BASE && size == 8)
		v = cmdqv_read32(vm, off) | (uint64_t)cmdqv_read32(vm, off + 4)
						    << 32;
	else
		vm->st.ignored++;
	vm_trap_leave(vm);
	return v;
}

static bool in_ram(const struct lx_vm *vm, uint64_t addr, uint64_t len)
{
	return addr >= vm->ram_ipa && len <= vm->p.ram_bytes &&
	       addr - vm->ram_ipa <= vm->p.ram_bytes - len;
}

/* A guest LVCMDQ page-1 address register (IPA) to the host's (PA): guest
 * RAM is mapped 1:1, so the value is kept if what it points at (the queue
 * for BASE, the 4-byte CONS index for CONS_INDX_BASE) lies in guest RAM,
 * else refused (0 is written). */
static uint64_t translate_page1(struct lx_vm *vm, unsigned reg, uint64_t v)
{
	uint64_t addr = reg == 0 ?
				v & CMDQV_FIELD_MASK(T241_VCMDQ_BASE_ADDR) :
				v & CMDQV_FIELD_MASK(T241_VCMDQ_CONS_DRAM_ADDR);
	uint64_t len =
		reg == 0 ?
			16ull << CMDQV_FIELD_EX(v, T241_VCMDQ_BASE_LOG2SIZE) :
			4;

	if (!v)
		return 0;
	if (!in_ram(vm, addr, len)) {
		vm->st.vcmdq_base_refused++;
		return 0;
	}
	if (reg == 0)
		vm->st.vcmdq_base_writes++;
	return v;
}

/* iommufd: a guest LVCMDQ BASE write is the VMM's IOMMU_HW_QUEUE_ALLOC
 * (after IOMMU_DESTROY of the one it replaces), BASE 0 its IOMMU_DESTROY;
 * LVCMDQs come and go in order (the driver refuses a queue whose previous
 * one is missing, iommufd core the destroy of one another depends on).
 * The host driver programs the host BASE itself; CONS_INDX_BASE is not
 * the guest's to set.  Runs in the trapping vCPU's context: the host
 * kernel's ioctl on that CPU. */
static void vm_hw_queue(struct lx_vm *vm, unsigned l, unsigned reg, uint64_t v)
{
	uint64_t addr = v & CMDQV_FIELD_MASK(T241_VCMDQ_BASE_ADDR);
	uint64_t len = 16ull << CMDQV_FIELD_EX(v, T241_VCMDQ_BASE_LOG2SIZE);

	if (reg != 0 || l >= LXC_VM_MAX_QUEUES)
		return;
	if (v && !in_ram(vm, addr, len)) { /* not the guest's memory */
		vm->st.vcmdq_base_refused++;
		vm->st.hw_queue_refused++;
		return;
	}
	if (vm->lxv.hwq[l] && vm->hwq_base[l] == v)
		return; /* the queue it already is */
	if (vm->lxv.hwq[l]) {
		if (l + 1 < LXC_VM_MAX_QUEUES && vm->lxv.hwq[l + 1]) {
			/* IOMMU_DESTROY: -EBUSY, the next one depends on it */
			vm->st.hw_queue_refused++;
			return;
		}
		lxc_hw_queue_free(&vm->lxv, l);
		vm->hwq_base[l] = 0;
		vm->st.hw_queue_frees++;
	}
	if (!v)
		return;
	if (lxc_hw_queue_alloc(&vm->lxv, l, addr, len)) {
		vm->st.hw_queue_refused++;
		return;
	}
	vm->hwq_base[l] = v;
	vm->st.hw_queue_allocs++;
	vm->st.vcmdq_base_writes++;
}

static void vcmdqv_write(void *ctx, uint64_t off, unsigned size, uint64_t v)
{
	struct lx_vm *vm = ctx;
	uint64_t host_off;
	unsigned l;

	vm->st.trap_writes++;
	vm_trap_enter(vm);
	if (page1_reg(vm, off, &l, &host_off)) {
		/* BASE (+0) and CONS_INDX_BASE (+8), written whole or by
		 * halves: the guest's value is kept, the host gets it
		 * translated, always as one 64-bit write */
		unsigned r = (unsigned)(host_off % T241_VCMDQ_STRIDE);
		uint64_t *g = &vm->page1[l][r / 8];

		if (size == 8)
			*g = v;
		else if (r % 8)
			*g = (*g & 0xffffffffull) | v << 32;
		else
			*g = (*g & ~0xffffffffull) | (v & 0xffffffffull);
		if (vm->iommufd)
			vm_hw_queue(vm, l, r & ~7u, *g);
		else
			simcpu_mmio_write(CMDQV_SPACE_CMDQV, host_off - r % 8,
					  8, translate_page1(vm, r & ~7u, *g));
	} else if (off == T241_CONFIG) {
		vm->cmdqv_config = (uint32_t)v & 1;
	} else if (off == T241_VINTF_INT_MASK ||
		   off == T241_VINTF_INT_MASK + 4) {
		vm->vintf_int_mask[(off - T241_VINTF_INT_MASK) / 4] =
			(uint32_t)v;
	} else if (off >= T241_CMDQ_ALLOC(0) &&
		   off < T241_CMDQ_ALLOC(vm->per)) {
		/* the host's mapping stands: the guest's is only remembered */
		vm->alloc[(off - T241_CMDQ_ALLOC(0)) / 4] = (uint32_t)v;
		vm->st.cmdq_alloc_writes++;
	} else if (off == T241_VINTF(0) + T241_VINTF_CONFIG) {
		/* HYP_OWN is wired to 0 for a guest; the VMID is the VMM's
		 * (the host VINTF's), the guest's field is not used */
		vm->vintf_config = (uint32_t)v &
				   ~CMDQV_FIELD_MASK(T241_VINTF_CONFIG_HYP_OWN);
		vm->st.vintf_config_writes++;
	} else {
		vm->st.ignored++;
	}
	vm_trap_leave(vm);
}

/* ---- the host side: the VINTF behind the guest's ---- */

/* iommufd: IOMMU_VIOMMU_ALLOC + IOMMU_VDEVICE_ALLOC on host CPU 0 */
static void vm_viommu_fn(struct lx *x, unsigned cpu, void *arg)
{
	struct lx_vm *vm = arg;

	if (cpu)
		return;
	vm->setup_ret = lxc_viommu_alloc(lx_pdev(x), vm->p.vmid, vm->p.psid,
					 vm->p.vsid, &vm->lxv);
}

static void vm_viommu_free_fn(struct lx *x, unsigned cpu, void *arg)
{
	struct lx_vm *vm = arg;

	(void)x;
	if (!cpu)
		lxc_viommu_free(&vm->lxv);
}

/* iommufd: the VMM reads a vEVENT (the host driver's report of an error on
 * one of the VM's LVCMDQs) and raises the guest's CMD-QV interrupt, unless
 * the guest masked its VINTF0 (an edge: the guest's handler runs once). */
static void vm_vevent(void *ctx, int type, const void *data, size_t len)
{
	struct lx_vm *vm = ctx;
	struct simcpu *cpus = lx_cpus(vm->x);

	(void)type, (void)data, (void)len;
	vm->st.vevents++;
	if (vm->vintf_int_mask[0] & 1)
		return;
	vm->st.irqs_injected++;
	simcpu_set_irq(cpus, SIMCPU_VIRQ(CMDQV_IRQ_CMDQV), true);
	simcpu_set_irq(cpus, SIMCPU_VIRQ(CMDQV_IRQ_CMDQV), false);
}

static void vm_setup_fn(struct lx *x, unsigned cpu, void *arg)
{
	struct lx_vm *vm = arg;
	uint64_t vb = host_vintf(vm), cfg, w;
	unsigned l, i;

	(void)x;
	if (cpu)
		return;
	for (l = 0; l < vm->per; l++) {
		uint32_t q = vm->p.vintf * vm->per + l;
		uint64_t want =
			CMDQV_FIELD_PREP(T241_CMDQ_ALLOC_ALLOCATED, 1) |
			CMDQV_FIELD_PREP(T241_CMDQ_ALLOC_LVCMDQ, l) |
			CMDQV_FIELD_PREP(T241_CMDQ_ALLOC_VINTF, vm->p.vintf);

		if (simcpu_mmio_read(CMDQV_SPACE_CMDQV, T241_CMDQ_ALLOC(q),
				     4) == want)
			continue;
		simcpu_mmio_write(CMDQV_SPACE_CMDQV, T241_CMDQ_ALLOC(q), 4, 0);
		simcpu_mmio_write(CMDQV_SPACE_CMDQV, T241_CMDQ_ALLOC(q), 4,
				  want);
	}
	/* 6.12's host ISR handles VINTF0's errors only: with the VM's VINTF
	 * unmasked a guest queue error would hold the CMD-QV line high for
	 * good.  Mask it; guest errors are not injected (no virtual IRQs). */
	w = T241_VINTF_INT_MASK + 4 * (vm->p.vintf / 32);
	if (vm->p.mask_vintf_irq)
		simcpu_mmio_write(CMDQV_SPACE_CMDQV, w, 4,
				  simcpu_mmio_read(CMDQV_SPACE_CMDQV, w, 4) |
					  1u << (vm->p.vintf % 32));
	cfg = CMDQV_FIELD_PREP(T241_VINTF_CONFIG_VMID, vm->p.vmid);
	simcpu_mmio_write(CMDQV_SPACE_CMDQV, vb + T241_VINTF_CONFIG, 4, cfg);
	simcpu_mmio_write(CMDQV_SPACE_CMDQV, vb + T241_VINTF_SID_REPLACE(0), 4,
			  vm->p.psid);
	simcpu_mmio_write(
		CMDQV_SPACE_CMDQV, vb + T241_VINTF_SID_MATCH(0), 4,
		CMDQV_FIELD_PREP(T241_VINTF_SID_MATCH_VIRT_SID, vm->p.vsid) |
			CMDQV_FIELD_PREP(T241_VINTF_SID_MATCH_ENABLE, 1));
	simcpu_mmio_write(CMDQV_SPACE_CMDQV, vb + T241_VINTF_CONFIG, 4,
			  cfg | CMDQV_FIELD_PREP(T241_VINTF_CONFIG_ENABLE, 1));
	for (i = 0; i < 1000; i++) {
		if (simcpu_mmio_read(CMDQV_SPACE_CMDQV, vb + T241_VINTF_STATUS,
				     4) &
		    1) {
			vm->setup_ret = 0;
			return;
		}
		simcpu_delay(SIM_US(1));
	}
	vm->setup_ret = -1;
}

struct lx_vm *lx_vm_create(struct lx *x, const struct lx_vm_params *p,
			   char *err, size_t errlen)
{
	struct kapi_host *hh = kapi_host_get(); /* the host kernel's */
	struct cmdqv_model *m = lx_model(x);
	struct lx_vm *vm;
	struct lxg_platform plat;
	uint64_t param = 0, off;
	unsigned nvintf;

	if (live_vm) {
		snprintf(err, errlen, "one VM at a time");
		return NULL;
	}
	if (!hh || hh->model != m) {
		snprintf(err, errlen, "the host kernel is not running");
		return NULL;
	}
	if (!p->ncpus || p->cpu_base + p->ncpus > simcpu_ncpus(lx_cpus(x))) {
		snprintf(err, errlen, "vCPUs %u..%u: the host has %u CPUs",
			 p->cpu_base, p->cpu_base + p->ncpus - 1,
			 simcpu_ncpus(lx_cpus(x)));
		return NULL;
	}
	if (p->eventfd && p->sw &&
	    (p->kthread_cpu >= simcpu_ncpus(lx_cpus(x)) ||
	     (p->kthread_cpu >= p->cpu_base &&
	      p->kthread_cpu < p->cpu_base + p->ncpus))) {
		snprintf(err, errlen,
			 "kernel thread on CPU %u: expected a host CPU that is "
			 "no vCPU",
			 p->kthread_cpu);
		return NULL;
	}
	if (p->cmdqv && !lx_uses_cmdqv(x)) {
		snprintf(err, errlen, "the host kernel does not use CMD-QV");
		return NULL;
	}
	vm = calloc(1, sizeof(*vm));
	if (!vm) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	vm->x = x;
	vm->p = *p;
	for (unsigned c = 0; c < SIMCPU_MAX_CPUS; c++)
		vm->rng[c] = p->seed * 0x100000001B3ull + c + 0x5eed;
	cmdqv_mmio_peek(m, CMDQV_SPACE_CMDQV, T241_PARAM, 4, &param);
	nvintf = 1u << CMDQV_FIELD_EX(param, T241_PARAM_NUM_VINTF_LOG2);
	vm->per = (1u << CMDQV_FIELD_EX(param, T241_PARAM_NUM_VCMDQ_LOG2)) /
		  nvintf;
	if (!p->cmdqv)
		vm->per = 0;
	if (p->cmdqv && (p->vintf < 1 || p->vintf >= nvintf || !vm->per ||
			 vm->per > VM_MAX_LVCMDQ)) {
		snprintf(err, errlen, "host VINTF %u: the model has %u",
			 p->vintf, nvintf);
		free(vm);
		return NULL;
	}
	/* guest RAM: host memory the model reaches (identity stage 2) */
	off = (hh->arena_used + VM_RAM_ALIGN - 1) & ~(VM_RAM_ALIGN - 1);
	if (off + p->ram_bytes > hh->arena_size) {
		snprintf(err, errlen, "no room for %llu bytes of guest RAM",
			 (unsigned long long)p->ram_bytes);
		free(vm);
		return NULL;
	}
	hh->arena_used = off + p->ram_bytes;
	vm->ram = hh->arena + off;
	vm->ram_ipa = hh->arena_dma + off;
	vsmmu_idrs(vm);

	if (p->cmdqv && p->iommufd) {
		lx_run(x, 1, vm_viommu_fn, vm, cmdqv_now(m) + SIM_MS(10));
		if (vm->setup_ret == 0) {
			vm->iommufd = true;
			vm->p.vintf = (unsigned)vm->lxv.vintf;
			hh->vevent = vm_vevent;
			hh->vevent_ctx = vm;
		} else if (vm->setup_ret != -ENOSYS) {
			snprintf(err, errlen,
				 "IOMMU_VIOMMU_ALLOC / IOMMU_VDEVICE_ALLOC: "
				 "the host driver returned %d",
				 vm->setup_ret);
			free(vm);
			return NULL;
		}
	}
	if (p->cmdqv && !vm->iommufd) {
		lx_run(x, 1, vm_setup_fn, vm, cmdqv_now(m) + SIM_MS(10));
		if (vm->setup_ret) {
			snprintf(err, errlen, "host VINTF %u did not enable",
				 p->vintf);
			free(vm);
			return NULL;
		}
	}

	vm->smmu_trap = (struct kapi_trap){ vsmmu_read, vsmmu_write, vm };
	vm->cmdqv_trap = (struct kapi_trap){ vcmdqv_read, vcmdqv_write, vm };
	vm->gh.model = m;
	vm->gh.cpus = lx_cpus(x);
	vm->gh.arena = vm->ram;
	vm->gh.arena_size = p->ram_bytes;
	vm->gh.arena_dma = vm->ram_ipa;
	vm->gh.cpu_base = p->cpu_base;
	vm->gh.ncpus = p->ncpus;
	vm->gh.virtual_irqs = true;
	vm->gh.echo = p->echo;
	/* first match wins: the VINTF0 LVCMDQ page goes straight to the
	 * host VINTF's page in the model, the rest of the window traps */
	vm->gh.ap[0] = (struct kapi_aperture){
		VM_CMDQV_PA + T241_VINTF_PAGE0_BASE, T241_PAGE_SIZE,
		CMDQV_SPACE_CMDQV, T241_VINTF_PAGE0(vm->p.vintf, 0), NULL
	};
	vm->gh.ap[1] = (struct kapi_aperture){ VM_CMDQV_PA, VM_CMDQV_SIZE,
					       CMDQV_SPACE_CMDQV, 0,
					       &vm->cmdqv_trap };
	vm->gh.ap[2] = (struct kapi_aperture){ VM_SMMU_PA, VM_SMMU_SIZE,
					       CMDQV_SPACE_SMMU, 0,
					       &vm->smmu_trap };
	vm->gh.nap = p->cmdqv ? 3 : 1;
	if (!p->cmdqv)
		vm->gh.ap[0] = vm->gh.ap[2];

	plat = (struct lxg_platform){ .smmu_pa = VM_SMMU_PA,
				      .cmdqv_pa = VM_CMDQV_PA,
				      .cmdqv_size = VM_CMDQV_SIZE,
				      .gerror_irq = KAPI_IRQ(CMDQV_IRQ_GERROR),
				      .cmdqv_irq = KAPI_IRQ(CMDQV_IRQ_CMDQV),
				      .cmdqv = p->cmdqv };
	lxg_attach(&vm->gh, &plat);
	live_vm = vm;
	return vm;
}

void lx_vm_destroy(struct lx_vm *vm)
{
	struct kapi_host *hh = kapi_host_get();

	if (!vm)
		return;
	if (vm->iommufd) {
		if (hh && hh->vevent_ctx == vm) {
			hh->vevent = NULL;
			hh->vevent_ctx = NULL;
		}
		lx_run(vm->x, 1, vm_viommu_free_fn, vm,
		       cmdqv_now(lx_model(vm->x)) + SIM_MS(100));
	}
	lxg_detach();
	kapi_host_release(&vm->gh);
	live_vm = NULL;
	free(vm);
}

static void vm_job_run(void *a)
{
	struct lx_vm_job *j = a;

	if (simcpu_now() < j->start_at) /* wait for the others' clocks */
		simcpu_delay(j->start_at - simcpu_now());
	j->t0 = simcpu_now();
	j->fn(j->vm, j->vcpu, j->arg);
	j->t1 = simcpu_now();
	j->vm->vcpu_time[j->vcpu] = j->t1;
	if (j->vm->live && !--j->vm->live && vm_eventfd(j->vm)) {
		j->vm->kt_stop = true; /* the last vCPU: the thread may end */
		vm_kthread_wake(j->vm);
	}
}

static void vm_kthread_run(void *a)
{
	struct lx_vm_job *j = a;

	if (simcpu_now() < j->start_at)
		simcpu_delay(j->start_at - simcpu_now());
	vm_kthread_fn(j->vm);
}

int lx_vm_start(struct lx_vm *vm, unsigned nvcpus,
		void (*fn)(struct lx_vm *vm, unsigned vcpu, void *arg),
		void *arg)
{
	sim_time_t start;
	unsigned c;

	if (nvcpus > vm->p.ncpus)
		return CMDQV_EINVAL;
	/* the vCPUs start together, at the latest of their clocks: each
	 * stands where its last job returned */
	start = cmdqv_now(lx_model(vm->x));
	for (c = 0; c < nvcpus; c++)
		if (vm->vcpu_time[c] > start)
			start = vm->vcpu_time[c];
	vm->njobs = nvcpus;
	vm->live = nvcpus;
	if (vm_eventfd(vm)) {
		vm->kt_stop = false;
		vm->kt_idle = false;
		vm->kjob = (struct lx_vm_job){ vm, 0, NULL, NULL, start, 0, 0 };
		if (simcpu_start(lx_cpus(vm->x), vm->p.kthread_cpu,
				 vm_kthread_run, &vm->kjob) != CMDQV_OK)
			return CMDQV_ESTATE;
	}
	for (c = 0; c < nvcpus; c++) {
		vm->jobs[c] = (struct lx_vm_job){ vm, c, fn, arg, start, 0, 0 };
		if (simcpu_start(lx_cpus(vm->x), vm->p.cpu_base + c, vm_job_run,
				 &vm->jobs[c]) != CMDQV_OK)
			return CMDQV_ESTATE;
	}
	return CMDQV_OK;
}

int lx_vm_run(struct lx_vm *vm, unsigned nvcpus,
	      void (*fn)(struct lx_vm *vm, unsigned vcpu, void *arg), void *arg,
	      sim_time_t limit)
{
	int rc = lx_vm_start(vm, nvcpus, fn, arg);

	return rc == CMDQV_OK ? lx_continue(vm->x, limit) : rc;
}

static void vm_probe_fn(struct lx_vm *vm, unsigned vcpu, void *arg)
{
	(void)vcpu, (void)arg;
	vm->probe_ret = lxg_probe();
}

int lx_vm_probe(struct lx_vm *vm)
{
	int rc = lx_vm_run(vm, 1, vm_probe_fn, NULL,
			   cmdqv_now(lx_model(vm->x)) + SIM_MS(10000));

	return rc == CMDQV_OK ? vm->probe_ret : -ETIMEDOUT;
}

sim_time_t lx_vm_span(const struct lx_vm *vm, sim_time_t *t0, sim_time_t *t1)
{
	sim_time_t a = SIM_TIME_NEVER, b = 0, longest = 0;
	unsigned c;

	for (c = 0; c < vm->njobs; c++) {
		const struct lx_vm_job *j = &vm->jobs[c];

		if (j->t0 < a)
			a = j->t0;
		if (j->t1 > b)
			b = j->t1;
		if (j->t1 - j->t0 > longest)
			longest = j->t1 - j->t0;
	}
	if (t0)
		*t0 = vm->njobs ? a : 0;
	if (t1)
		*t1 = b;
	return longest;
}

const struct lx_vm_stats *lx_vm_stats(const struct lx_vm *vm)
{
	return &vm->st;
}

const struct lx_vm_params *lx_vm_params(const struct lx_vm *vm)
{
	return &vm->p;
}

const struct kapi_counters *lx_vm_counters(const struct lx_vm *vm)
{
	return &vm->gh.n;
}

uint32_t lx_vm_idr(const struct lx_vm *vm, unsigned n)
{
	return n < 6 ? vm->idr[n] : 0;
}

unsigned lx_vm_host_vcmdq(const struct lx_vm *vm, unsigned lidx)
{
	return vm->p.vintf * vm->per + lidx;
}

struct lx *lx_vm_x(const struct lx_vm *vm)
{
	return vm->x;
}

unsigned lx_vm_lvcmdqs(const struct lx_vm *vm)
{
	return vm->per;
}

bool lx_vm_uses_iommufd(const struct lx_vm *vm)
{
	return vm->iommufd;
}

unsigned lx_vm_host_vintf(const struct lx_vm *vm)
{
	return vm->p.vintf;
}

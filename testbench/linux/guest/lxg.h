/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lxg.h - the guest instance of Linux's arm-smmu-v3 + tegra241-cmdqv
 * drivers: a second copy of the driver objects and of the kernel-API shim,
 * built into a shared library with hidden visibility (its statics apart
 * from the host copy's), of which only these lxg_* calls are exported.
 *
 * The guest kernel shares the scheduler (simcpu) and the model with the
 * host through the executable: its shim calls the executable's simcpu_*.
 * Its platform is what the VMM presents (guest/lx_vmm.c): an IORT SMMUv3
 * node and an NVDA200C device whose windows are the VMM's (struct
 * kapi_host: apertures, trapped or mapped onto a model page).  One guest at
 * a time.  The library contains GPL-2.0 driver code.
 */
#ifndef LXG_H
#define LXG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct kapi_host;

/** struct lxg_platform - the guest firmware tables' addresses. */
struct lxg_platform {
	uint64_t smmu_pa; /* vSMMU register frame (IORT base), 128 KiB */
	uint64_t cmdqv_pa, cmdqv_size; /* NVDA200C _CRS memory window */
	int gerror_irq, cmdqv_irq; /* the guest's interrupt numbers */
	bool cmdqv; /* present the NVDA200C device */
};

/** Make @h (apertures, arena, CPUs; kept by the caller) the guest's
 * "hardware" and build its ACPI tables from @p. */
void lxg_attach(struct kapi_host *h, const struct lxg_platform *p);
/** Free what the guest kernel still holds (after lxg_remove or not). */
void lxg_detach(void);

/* ---- from inside a guest vCPU's context ---- */

int lxg_probe(void);
void lxg_remove(void);
bool lxg_uses_cmdqv(void);
/** -1 = the (emulated) SMMU CMDQ, else the guest's VCMDQ index. */
int lxg_queue_for_cpu(void);
/** @n TLBI_NH_ASID (asid..asid+n-1) through the batch API + CMD_SYNC. */
int lxg_tlbi_asid(uint16_t asid, unsigned n);
/** TLBI_NH_VA for (@asid, @iova) (leaf; VMID field @vmid, as the guest
 * writes it) + CMD_SYNC, by the driver's
 * arm_smmu_cmdq_issue_cmd_with_sync(). */
int lxg_tlbi_va(uint16_t vmid, uint16_t asid, uint64_t iova);
/** ATC_INV for (virtual) @sid over [@iova, +@size) + CMD_SYNC. */
int lxg_atc_inv(uint32_t sid, uint64_t iova, size_t size);
/** CFGI_STE for @sid + CMD_SYNC through the driver's issue path (its
 * queue choice: a guest VINTF's filter sends it to the SMMU CMDQ). */
int lxg_cfgi_ste(uint32_t sid);
/** arm_smmu_cmdq_issue_cmdlist() of raw commands on this CPU's queue. */
int lxg_issue_raw(const uint64_t *cmds, int n, bool sync);

/** A register write through the guest's own windows (what a guest kernel
 * module poking a register would do). */
void lxg_mmio_write(uint64_t pa, unsigned size, uint64_t v);

/* ---- observation, anywhere ---- */
const char *lxg_log(void);
unsigned lxg_log_count(const char *needle);

#ifdef __cplusplus
}
#endif
#endif

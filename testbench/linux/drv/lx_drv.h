/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lx_drv.h - entry points the driver translation units (lx_smmu.c,
 * lx_cmdqv.c) add after the #included kernel sources, so the harness can
 * reach the drivers' static functions.  Types stay opaque here: this header
 * is shared with code that never sees kernel headers.  Every function runs
 * inside a simulated-CPU context.
 */
#ifndef LX_DRV_H
#define LX_DRV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct platform_device;

/* lx_smmu.c */
int lxd_probe(struct platform_device *pdev);
void lxd_remove(struct platform_device *pdev);
/** The driver uses CMD-QV (ARM_SMMU_OPT_TEGRA241_CMDQV kept after probe). */
bool lxd_uses_cmdqv(struct platform_device *pdev);
/** Queue the driver picks for a TLBI on this CPU: -1 SMMU CMDQ, else the
 * global VCMDQ index. */
int lxd_queue_for_cpu(struct platform_device *pdev);
/** @n TLBI_NH_ASID (asid, asid+1...) through the batch API, then a SYNC
 * (arm_smmu_cmdq_batch_submit); returns the driver's result. */
int lxd_tlbi_asid(struct platform_device *pdev, uint16_t asid, unsigned n);
/** arm_smmu_cmdq_issue_cmdlist() of @n raw 2-word commands on the SMMU CMDQ
 * (@smmu_cmdq) or on this CPU's queue. */
int lxd_issue_raw(struct platform_device *pdev, const uint64_t *cmds, int n,
		  bool sync, bool smmu_cmdq);
/** An ATC_INV for @sid over [@iova, @iova + @size) and a SYNC. */
int lxd_atc_inv(struct platform_device *pdev, uint32_t sid, uint64_t iova,
		size_t size);
/** The SMMU CMDQ's shadow state: prod, cons (llq) and its size. */
void lxd_cmdq_state(struct platform_device *pdev, uint32_t *prod,
		    uint32_t *cons, unsigned *shift);

/* lx_cmdqv.c */
struct arm_smmu_cmdq;
/** Global index of the VCMDQ that owns @cmdq. */
int lxc_vcmdq_index(struct arm_smmu_cmdq *cmdq);

#define LXC_VM_MAX_QUEUES 8

/** struct lxc_vm - what the VMM side set up for one guest (7.x). */
struct lxc_vm {
	int vintf; /* VINTF index the driver allocated */
	int lidx; /* the guest's LVCMDQ in it */
	uint64_t vcmdq_page0; /* CMD-QV offset of that LVCMDQ's page-0 regs */
	void *queue; /* the guest queue memory (CPU view) */
	uint64_t queue_pa;
	unsigned log2size;
	void *viommu, *hw_queue, *vdev; /* the iommufd objects */
	void *hwq[LXC_VM_MAX_QUEUES]; /* lxc_hw_queue_alloc's, per LVCMDQ */
};

/* The steps of lxc_vmm_attach() one by one, as a VMM makes them (7.x;
 * -ENOSYS on 6.x), each returning 0 or the driver's error. */
/** IOMMU_VIOMMU_ALLOC of type TEGRA241_CMDQV with @vmid (-> a VINTF,
 * vm->vintf), then IOMMU_VDEVICE_ALLOC (@vsid -> @psid). */
int lxc_viommu_alloc(struct platform_device *pdev, uint16_t vmid, uint32_t psid,
		     uint32_t vsid, struct lxc_vm *vm);
/** IOMMU_HW_QUEUE_ALLOC: the VINTF's LVCMDQ @lidx at guest PA @pa (== host
 * PA), @len bytes. */
int lxc_hw_queue_alloc(struct lxc_vm *vm, unsigned lidx, uint64_t pa,
		       uint64_t len);
/** IOMMU_DESTROY of that HW queue (nothing if none). */
void lxc_hw_queue_free(struct lxc_vm *vm, unsigned lidx);
/** Destroy every HW queue (descending), the vdevice and the vIOMMU. */
void lxc_viommu_free(struct lxc_vm *vm);
/**
 * Drive 7.x's iommufd side as a VMM and iommufd core would: a vIOMMU of
 * type TEGRA241_CMDQV with @vmid (-> a VINTF), one HW queue of 2^@log2size
 * entries (-> LVCMDQ 0 mapped to it, BASE programmed), and a vdevice with
 * virtual SID @vsid for a device whose physical SID is @psid (->
 * SID_MATCH/SID_REPLACE).  0 or the driver's error; -ENOSYS on 6.x.
 */
int lxc_vmm_attach(struct platform_device *pdev, uint16_t vmid, uint32_t psid,
		   uint32_t vsid, unsigned log2size, struct lxc_vm *vm);

#endif

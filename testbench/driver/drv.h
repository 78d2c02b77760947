/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * drv.h - the reference driver: the Linux arm-smmu-v3 + tegra241-cmdqv
 * programming model (IHI 0070 4.7.3, 3.5.6.1, 7.1; arm-smmu-v3.c:
 * arm_smmu_cmdq_build_sync_cmd(), docs/cmdqv-reference.md sections 6, 7;
 * tegra241-cmdqv.c: tegra241_cmdqv_isr()) in C, written against a small
 * register HAL so the same code runs on the native model (hal_native.h) and on
 * the SystemC virtual platform (b_transport from a CPU thread).  docs/driver.md
 * walks through the sequences.
 */
#ifndef CMDQV_DRV_H
#define CMDQV_DRV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cmdqv_sim/cmd.h"
#include "cmdqv_sim/model.h"
#include "cmdqv_sim/ring.h"
#include "cmdqv_sim/sim.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * struct hal_ops - what the driver needs from a platform.  Every register
 * access and every delay advances the calling CPU's time as the platform
 * defines it; nothing else does.
 * @read32/@read64/@write32/@write64: register access at @off in @space
 * @delay:     let @ps picoseconds of CPU time pass (udelay, cpu_relax)
 * @now:       the CPU's current time in ps (for measurements only)
 * @dma_alloc: DMA-coherent memory of @size bytes aligned to @align; returns
 *             the bus address, 0 on failure
 * @mem_write/@mem_read: CPU stores/loads to DMA-coherent memory
 * @irq_wait:  wait up to @timeout ps for @line to be raised (level high or a
 *             new edge since the last call for that line); returns true if
 *             it was; @timeout 0 only checks
 * @cpu:       the CPU the caller runs on (queue choice: cpu % N)
 */
struct hal_ops {
	uint32_t (*read32)(void *ctx, enum cmdqv_space space, uint64_t off);
	uint64_t (*read64)(void *ctx, enum cmdqv_space space, uint64_t off);
	void (*write32)(void *ctx, enum cmdqv_space space, uint64_t off,
			uint32_t val);
	void (*write64)(void *ctx, enum cmdqv_space space, uint64_t off,
			uint64_t val);
	void (*delay)(void *ctx, sim_time_t ps);
	sim_time_t (*now)(void *ctx);
	uint64_t (*dma_alloc)(void *ctx, uint64_t size, uint64_t align);
	void (*mem_write)(void *ctx, uint64_t addr, const void *buf,
			  size_t len);
	void (*mem_read)(void *ctx, uint64_t addr, void *buf, size_t len);
	bool (*irq_wait)(void *ctx, enum cmdqv_irq line, sim_time_t timeout);
	unsigned (*cpu)(void *ctx);
};

/*
 * HAL_SIZED_ACCESSORS() - a platform's pfx_read32/_read64/_write32/_write64
 * for struct hal_ops over its one sized pair rd(ctx, space, off, size) and
 * wr(ctx, space, off, size, val).
 */
#define HAL_SIZED_ACCESSORS(pfx, rd, wr)                             \
	static uint32_t pfx##_read32(void *ctx, enum cmdqv_space sp, \
				     uint64_t off)                   \
	{                                                            \
		return (uint32_t)rd(ctx, sp, off, 4);                \
	}                                                            \
	static uint64_t pfx##_read64(void *ctx, enum cmdqv_space sp, \
				     uint64_t off)                   \
	{                                                            \
		return rd(ctx, sp, off, 8);                          \
	}                                                            \
	static void pfx##_write32(void *ctx, enum cmdqv_space sp,    \
				  uint64_t off, uint32_t v)          \
	{                                                            \
		wr(ctx, sp, off, 4, v);                              \
	}                                                            \
	static void pfx##_write64(void *ctx, enum cmdqv_space sp,    \
				  uint64_t off, uint64_t v)          \
	{                                                            \
		wr(ctx, sp, off, 8, v);                              \
	}

/**
 * struct drv_opts - driver policy knobs; every time is a software cost or
 * a Linux constant with its source (docs/driver.md).
 * @poll_timeout:   ARM_SMMU_POLL_TIMEOUT_US = 1 s (arm-smmu-v3.c: queue_poll())
 * @poll_udelay:    first udelay of the CONS poll back-off, doubled each
 *                  time: 1 us (arm-smmu-v3.c: queue_poll())
 * @relax_polls:    cpu_relax() iterations before udelay: 9 (same)
 * @relax_cost:     one cpu_relax() (assumed 10 ns)
 * @ack_poll:       CR0ACK / STATUS poll interval: 1 us (tegra241-cmdqv.c:
 * tegra241_cmdqv_write_config())
 * @cmdq_max_log2:  queue size cap, Q_MAX_SZ_SHIFT - 4 = 16 with CMA
 *                  (IHI 0070 3.5)
 * @bypass_vcmdq:   issue everything on the SMMU CMDQ (module parameter)
 */
struct drv_opts {
	sim_time_t poll_timeout;
	sim_time_t poll_udelay;
	unsigned relax_polls;
	sim_time_t relax_cost;
	sim_time_t ack_poll;
	unsigned cmdq_max_log2;
	bool bypass_vcmdq;
};
void drv_opts_defaults(struct drv_opts *o);

#define DRV_MAX_LVCMDQ 16
#define DRV_MAX_VINTF 4 /* VINTFs this driver instance manages (0 = host) */
#define DRV_MAX_SIDS 16

/**
 * struct drv_cmdq - one command queue as Linux's struct arm_smmu_cmdq sees it.
 * @space, @prod_off, @cons_off: where its PROD/CONS registers are
 * @base:       bus address of the ring
 * @q_base:     value written to the BASE register
 * @prod:       software producer position
 * @cons:       last CONS read from hardware (position bits)
 * @guest_only: guest-owned: only the allowlisted commands
 * (docs/cmdqv-reference.md section 6)
 * @cs_none:    SYNCs must use CS=NONE (every VCMDQ, docs/cmdqv-reference.md
 * section 6)
 * @vcmdq:      global VCMDQ index, -1 for the SMMU CMDQ
 */
struct drv_cmdq {
	char name[32];
	enum cmdqv_space space;
	uint64_t prod_off, cons_off;
	uint64_t page0; /* VCMDQ page 0 base (GERROR/GERRORN/CONFIG) */
	uint64_t base;
	uint64_t q_base;
	struct ring ring;
	uint32_t prod;
	uint32_t cons;
	bool guest_only;
	bool cs_none;
	bool enabled;
	int vcmdq;
	uint64_t issued; /* command lists published here */
};

/** struct drv_vintf - one VINTF the driver brought up. */
struct drv_vintf {
	bool enabled;
	bool hyp_own;
	uint16_t vmid;
	unsigned nlvcmdq;
	struct drv_cmdq lvcmdq[DRV_MAX_LVCMDQ];
};

/** Counters of what recovery did (for tests and logs). */
struct drv_err_stats {
	uint64_t gerror_irqs, cmdqv_irqs;
	uint64_t ill, abt, atc_timeout, other;
	uint64_t sync_timeouts;
};

/**
 * struct drv - one SMMU (+ CMDQ-V) as the driver sees it.
 * @on_error: test hook called with the queue and CERROR code before the
 *            Linux recovery runs (may fix the cause, e.g. clear a fault)
 */
/**
 * struct drv_impl_ops - what an SMMU implementation adds to the core, as
 * Linux's struct arm_smmu_impl_ops (arm-smmu-v3.h): the core calls these and
 * never names the extension; the CMD-QV part (drv_cmdqv.c) fills them in at
 * probe (tegra241-cmdqv.c: tegra241_cmdqv_impl_ops).
 * @device_reset:       after the SMMU's own reset (Linux: device_reset)
 * @get_secondary_cmdq: the queue for @opcode from the calling CPU, or NULL for
 *                      the SMMU CMDQ (Linux: get_secondary_cmdq)
 * @irq_line:           the implementation's own interrupt line
 * @irq_handler:        its handler, called when @irq_line is raised
 */
struct drv;

struct drv_impl_ops {
	int (*device_reset)(struct drv *d);
	struct drv_cmdq *(*get_secondary_cmdq)(struct drv *d, unsigned vintf,
					       uint8_t opcode);
	enum cmdqv_irq irq_line;
	void (*irq_handler)(struct drv *d);
};

struct drv {
	const struct hal_ops *hal;
	void *ctx;
	struct drv_opts opts;
	/* SMMU features (probe) */
	uint32_t idr0, idr1, idr3, idr5;
	bool ats, msi, sev, hyp, ril, coherent;
	struct drv_cmdq cmdq;
	uint32_t cr0;
	/* the implementation's hooks (NULL: a plain SMMUv3) */
	const struct drv_impl_ops *impl;
	/* CMDQ-V (probe) */
	bool has_cmdqv;
	unsigned num_vintfs, num_vcmdqs, num_lvcmdqs_per_vintf, num_sids;
	struct drv_vintf vintf[DRV_MAX_VINTF];
	struct drv_err_stats errs;
	void (*on_error)(void *arg, const struct drv_cmdq *q, unsigned cerror);
	void *on_error_arg;
	char log[256]; /* last message (Linux would printk it) */
};

/* ---- bring-up ---- */

/** SMMU probe: read IDRs, size the CMDQ (IHI 0070 6.3, 3.5; arm-smmu-v3.h). */
int drv_smmu_probe(struct drv *d, const struct hal_ops *hal, void *ctx,
		   const struct drv_opts *opts);
/** CMDQ-V probe: CONFIG, PARAM, VINTF0 structures (tegra241-cmdqv.c:
 * tegra241_cmdqv_probe()). */
int drv_cmdqv_probe(struct drv *d);
/**
 * SMMU device reset (arm-smmu-v3.c: arm_smmu_device_reset()) followed by the
 * CMDQ-V device_reset (tegra241-cmdqv.c: tegra241_cmdqv_hw_reset(): CONFIG
 * toggle, CMDQ_ALLOC, VINTF0 hypervisor-owned bring-up with its LVCMDQs).
 */
int drv_device_reset(struct drv *d);

/**
 * Guest VINTF @v: VMID, SID pairs (vSID -> pSID), @nlvcmdq guest-owned
 * LVCMDQs mapped ascending, BASE written by the host, enabled through the
 * VINTF page 0 as the guest does (tegra241-cmdqv.c: tegra241_vintf_hw_init(),
 * tegra241_vcmdq_hw_init(), tegra241_vcmdq_hw_deinit();
 * include/uapi/linux/iommufd.h).
 */
int drv_vintf_guest_init(struct drv *d, unsigned v, uint16_t vmid,
			 unsigned nlvcmdq, const uint32_t *vsid,
			 const uint32_t *psid, unsigned nsids);
/** VINTF teardown: LVCMDQs descending, CONFIG=0, SID pairs cleared
 * (tegra241-cmdqv.c: tegra241_vintf_hw_deinit()). */
int drv_vintf_deinit(struct drv *d, unsigned v);
/** Full teardown: every VINTF (descending), CMDQ-V off, SMMU off. */
int drv_shutdown(struct drv *d);

/* ---- command submission ---- */

/**
 * The queue Linux would use for @opcode from the calling CPU: VINTF0's
 * LVCMDQ cpu % N when enabled and supporting it, else the SMMU CMDQ
 * (tegra241-cmdqv.c: tegra241_cmdqv_get_cmdq()).  @vintf selects a guest VINTF
 * instead (>0).
 */
struct drv_cmdq *drv_get_cmdq(struct drv *d, unsigned vintf, uint8_t opcode);

/**
 * arm_smmu_cmdq_issue_cmdlist: write @n commands (+ a CMD_SYNC if @sync)
 * into @q, publish with one PROD write, and with @sync wait until CONS is
 * past the SYNC (CS=NONE polling; error interrupts serviced while waiting).
 * Returns 0, or -1 on a timeout (logged in d->log).
 */
int drv_issue_cmdlist(struct drv *d, struct drv_cmdq *q, const struct cmd *cmds,
		      unsigned n, bool sync);

/**
 * Linux batching: commands go to the queue chosen for the first one; a
 * command the queue does not support flushes the batch with a SYNC and
 * starts a new one; the end submits with a SYNC (arm-smmu-v3.c:
 * arm_smmu_cmdq_issue_cmdlist()).
 */
int drv_issue_batch(struct drv *d, unsigned vintf, const struct cmd *cmds,
		    unsigned n);

/**
 * Strict-mode unmap invalidation (arm-smmu-v3.c:
 * arm_smmu_tlb_inv_range_domain(), arm_smmu_atc_inv_to_cmd(),
 * __arm_smmu_tlb_inv_range(); IHI 0070 4.4.1.1): TLBI_NH_VA for [@iova, @iova +
 * @size) with leaf=1 in 4 KiB pages — range commands (TG/SCALE/NUM/TTL) split
 * as Linux does when IDR3.RIL=1, one command per page otherwise — as one batch
 * with a SYNC; then, for each of the @nsids ATS masters, one ATC_INV covering
 * the smallest naturally aligned power-of-two page window that holds the range,
 * with a SYNC.  @vintf selects the queue set as drv_get_cmdq().  0 or -1.
 */
int drv_unmap_inv(struct drv *d, unsigned vintf, uint16_t vmid, uint16_t asid,
		  uint64_t iova, uint64_t size, const uint32_t *sids,
		  unsigned nsids);

/* ---- interrupts ---- */

/** GERROR handler (arm_smmu_gerror_handler + __arm_smmu_cmdq_skip_err). */
void drv_gerror_handler(struct drv *d);
/** Service any raised error line (called from every poll loop). */
void drv_service_irqs(struct drv *d);

#ifdef __cplusplus
}
#endif
#endif /* CMDQV_DRV_H */

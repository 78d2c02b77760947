/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_bringup.h - queue bring-up as Linux does it, written once for every
 * host of the model that is not the reference driver: the test harness
 * (tb_harness.h), the software-path model (testbench/paths) and, through
 * it, replay.  Register accesses go through the public API only; every
 * handshake is polled every 1 us for at most 1 s (Linux
 * ARM_SMMU_POLL_TIMEOUT_US), letting the model's time run in between.
 *
 * Sequences: arm-smmu-v3.c: arm_smmu_device_reset() for the SMMU CMDQ;
 * tegra241-cmdqv.c: tegra241_cmdqv_hw_reset(), tegra241_vintf_hw_init() and
 * tegra241_vcmdq_hw_init() for CMD-QV.  Each returns CMDQV_OK, or the
 * status of the first access that failed (CMDQV_ETIMEDOUT for a handshake
 * never acknowledged) with a one-line reason in @err; it stops there.
 */
#ifndef CMDQV_TB_BRINGUP_H
#define CMDQV_TB_BRINGUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cmdqv_sim/model.h"
#include "cmdqv_sim/regmap.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * CR1 as arm_smmu_device_reset() writes it: queues and tables inner
 * shareable, inner and outer write-back (0xD75).
 */
#define TB_SMMU_CR1_LINUX                         \
	(CMDQV_FIELD_PREP(SMMU_CR1_QUEUE_IC, 1) | \
	 CMDQV_FIELD_PREP(SMMU_CR1_QUEUE_OC, 1) | \
	 CMDQV_FIELD_PREP(SMMU_CR1_QUEUE_SH, 3) | \
	 CMDQV_FIELD_PREP(SMMU_CR1_TABLE_IC, 1) | \
	 CMDQV_FIELD_PREP(SMMU_CR1_TABLE_OC, 1) | \
	 CMDQV_FIELD_PREP(SMMU_CR1_TABLE_SH, 3))

/**
 * struct tb_smmu_setup - what arm_smmu_device_reset programs.
 * @cmdq_base, @log2size: the command queue (CMDQ_BASE, RA set)
 * @strtab_base, @strtab_cfg: STRTAB_BASE (RA set) and STRTAB_BASE_CFG
 * @cr1:        CR1 (queue and table attributes)
 * @cr2:        CR2, written only if @write_cr2
 * @irq:        IRQ_CTRL = GERROR_IRQEN, polled on IRQ_CTRLACK, after CMDQEN
 * @smmuen:     finally CR0 |= SMMUEN (polled)
 */
struct tb_smmu_setup {
	uint64_t cmdq_base;
	unsigned log2size;
	uint64_t strtab_base;
	uint32_t strtab_cfg;
	uint32_t cr1;
	bool write_cr2;
	uint32_t cr2;
	bool irq;
	bool smmuen;
};

/** CR0=0, CR1/CR2, STRTAB, CMDQ_BASE, PROD=CONS=0, CMDQEN, IRQ, SMMUEN. */
int tb_bringup_smmu(struct cmdqv_model *m, const struct tb_smmu_setup *s,
		    char *err, size_t errlen);
/** CMD-QV CONFIG.EN (polled on STATUS); with @reset first off (polled). */
int tb_bringup_cmdqv(struct cmdqv_model *m, bool reset, char *err,
		     size_t errlen);
/** VINTF @v: CONFIG with @vmid and @hyp_own, then ENABLE (polled). */
int tb_bringup_vintf(struct cmdqv_model *m, unsigned v, uint16_t vmid,
		     bool hyp_own, char *err, size_t errlen);
/** VINTF @v's SID pair @slot: @vsid -> @psid (the VMM's vDEVICE). */
int tb_bringup_sid(struct cmdqv_model *m, unsigned v, unsigned slot,
		   uint32_t vsid, uint32_t psid, char *err, size_t errlen);
/**
 * Global VCMDQ @q as LVCMDQ @l of VINTF @v (CMDQ_ALLOC), BASE = @base with
 * 2^@log2size entries, PROD = CONS = 0 and CONFIG.EN (polled), the index
 * registers through the VINTF's page 0 if @via_vintf (what the VINTF's
 * owner sees), else through the global page 0.
 */
int tb_bringup_vcmdq(struct cmdqv_model *m, unsigned v, unsigned l, unsigned q,
		     uint64_t base, unsigned log2size, bool via_vintf,
		     char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif /* CMDQV_TB_BRINGUP_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * regmap.h - the register map of the modelled SMMUv3 and Tegra241 CMDQ-V,
 * written once for every host: the model's own register tables, the test
 * harness, the software-path model and the trace tools.  No behaviour lives
 * here (reset values, access rules and side effects are the blocks'
 * business); only offsets, fields and masks derived from the fields.
 *
 * SMMU registers follow the Arm SMMUv3 specification (IHI 0070, section 6.3
 * "Register formats"); the CMD-QV map follows Linux
 * tegra241-cmdqv.c (its register defines) and QEMU hw/arm/tegra241-cmdqv.c,
 * described in docs/cmdqv.md.  Names are the specification's mnemonics with
 * a block prefix: SMMU_ for the SMMU, T241_ for the CMD-QV (Linux calls the
 * device tegra241-cmdqv).  The reference driver keeps its own header, as a
 * Linux driver does.
 *
 * A field is a macro expanding to "lsb, width", declared right after its
 * register:
 *
 *     #define SMMU_CMDQ_CONS 0x09Cu
 *     #define SMMU_CMDQ_CONS_ERR 24, 7
 *
 *     err = CMDQV_FIELD_EX(cons, SMMU_CMDQ_CONS_ERR);
 *     cons = CMDQV_FIELD_DP(cons, SMMU_CMDQ_CONS_ERR, SMMU_CERROR_ILL);
 *
 * with the helpers of field.h: no hand-written shift or mask anywhere else.
 * CMDQV_FIELD_MASK() and CMDQV_FIELD_PREP() are constant expressions, so the
 * writable masks below are built from the fields they cover.
 *
 * Offsets are byte offsets within the block's MMIO space (enum cmdqv_space
 * in model.h); registers repeated per instance are function-like macros of
 * the instance index.
 */
#ifndef CMDQV_SIM_REGMAP_H
#define CMDQV_SIM_REGMAP_H

#include <stdint.h>

#include "field.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ======================================================================
 * SMMUv3 (IHI 0070, 6.3), CMDQV_SPACE_SMMU
 * ====================================================================== */

#define SMMU_PAGE_SIZE 0x10000u /* 64 KiB register pages */
#define SMMU_PAGE1 0x10000u /* page 1 base (IHI 0070, 6.1) */

/* ---- page 0 ---- */
#define SMMU_IDR0 0x000u
#define SMMU_IDR0_S2P 0, 1
#define SMMU_IDR0_S1P 1, 1
#define SMMU_IDR0_TTF 2, 2
#define SMMU_IDR0_COHACC 4, 1
#define SMMU_IDR0_HYP 9, 1
#define SMMU_IDR0_ATS 10, 1
#define SMMU_IDR0_ASID16 12, 1
#define SMMU_IDR0_MSI 13, 1
#define SMMU_IDR0_SEV 14, 1
#define SMMU_IDR0_PRI 16, 1
#define SMMU_IDR0_VMID16 18, 1
#define SMMU_IDR0_CD2L 19, 1
#define SMMU_IDR0_TTENDIAN 21, 2
#define SMMU_IDR0_STALL_MODEL 24, 2
#define SMMU_IDR0_TERM_MODEL 26, 1
#define SMMU_IDR0_ST_LEVEL 27, 2

#define SMMU_IDR1 0x004u
#define SMMU_IDR1_SIDSIZE 0, 6
#define SMMU_IDR1_SSIDSIZE 6, 5
#define SMMU_IDR1_PRIQS 11, 5
#define SMMU_IDR1_EVTQS 16, 5
#define SMMU_IDR1_CMDQS 21, 5

#define SMMU_IDR2 0x008u

#define SMMU_IDR3 0x00Cu
#define SMMU_IDR3_RIL 10, 1

#define SMMU_IDR4 0x010u

#define SMMU_IDR5 0x014u
#define SMMU_IDR5_OAS 0, 3
#define SMMU_IDR5_GRAN4K 4, 1
#define SMMU_IDR5_GRAN16K 5, 1
#define SMMU_IDR5_GRAN64K 6, 1
#define SMMU_IDR5_STALL_MAX 16, 16

#define SMMU_IIDR 0x018u

#define SMMU_AIDR 0x01Cu
#define SMMU_AIDR_MINOR 0, 4
#define SMMU_AIDR_MAJOR 4, 4

#define SMMU_CR0 0x020u
#define SMMU_CR0_SMMUEN 0, 1
#define SMMU_CR0_PRIQEN 1, 1
#define SMMU_CR0_EVTQEN 2, 1
#define SMMU_CR0_CMDQEN 3, 1
#define SMMU_CR0_ATSCHK 4, 1
#define SMMU_CR0_VMW 6, 3
#define SMMU_CR0_WMASK                       \
	(CMDQV_FIELD_MASK(SMMU_CR0_SMMUEN) | \
	 CMDQV_FIELD_MASK(SMMU_CR0_PRIQEN) | \
	 CMDQV_FIELD_MASK(SMMU_CR0_EVTQEN) | \
	 CMDQV_FIELD_MASK(SMMU_CR0_CMDQEN) | \
	 CMDQV_FIELD_MASK(SMMU_CR0_ATSCHK) | CMDQV_FIELD_MASK(SMMU_CR0_VMW))

#define SMMU_CR0ACK 0x024u /* CR0 fields */

#define SMMU_CR1 0x028u
#define SMMU_CR1_QUEUE_IC 0, 2
#define SMMU_CR1_QUEUE_OC 2, 2
#define SMMU_CR1_QUEUE_SH 4, 2
#define SMMU_CR1_TABLE_IC 6, 2
#define SMMU_CR1_TABLE_OC 8, 2
#define SMMU_CR1_TABLE_SH 10, 2
#define SMMU_CR1_WMASK                         \
	(CMDQV_FIELD_MASK(SMMU_CR1_QUEUE_IC) | \
	 CMDQV_FIELD_MASK(SMMU_CR1_QUEUE_OC) | \
	 CMDQV_FIELD_MASK(SMMU_CR1_QUEUE_SH) | \
	 CMDQV_FIELD_MASK(SMMU_CR1_TABLE_IC) | \
	 CMDQV_FIELD_MASK(SMMU_CR1_TABLE_OC) | \
	 CMDQV_FIELD_MASK(SMMU_CR1_TABLE_SH))

#define SMMU_CR2 0x02Cu
#define SMMU_CR2_E2H 0, 1
#define SMMU_CR2_RECINVSID 1, 1
#define SMMU_CR2_PTM 2, 1
#define SMMU_CR2_WMASK                          \
	(CMDQV_FIELD_MASK(SMMU_CR2_E2H) |       \
	 CMDQV_FIELD_MASK(SMMU_CR2_RECINVSID) | \
	 CMDQV_FIELD_MASK(SMMU_CR2_PTM))

#define SMMU_STATUSR 0x040u

#define SMMU_GBPA 0x044u
#define SMMU_GBPA_ATTRS 0, 21 /* MEMATTR .. ABORT [20:0], stored as written */
#define SMMU_GBPA_UPDATE 31, 1
#define SMMU_GBPA_WMASK \
	(CMDQV_FIELD_MASK(SMMU_GBPA_ATTRS) | CMDQV_FIELD_MASK(SMMU_GBPA_UPDATE))

#define SMMU_AGBPA 0x048u

#define SMMU_IRQ_CTRL 0x050u
#define SMMU_IRQ_CTRL_GERROR_IRQEN 0, 1
#define SMMU_IRQ_CTRL_PRIQ_IRQEN 1, 1
#define SMMU_IRQ_CTRL_EVTQ_IRQEN 2, 1
#define SMMU_IRQ_CTRL_WMASK                             \
	(CMDQV_FIELD_MASK(SMMU_IRQ_CTRL_GERROR_IRQEN) | \
	 CMDQV_FIELD_MASK(SMMU_IRQ_CTRL_PRIQ_IRQEN) |   \
	 CMDQV_FIELD_MASK(SMMU_IRQ_CTRL_EVTQ_IRQEN))

#define SMMU_IRQ_CTRLACK 0x054u /* IRQ_CTRL fields */

#define SMMU_GERROR 0x060u
#define SMMU_GERROR_CMDQ_ERR 0, 1
#define SMMU_GERROR_EVTQ_ABT_ERR 2, 1
#define SMMU_GERROR_PRIQ_ABT_ERR 3, 1
#define SMMU_GERROR_MSI_CMDQ_ABT_ERR 4, 1
#define SMMU_GERROR_MSI_EVTQ_ABT_ERR 5, 1
#define SMMU_GERROR_MSI_PRIQ_ABT_ERR 6, 1
#define SMMU_GERROR_MSI_GERROR_ABT_ERR 7, 1
#define SMMU_GERROR_SFM_ERR 8, 1
#define SMMU_GERROR_ERRORS                                  \
	(CMDQV_FIELD_MASK(SMMU_GERROR_CMDQ_ERR) |           \
	 CMDQV_FIELD_MASK(SMMU_GERROR_EVTQ_ABT_ERR) |       \
	 CMDQV_FIELD_MASK(SMMU_GERROR_PRIQ_ABT_ERR) |       \
	 CMDQV_FIELD_MASK(SMMU_GERROR_MSI_CMDQ_ABT_ERR) |   \
	 CMDQV_FIELD_MASK(SMMU_GERROR_MSI_EVTQ_ABT_ERR) |   \
	 CMDQV_FIELD_MASK(SMMU_GERROR_MSI_PRIQ_ABT_ERR) |   \
	 CMDQV_FIELD_MASK(SMMU_GERROR_MSI_GERROR_ABT_ERR) | \
	 CMDQV_FIELD_MASK(SMMU_GERROR_SFM_ERR))

#define SMMU_GERRORN 0x064u /* GERROR fields */

/* The three IRQ_CFG triples share one layout. */
#define SMMU_IRQ_CFG0_ADDR 2, 50 /* [51:2] */
#define SMMU_IRQ_CFG2_MEMATTR 0, 4
#define SMMU_IRQ_CFG2_SH 4, 2
#define SMMU_IRQ_CFG2_WMASK                        \
	(CMDQV_FIELD_MASK(SMMU_IRQ_CFG2_MEMATTR) | \
	 CMDQV_FIELD_MASK(SMMU_IRQ_CFG2_SH))

#define SMMU_GERROR_IRQ_CFG0 0x068u /* 64-bit */
#define SMMU_GERROR_IRQ_CFG1 0x070u /* MSI data */
#define SMMU_GERROR_IRQ_CFG2 0x074u

#define SMMU_STRTAB_BASE 0x080u /* 64-bit */
#define SMMU_STRTAB_BASE_ADDR 6, 46 /* [51:6] in place */
#define SMMU_STRTAB_BASE_RA 62, 1
#define SMMU_STRTAB_BASE_WMASK                     \
	(CMDQV_FIELD_MASK(SMMU_STRTAB_BASE_ADDR) | \
	 CMDQV_FIELD_MASK(SMMU_STRTAB_BASE_RA))

#define SMMU_STRTAB_BASE_CFG 0x088u
#define SMMU_STRTAB_BASE_CFG_LOG2SIZE 0, 6
#define SMMU_STRTAB_BASE_CFG_SPLIT 6, 5
#define SMMU_STRTAB_BASE_CFG_FMT 16, 2
#define SMMU_STRTAB_BASE_CFG_WMASK                         \
	(CMDQV_FIELD_MASK(SMMU_STRTAB_BASE_CFG_LOG2SIZE) | \
	 CMDQV_FIELD_MASK(SMMU_STRTAB_BASE_CFG_SPLIT) |    \
	 CMDQV_FIELD_MASK(SMMU_STRTAB_BASE_CFG_FMT))

/* The queue base registers (CMDQ, EVTQ, PRIQ) share one layout. */
#define SMMU_Q_BASE_LOG2SIZE 0, 5
#define SMMU_Q_BASE_ADDR 5, 47 /* [51:5] in place */
#define SMMU_Q_BASE_RA 62, 1 /* RA for the CMDQ, WA for EVTQ / PRIQ */
#define SMMU_Q_BASE_WMASK                         \
	(CMDQV_FIELD_MASK(SMMU_Q_BASE_LOG2SIZE) | \
	 CMDQV_FIELD_MASK(SMMU_Q_BASE_ADDR) |     \
	 CMDQV_FIELD_MASK(SMMU_Q_BASE_RA))

/* Queue PROD / CONS: index and wrap bit in [19:0] at most (IDR1 queue size
 * fields are at most 19). */
#define SMMU_Q_IDX_POS 0, 20
#define SMMU_Q_IDX_OVFLG 31, 1 /* EVTQ / PRIQ overflow flag */
#define SMMU_Q_IDX_WMASK \
	(CMDQV_FIELD_MASK(SMMU_Q_IDX_POS) | CMDQV_FIELD_MASK(SMMU_Q_IDX_OVFLG))

#define SMMU_CMDQ_BASE 0x090u /* 64-bit, SMMU_Q_BASE_* fields */

#define SMMU_CMDQ_PROD 0x098u
#define SMMU_CMDQ_PROD_WR 0, 20

#define SMMU_CMDQ_CONS 0x09Cu
#define SMMU_CMDQ_CONS_RD 0, 20
#define SMMU_CMDQ_CONS_ERR 24, 7
/* CONS.ERR values, the CERROR codes (IHI 0070, 4.7.1 / 7.1) */
#define SMMU_CERROR_NONE 0u
#define SMMU_CERROR_ILL 1u
#define SMMU_CERROR_ABT 2u
#define SMMU_CERROR_ATC_INV_SYNC 3u

#define SMMU_EVTQ_BASE 0x0A0u /* 64-bit, SMMU_Q_BASE_* fields */
#define SMMU_EVTQ_PROD 0x0A8u /* page 0 copy; page 1 at SMMU_PAGE1 + */
#define SMMU_EVTQ_CONS 0x0ACu
#define SMMU_EVTQ_IRQ_CFG0 0x0B0u
#define SMMU_EVTQ_IRQ_CFG1 0x0B8u
#define SMMU_EVTQ_IRQ_CFG2 0x0BCu

#define SMMU_PRIQ_BASE 0x0C0u
#define SMMU_PRIQ_PROD 0x0C8u
#define SMMU_PRIQ_CONS 0x0CCu
#define SMMU_PRIQ_IRQ_CFG0 0x0D0u
#define SMMU_PRIQ_IRQ_CFG1 0x0D8u
#define SMMU_PRIQ_IRQ_CFG2 0x0DCu

#define SMMU_PAGE0_END 0x100u /* the registers above all lie below */

/* ======================================================================
 * Tegra241 CMD-QV, CMDQV_SPACE_CMDQV (docs/cmdqv.md)
 * ====================================================================== */

/* ---- MMIO windows ---- */
#define T241_PAGE_SIZE 0x10000u
#define T241_CONFIG_PAGE 0x00000u /* global registers, ALLOC, VINTF files */
#define T241_VCMDQ_PAGE0_BASE 0x10000u /* global view, page 0 */
#define T241_VCMDQ_PAGE1_BASE 0x20000u /* global view, page 1 */
#define T241_VINTF_PAGE0_BASE 0x30000u /* logical views, page 0 of VINTF0 */
#define T241_VINTF_PAGE1_BASE 0x40000u
#define T241_VINTF_PAGE_STRIDE 0x20000u /* one page pair per VINTF */
#define T241_VCMDQ_STRIDE 0x80u /* one register block per queue in a page */

/** Global view of VCMDQ @q, page 0 (control) and page 1 (base). */
#define T241_VCMDQ_PAGE0(q) \
	(T241_VCMDQ_PAGE0_BASE + T241_VCMDQ_STRIDE * (uint64_t)(q))
#define T241_VCMDQ_PAGE1(q) \
	(T241_VCMDQ_PAGE1_BASE + T241_VCMDQ_STRIDE * (uint64_t)(q))
/** Logical view: LVCMDQ @l of VINTF @v, page 0 and page 1. */
#define T241_VINTF_PAGE0(v, l)                                            \
	(T241_VINTF_PAGE0_BASE + T241_VINTF_PAGE_STRIDE * (uint64_t)(v) + \
	 T241_VCMDQ_STRIDE * (uint64_t)(l))
#define T241_VINTF_PAGE1(v, l)                                            \
	(T241_VINTF_PAGE1_BASE + T241_VINTF_PAGE_STRIDE * (uint64_t)(v) + \
	 T241_VCMDQ_STRIDE * (uint64_t)(l))

/* ---- config page: global registers ---- */
#define T241_CONFIG 0x000u
#define T241_CONFIG_CMDQV_EN 0, 1
#define T241_CONFIG_PER_CMD_OFFSET 1, 3
#define T241_CONFIG_MAX_CLK_BATCH 4, 8
#define T241_CONFIG_MAX_CMD_BATCH 12, 8
#define T241_CONFIG_CONS_DRAM_EN 20, 1
#define T241_CONFIG_WMASK                               \
	(CMDQV_FIELD_MASK(T241_CONFIG_CMDQV_EN) |       \
	 CMDQV_FIELD_MASK(T241_CONFIG_PER_CMD_OFFSET) | \
	 CMDQV_FIELD_MASK(T241_CONFIG_MAX_CLK_BATCH) |  \
	 CMDQV_FIELD_MASK(T241_CONFIG_MAX_CMD_BATCH) |  \
	 CMDQV_FIELD_MASK(T241_CONFIG_CONS_DRAM_EN))

#define T241_PARAM 0x004u
#define T241_PARAM_VER 0, 4
#define T241_PARAM_NUM_VCMDQ_LOG2 4, 4
#define T241_PARAM_NUM_VINTF_LOG2 8, 4
#define T241_PARAM_NUM_SID_LOG2 12, 4

#define T241_STATUS 0x008u
#define T241_STATUS_ENABLED 0, 1

#define T241_VINTF_ERR_MAP 0x014u /* two 32-bit words, bit v = VINTF v */
#define T241_VINTF_INT_MASK 0x01Cu /* two 32-bit words */
#define T241_CMDQ_ERR_MAP 0x024u /* four 32-bit words, bit q = VCMDQ q */

/** CMDQ_ALLOC of VCMDQ @q: which VINTF and LVCMDQ slot it is. */
#define T241_CMDQ_ALLOC(q) (0x200u + 4u * (q))
#define T241_CMDQ_ALLOC_ALLOCATED 0, 1
#define T241_CMDQ_ALLOC_LVCMDQ 1, 7
#define T241_CMDQ_ALLOC_VINTF 15, 6
#define T241_CMDQ_ALLOC_WMASK                          \
	(CMDQV_FIELD_MASK(T241_CMDQ_ALLOC_ALLOCATED) | \
	 CMDQV_FIELD_MASK(T241_CMDQ_ALLOC_LVCMDQ) |    \
	 CMDQV_FIELD_MASK(T241_CMDQ_ALLOC_VINTF))

/* ---- config page: VINTF register files ---- */
#define T241_VINTF_STRIDE 0x100u
/** Register file of VINTF @v; the offsets below are relative to it. */
#define T241_VINTF(v) (0x1000u + T241_VINTF_STRIDE * (v))

#define T241_VINTF_CONFIG 0x00u
#define T241_VINTF_CONFIG_ENABLE 0, 1
#define T241_VINTF_CONFIG_VMID 1, 16
#define T241_VINTF_CONFIG_HYP_OWN 17, 1
#define T241_VINTF_CONFIG_WMASK                       \
	(CMDQV_FIELD_MASK(T241_VINTF_CONFIG_ENABLE) | \
	 CMDQV_FIELD_MASK(T241_VINTF_CONFIG_VMID) |   \
	 CMDQV_FIELD_MASK(T241_VINTF_CONFIG_HYP_OWN))

#define T241_VINTF_STATUS 0x04u
#define T241_VINTF_STATUS_ENABLE_OK 0, 1
#define T241_VINTF_STATUS_STATUS 1, 3
#define T241_VINTF_STATUS_VCMDQ_ERR 1 /* STATUS value "VCMDQ error" */
#define T241_VINTF_STATUS_NUM_LVCMDQ 16, 8

/** SID_MATCH / SID_REPLACE of stream-ID pair @s. */
#define T241_VINTF_SID_MATCH(s) (0x40u + 4u * (s))
#define T241_VINTF_SID_MATCH_ENABLE 0, 1
#define T241_VINTF_SID_MATCH_VIRT_SID 1, 20
#define T241_VINTF_SID_MATCH_WMASK                       \
	(CMDQV_FIELD_MASK(T241_VINTF_SID_MATCH_ENABLE) | \
	 CMDQV_FIELD_MASK(T241_VINTF_SID_MATCH_VIRT_SID))

#define T241_VINTF_SID_REPLACE(s) (0x80u + 4u * (s))
#define T241_VINTF_SID_REPLACE_PHYS 0, 20
#define T241_VINTF_SID_REPLACE_WMASK \
	CMDQV_FIELD_MASK(T241_VINTF_SID_REPLACE_PHYS)

#define T241_VINTF_LVCMDQ_ERR_MAP 0xC0u /* four 32-bit words, bit l */

/* ---- VCMDQ page 0 (both views), relative to T241_VCMDQ_PAGE0(q) or
 * T241_VINTF_PAGE0(v, l) ---- */
#define T241_VCMDQ_CONS_INDX 0x00u
#define T241_VCMDQ_CONS_INDX_RD 0, 20
#define T241_VCMDQ_CONS_INDX_ERR 24, 7 /* SMMU_CERROR_* values, and: */
/* a guest-owned queue's command outside the guest command set */
#define T241_CERROR_ILL_ACCESS 4u

#define T241_VCMDQ_PROD_INDX 0x04u
#define T241_VCMDQ_PROD_INDX_WR 0, 20

#define T241_VCMDQ_INDX_WMASK CMDQV_FIELD_MASK(T241_VCMDQ_PROD_INDX_WR)

#define T241_VCMDQ_CONFIG 0x08u
#define T241_VCMDQ_CONFIG_CMDQ_EN 0, 1
#define T241_VCMDQ_CONFIG_WMASK CMDQV_FIELD_MASK(T241_VCMDQ_CONFIG_CMDQ_EN)

#define T241_VCMDQ_STATUS 0x0Cu
#define T241_VCMDQ_STATUS_CMDQ_EN_OK 0, 1

#define T241_VCMDQ_GERROR 0x10u
#define T241_VCMDQ_GERROR_CMDQ_ERR 0, 1
#define T241_VCMDQ_GERROR_CONS_DRAM_WR_ABT_ERR 1, 1
#define T241_VCMDQ_GERROR_CMDQ_INIT_ERR 2, 1
#define T241_VCMDQ_GERROR_WMASK                                     \
	(CMDQV_FIELD_MASK(T241_VCMDQ_GERROR_CMDQ_ERR) |             \
	 CMDQV_FIELD_MASK(T241_VCMDQ_GERROR_CONS_DRAM_WR_ABT_ERR) | \
	 CMDQV_FIELD_MASK(T241_VCMDQ_GERROR_CMDQ_INIT_ERR))

#define T241_VCMDQ_GERRORN 0x14u /* GERROR fields */

/* ---- VCMDQ page 1 (both views), relative to T241_VCMDQ_PAGE1(q) or
 * T241_VINTF_PAGE1(v, l) ---- */
#define T241_VCMDQ_BASE 0x00u /* BASE_L, BASE_H */
#define T241_VCMDQ_BASE_LOG2SIZE 0, 5
#define T241_VCMDQ_BASE_ADDR 5, 43 /* ADDR[47:5] in place */
#define T241_VCMDQ_BASE_WMASK                         \
	(CMDQV_FIELD_MASK(T241_VCMDQ_BASE_LOG2SIZE) | \
	 CMDQV_FIELD_MASK(T241_VCMDQ_BASE_ADDR))

#define T241_VCMDQ_CONS_DRAM 0x08u /* CONS_INDX_BASE_DRAM_L, _H */
#define T241_VCMDQ_CONS_DRAM_ADDR 0, 48
#define T241_VCMDQ_CONS_DRAM_WMASK CMDQV_FIELD_MASK(T241_VCMDQ_CONS_DRAM_ADDR)

#ifdef __cplusplus
}
#endif
#endif /* CMDQV_SIM_REGMAP_H */

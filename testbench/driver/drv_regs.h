/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * drv_regs.h - the register map as the reference driver sees it, written
 * from IHI 0070 and docs/cmdqv-reference.md like a Linux driver's header
 * (arm-smmu-v3.h, tegra241-cmdqv.c).  The driver's own copy: it does not use
 * the model's private tables, so a wrong offset in either shows up in the
 * tests.
 */
#ifndef CMDQV_DRV_REGS_H
#define CMDQV_DRV_REGS_H

#include <stdint.h>

#define DRV_BIT(n) (1ull << (n))
#define DRV_GENMASK(h, l) (((~0ull) >> (63 - (h))) & ~((1ull << (l)) - 1))
#define DRV_FIELD_GET(m, v) (((v) & (m)) >> __builtin_ctzll(m))
#define DRV_FIELD_PREP(m, v) (((uint64_t)(v) << __builtin_ctzll(m)) & (m))

/* ---- SMMU page 0 (IHI 0070 6.3; arm-smmu-v3.h) ---- */
#define ARM_SMMU_IDR0 0x000
#define IDR0_SEV DRV_BIT(14)
#define IDR0_MSI DRV_BIT(13)
#define IDR0_ATS DRV_BIT(10)
#define IDR0_HYP DRV_BIT(9)
#define IDR0_COHACC DRV_BIT(4)
#define IDR0_S1P DRV_BIT(1)
#define IDR0_S2P DRV_BIT(0)
#define ARM_SMMU_IDR1 0x004
#define IDR1_CMDQS DRV_GENMASK(25, 21)
#define IDR1_SIDSIZE DRV_GENMASK(5, 0)
#define ARM_SMMU_IDR3 0x00C
#define IDR3_RIL DRV_BIT(10)
#define ARM_SMMU_IDR5 0x014
#define IDR5_OAS DRV_GENMASK(2, 0)
#define ARM_SMMU_CR0 0x020
#define CR0_SMMUEN DRV_BIT(0)
#define CR0_EVTQEN DRV_BIT(2)
#define CR0_CMDQEN DRV_BIT(3)
#define ARM_SMMU_CR0ACK 0x024
#define ARM_SMMU_CR1 0x028
#define CR1_QUEUE_SH DRV_GENMASK(5, 4)
#define CR1_QUEUE_OC DRV_GENMASK(3, 2)
#define CR1_QUEUE_IC DRV_GENMASK(1, 0)
#define ARM_SMMU_CR2 0x02C
#define ARM_SMMU_IRQ_CTRL 0x050
#define IRQ_CTRL_GERROR_IRQEN DRV_BIT(0)
#define ARM_SMMU_IRQ_CTRLACK 0x054
#define ARM_SMMU_GERROR 0x060
#define GERROR_CMDQ_ERR DRV_BIT(0)
#define GERROR_SFM_ERR DRV_BIT(8)
#define GERROR_ERR_MASK 0x1FD
#define ARM_SMMU_GERRORN 0x064
#define ARM_SMMU_STRTAB_BASE 0x080
#define ARM_SMMU_STRTAB_BASE_CFG 0x088
#define ARM_SMMU_CMDQ_BASE 0x090
#define Q_BASE_RWA DRV_BIT(62)
#define Q_BASE_ADDR_MASK DRV_GENMASK(51, 5)
#define Q_BASE_LOG2SIZE DRV_GENMASK(4, 0)
#define ARM_SMMU_CMDQ_PROD 0x098
#define ARM_SMMU_CMDQ_CONS 0x09C
#define CMDQ_CONS_ERR DRV_GENMASK(30, 24)
#define ARM_SMMU_EVTQ_BASE 0x0A0
#define ARM_SMMU_EVTQ_PROD 0x100A8
#define ARM_SMMU_EVTQ_CONS 0x100AC

/* CERROR codes (IHI 0070 7.1) */
#define CMDQ_ERR_CERROR_NONE_IDX 0
#define CMDQ_ERR_CERROR_ILL_IDX 1
#define CMDQ_ERR_CERROR_ABT_IDX 2
#define CMDQ_ERR_CERROR_ATC_INV_IDX 3
#define CMDQ_ERR_CERROR_ILL_ACCESS 4

/* ---- CMDQ-V config page (docs/cmdqv-reference.md sections 3, 4) ---- */
#define TEGRA241_CMDQV_CONFIG 0x0000
#define CMDQV_EN DRV_BIT(0)
#define TEGRA241_CMDQV_PARAM 0x0004
#define CMDQV_NUM_SID_PER_VM_LOG2 DRV_GENMASK(15, 12)
#define CMDQV_NUM_VINTF_LOG2 DRV_GENMASK(11, 8)
#define CMDQV_NUM_VCMDQ_LOG2 DRV_GENMASK(7, 4)
#define TEGRA241_CMDQV_STATUS 0x0008
#define CMDQV_ENABLED DRV_BIT(0)
#define TEGRA241_CMDQV_VINTF_ERR_MAP 0x0014
#define TEGRA241_CMDQV_CMDQ_ERR_MAP(m) (0x0024 + 4 * (m))
#define TEGRA241_CMDQV_CMDQ_ALLOC(q) (0x0200 + 4 * (q))
#define CMDQV_CMDQ_ALLOC_VINTF DRV_GENMASK(20, 15)
#define CMDQV_CMDQ_ALLOC_LVCMDQ DRV_GENMASK(7, 1)
#define CMDQV_CMDQ_ALLOCATED DRV_BIT(0)

#define TEGRA241_VINTF(v) (0x1000 + 0x100 * (v))
#define TEGRA241_VINTF_CONFIG 0x000
#define VINTF_HYP_OWN DRV_BIT(17)
#define VINTF_VMID DRV_GENMASK(16, 1)
#define VINTF_EN DRV_BIT(0)
#define TEGRA241_VINTF_STATUS 0x004
#define VINTF_STATUS DRV_GENMASK(3, 1)
#define VINTF_ENABLED DRV_BIT(0)
#define TEGRA241_VINTF_SID_MATCH(s) (0x040 + 4 * (s))
#define TEGRA241_VINTF_SID_REPLACE(s) (0x080 + 4 * (s))
#define TEGRA241_VINTF_LVCMDQ_ERR_MAP_64(m) (0x0C0 + 8 * (m))

/* ---- VCMDQ pages (docs/cmdqv-reference.md sections 2, 5) ---- */
#define TEGRA241_VCMDQ_PAGE0(q) (0x10000 + 0x80 * (q))
#define TEGRA241_VCMDQ_PAGE1(q) (0x20000 + 0x80 * (q))
#define TEGRA241_VINTFi_PAGE0(i) (0x30000 + 0x20000 * (i))
#define TEGRA241_VINTFi_PAGE1(i) (0x40000 + 0x20000 * (i))
#define TEGRA241_VINTFi_LVCMDQ_PAGE0(i, l) \
	(TEGRA241_VINTFi_PAGE0(i) + 0x80 * (l))
#define TEGRA241_VINTFi_LVCMDQ_PAGE1(i, l) \
	(TEGRA241_VINTFi_PAGE1(i) + 0x80 * (l))
#define TEGRA241_VCMDQ_CONS 0x00000
#define VCMDQ_CONS_ERR DRV_GENMASK(30, 24)
#define TEGRA241_VCMDQ_PROD 0x00004
#define TEGRA241_VCMDQ_CONFIG 0x00008
#define VCMDQ_EN DRV_BIT(0)
#define TEGRA241_VCMDQ_STATUS 0x0000C
#define VCMDQ_ENABLED DRV_BIT(0)
#define TEGRA241_VCMDQ_GERROR 0x00010
#define TEGRA241_VCMDQ_GERRORN 0x00014
#define TEGRA241_VCMDQ_BASE 0x00000 /* page 1 */
#define VCMDQ_ADDR DRV_GENMASK(47, 5)
#define VCMDQ_LOG2SIZE DRV_GENMASK(4, 0)
#define TEGRA241_VCMDQ_CONS_INDX_BASE 0x00008 /* page 1 */

#endif /* CMDQV_DRV_REGS_H */

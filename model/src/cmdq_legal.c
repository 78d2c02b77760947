/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmdq_legal.c - what the command processor decides from the command
 * alone (cmdq_int.h): its legality on this platform (the CERROR_ILL cases)
 * and its execution cost in processor cycles.  Pure functions of the
 * configuration and the decoded command.
 */
#include "cmdq_int.h"

/* ------------------------------------------------------------------ */
/* legality (IHI 0070 4.4, 4.1.3)                              */
/* ------------------------------------------------------------------ */

#define CMDQ_TG_16K 2u /* TG: 1 = 4K, 2 = 16K, 3 = 64K granule */

/* Range fields of a by-address TLBI. */
static uint8_t cmdq_check_range(const struct cmdqv_config *cfg, struct cmd *c)
{
	if (!cfg->ril) {
		/* RIL == 0: SCALE/NUM/TG/TTL are RES0; this model takes the
                 * "ignore reserved fields" choice and acts as TG=0 (IHI 0070
                 * 4.1.3). */
		c->num = c->scale = c->tg = c->ttl = 0;
		return SMMU_CERROR_NONE;
	}
	/* TG = 16K with TTL = 01 needs IDR5.DS = 1, which this model does
	 * not implement: without it that TTL is Reserved and counts as
	 * TTL 00 (IHI 0070 4.4.1.1). */
	if (c->tg == CMDQ_TG_16K && c->ttl == 1)
		c->ttl = 0;
	/* TG != 0 with NUM = SCALE = TTL = 0 is Reserved (IHI 0070
	 * IHI 0070 4.4.2.3). */
	if (c->tg != 0 && c->num == 0 && c->scale == 0 && c->ttl == 0)
		return SMMU_CERROR_ILL;
	return SMMU_CERROR_NONE;
}

/* CERROR for command @c on a Non-secure queue of this platform.  Reserved
 * fields other than those named here are ignored (IHI 0070 4.1.3 allows
 * either). */
uint8_t cmdq_check_legal(const struct cmdqv_config *cfg, struct cmd *c)
{
	/* SSec=1 on the NS queue (IHI 0070 4.1.3). */
	if (c->ssec)
		return SMMU_CERROR_ILL;
	switch (c->opcode) {
	case CMDQ_OP_PREFETCH_CONFIG:
	case CMDQ_OP_PREFETCH_ADDR:
	case CMDQ_OP_CFGI_STE:
	case CMDQ_OP_CFGI_STE_RANGE:
	case CMDQ_OP_TLBI_NSNH_ALL:
		return SMMU_CERROR_NONE;
	case CMDQ_OP_CFGI_CD:
	case CMDQ_OP_CFGI_CD_ALL:
		return cfg->s1p ? SMMU_CERROR_NONE :
				  SMMU_CERROR_ILL; /* IHI 0070 4.4 */
	case CMDQ_OP_TLBI_NH_ALL:
	case CMDQ_OP_TLBI_NH_ASID:
		return cfg->s1p ?
			       SMMU_CERROR_NONE :
			       SMMU_CERROR_ILL; /* NH_* on S2-only, IHI 0070 4.4 */
	case CMDQ_OP_TLBI_NH_VA:
	case CMDQ_OP_TLBI_NH_VAA:
		return cfg->s1p ? cmdq_check_range(cfg, c) : SMMU_CERROR_ILL;
	case CMDQ_OP_TLBI_EL3_ALL:
	case CMDQ_OP_TLBI_EL3_VA:
		return SMMU_CERROR_ILL; /* EL3_* only on the Secure queue (IHI 0070 4.4) */
	case CMDQ_OP_TLBI_EL2_ALL:
	case CMDQ_OP_TLBI_EL2_ASID:
		return cfg->hyp ? SMMU_CERROR_NONE :
				  SMMU_CERROR_ILL; /* IHI 0070 4.4 */
	case CMDQ_OP_TLBI_EL2_VA:
	case CMDQ_OP_TLBI_EL2_VAA:
		return cfg->hyp ? cmdq_check_range(cfg, c) : SMMU_CERROR_ILL;
	case CMDQ_OP_TLBI_S12_VMALL:
		return cfg->s2p ? SMMU_CERROR_NONE :
				  SMMU_CERROR_ILL; /* IHI 0070 4.4 */
	case CMDQ_OP_TLBI_S2_IPA:
		return cfg->s2p ? cmdq_check_range(cfg, c) : SMMU_CERROR_ILL;
	case CMDQ_OP_ATC_INV:
		/* ILL without ATS, and for Size > 52 (IHI 0070 4.5.1, 4.1.3:
		 * the
                 * model takes the ILL choice). */
		if (!cfg->ats || c->size > CMDQ_ATC_SIZE_ALL)
			return SMMU_CERROR_ILL;
		return SMMU_CERROR_NONE;
	case CMDQ_OP_PRI_RESP:
		return cfg->pri && c->resp != 3 ?
			       SMMU_CERROR_NONE :
			       SMMU_CERROR_ILL; /* IHI 0070 4.1.3 */
	case CMDQ_OP_RESUME:
	case CMDQ_OP_STALL_TERM:
		return cfg->stall ?
			       SMMU_CERROR_NONE :
			       SMMU_CERROR_ILL; /* STALL_MODEL=01, IHI 0070 4.1.3 */
	case CMDQ_OP_SYNC:
		return c->cs == 3 ?
			       SMMU_CERROR_ILL :
			       SMMU_CERROR_NONE; /* CS Reserved, IHI 0070 4.7.3 */
	default:
		/* Reserved opcodes and the IMPLEMENTATION DEFINED 0x80-0x8F
                 * range, which this model does not define (IHI 0070 4.1.3). */
		return SMMU_CERROR_ILL;
	}
}

/* Processor cycles for a legal command (params.def, "command execution"). */
uint64_t cmdq_cost(const struct cmdqv_config *cfg, const struct cmd *c)
{
	uint64_t cyc = cfg->exec_cycles;

	switch (c->opcode) {
	case CMDQ_OP_TLBI_NH_VA:
	case CMDQ_OP_TLBI_NH_VAA:
	case CMDQ_OP_TLBI_EL2_VA:
	case CMDQ_OP_TLBI_EL2_VAA:
	case CMDQ_OP_TLBI_S2_IPA: {
		/* Per granule page, capped by a whole-TLB walk. */
		uint64_t pages = cmd_tlbi_range_pages(c);
		uint64_t per = cfg->tlbi_va_cycles, cap = cfg->tlbi_scan_cycles;

		if (per && pages >= (cap + per - 1) / per)
			cyc += cap;
		else
			cyc += pages * per;
		break;
	}
	case CMDQ_OP_TLBI_NH_ALL:
	case CMDQ_OP_TLBI_NH_ASID:
	case CMDQ_OP_TLBI_EL2_ALL:
	case CMDQ_OP_TLBI_EL2_ASID:
	case CMDQ_OP_TLBI_S12_VMALL:
	case CMDQ_OP_TLBI_NSNH_ALL:
		cyc += cfg->tlbi_scan_cycles;
		break;
	case CMDQ_OP_CFGI_STE:
	case CMDQ_OP_CFGI_STE_RANGE:
	case CMDQ_OP_CFGI_CD:
	case CMDQ_OP_CFGI_CD_ALL:
		cyc += cfg->cfgi_cycles;
		break;
	case CMDQ_OP_ATC_INV:
		cyc += cfg->atc_inv_cycles;
		break;
	default:
		break;
	}
	return cyc;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_bringup.c - Linux's queue bring-up sequences (tb_bringup.h).
 */
#include "tb_bringup.h"

#include "cmdqv_sim/regmap.h"
#include "cmdqv_sim/status.h"
#include "tb_util.h"

#define TB_UP_POLL_STEP SIM_US(1) /* Linux polls its handshakes every 1 us */
#define TB_UP_POLL_MAX SIM_MS(1000) /* ARM_SMMU_POLL_TIMEOUT_US */

#define TB_UP_CR0_CMDQEN CMDQV_FIELD_MASK(SMMU_CR0_CMDQEN)
#define TB_UP_CR0_SMMUEN CMDQV_FIELD_MASK(SMMU_CR0_SMMUEN)
#define TB_UP_Q_BASE_RA CMDQV_FIELD_MASK(SMMU_Q_BASE_RA)

static int tb_up_wr(struct cmdqv_model *m, enum cmdqv_space sp, uint64_t off,
		    unsigned size, uint64_t v, char *err, size_t errlen)
{
	int r = cmdqv_mmio_write(m, sp, off, size, v);

	if (r != CMDQV_OK)
		tb_errf(err, errlen,
			"bring-up: write of 0x%llx to %s+0x%llx failed: %s",
			(unsigned long long)v,
			sp == CMDQV_SPACE_SMMU ? "smmu" : "cmdqv",
			(unsigned long long)off, cmdqv_strerror(r));
	return r;
}

/* Poll (@off & @mask) == @want every 1 us for up to 1 s, as Linux does. */
static int tb_up_poll(struct cmdqv_model *m, enum cmdqv_space sp, uint64_t off,
		      uint64_t mask, uint64_t want, const char *what, char *err,
		      size_t errlen)
{
	sim_time_t end = cmdqv_now(m) + TB_UP_POLL_MAX;
	uint64_t v = 0;

	for (;;) {
		if (cmdqv_mmio_read(m, sp, off, 4, &v) == CMDQV_OK &&
		    (v & mask) == want)
			return CMDQV_OK;
		if (cmdqv_now(m) >= end)
			break;
		cmdqv_run_until(m, cmdqv_now(m) + TB_UP_POLL_STEP);
	}
	tb_errf(err, errlen,
		"bring-up: %s not acknowledged within 1 s (reads 0x%llx)", what,
		(unsigned long long)v);
	return CMDQV_ETIMEDOUT;
}

int tb_bringup_smmu(struct cmdqv_model *m, const struct tb_smmu_setup *s,
		    char *err, size_t errlen)
{
	const enum cmdqv_space S = CMDQV_SPACE_SMMU;
	int r;

	if ((r = tb_up_wr(m, S, SMMU_CR0, 4, 0, err, errlen)) ||
	    (r = tb_up_poll(m, S, SMMU_CR0ACK, ~0ull, 0, "SMMU CR0=0", err,
			    errlen)) ||
	    (r = tb_up_wr(m, S, SMMU_CR1, 4, s->cr1, err, errlen)) ||
	    (s->write_cr2 &&
	     (r = tb_up_wr(m, S, SMMU_CR2, 4, s->cr2, err, errlen))) ||
	    (r = tb_up_wr(m, S, SMMU_STRTAB_BASE, 8,
			  TB_UP_Q_BASE_RA | s->strtab_base, err, errlen)) ||
	    (r = tb_up_wr(m, S, SMMU_STRTAB_BASE_CFG, 4, s->strtab_cfg, err,
			  errlen)) ||
	    (r = tb_up_wr(m, S, SMMU_CMDQ_BASE, 8,
			  TB_UP_Q_BASE_RA | s->cmdq_base | s->log2size, err,
			  errlen)) ||
	    (r = tb_up_wr(m, S, SMMU_CMDQ_PROD, 4, 0, err, errlen)) ||
	    (r = tb_up_wr(m, S, SMMU_CMDQ_CONS, 4, 0, err, errlen)) ||
	    (r = tb_up_wr(m, S, SMMU_CR0, 4, TB_UP_CR0_CMDQEN, err, errlen)) ||
	    (r = tb_up_poll(m, S, SMMU_CR0ACK, ~0ull, TB_UP_CR0_CMDQEN,
			    "SMMU CR0.CMDQEN", err, errlen)))
		return r;
	if (s->irq &&
	    ((r = tb_up_wr(m, S, SMMU_IRQ_CTRL, 4,
			   CMDQV_FIELD_MASK(SMMU_IRQ_CTRL_GERROR_IRQEN), err,
			   errlen)) ||
	     (r = tb_up_poll(m, S, SMMU_IRQ_CTRLACK, ~0ull,
			     CMDQV_FIELD_MASK(SMMU_IRQ_CTRL_GERROR_IRQEN),
			     "SMMU IRQ_CTRL", err, errlen))))
		return r;
	if (s->smmuen &&
	    ((r = tb_up_wr(m, S, SMMU_CR0, 4,
			   TB_UP_CR0_CMDQEN | TB_UP_CR0_SMMUEN, err, errlen)) ||
	     (r = tb_up_poll(m, S, SMMU_CR0ACK, ~0ull,
			     TB_UP_CR0_CMDQEN | TB_UP_CR0_SMMUEN,
			     "SMMU CR0.SMMUEN", err, errlen))))
		return r;
	return CMDQV_OK;
}

int tb_bringup_cmdqv(struct cmdqv_model *m, bool reset, char *err,
		     size_t errlen)
{
	const enum cmdqv_space C = CMDQV_SPACE_CMDQV;
	const uint64_t en = CMDQV_FIELD_MASK(T241_CONFIG_CMDQV_EN);
	uint64_t cfg = 0;
	int r;

	cmdqv_mmio_read(m, C, T241_CONFIG, 4, &cfg);
	if (reset &&
	    ((r = tb_up_wr(m, C, T241_CONFIG, 4, cfg & ~en, err, errlen)) ||
	     (r = tb_up_poll(m, C, T241_STATUS, en, 0, "CMDQ-V disable", err,
			     errlen))))
		return r;
	if ((r = tb_up_wr(m, C, T241_CONFIG, 4, cfg | en, err, errlen)) ||
	    (r = tb_up_poll(m, C, T241_STATUS, en, en, "CMDQ-V enable", err,
			    errlen)))
		return r;
	return CMDQV_OK;
}

int tb_bringup_vintf(struct cmdqv_model *m, unsigned v, uint16_t vmid,
		     bool hyp_own, char *err, size_t errlen)
{
	const enum cmdqv_space C = CMDQV_SPACE_CMDQV;
	uint64_t vb = T241_VINTF(v);
	uint64_t vcfg = CMDQV_FIELD_PREP(T241_VINTF_CONFIG_VMID, vmid) |
			CMDQV_FIELD_PREP(T241_VINTF_CONFIG_HYP_OWN, hyp_own);
	uint64_t en = CMDQV_FIELD_MASK(T241_VINTF_CONFIG_ENABLE);
	int r;

	if ((r = tb_up_wr(m, C, vb + T241_VINTF_CONFIG, 4, vcfg, err,
			  errlen)) ||
	    (r = tb_up_wr(m, C, vb + T241_VINTF_CONFIG, 4, vcfg | en, err,
			  errlen)) ||
	    (r = tb_up_poll(m, C, vb + T241_VINTF_STATUS, 1, 1, "VINTF enable",
			    err, errlen)))
		return r;
	return CMDQV_OK;
}

int tb_bringup_sid(struct cmdqv_model *m, unsigned v, unsigned slot,
		   uint32_t vsid, uint32_t psid, char *err, size_t errlen)
{
	const enum cmdqv_space C = CMDQV_SPACE_CMDQV;
	uint64_t vb = T241_VINTF(v);
	int r;

	if ((r = tb_up_wr(m, C, vb + T241_VINTF_SID_REPLACE(slot), 4, psid, err,
			  errlen)) ||
	    (r = tb_up_wr(
		     m, C, vb + T241_VINTF_SID_MATCH(slot), 4,
		     CMDQV_FIELD_PREP(T241_VINTF_SID_MATCH_VIRT_SID, vsid) |
			     CMDQV_FIELD_PREP(T241_VINTF_SID_MATCH_ENABLE, 1),
		     err, errlen)))
		return r;
	return CMDQV_OK;
}

int tb_bringup_vcmdq(struct cmdqv_model *m, unsigned v, unsigned l, unsigned q,
		     uint64_t base, unsigned log2size, bool via_vintf,
		     char *err, size_t errlen)
{
	const enum cmdqv_space C = CMDQV_SPACE_CMDQV;
	uint64_t p0 = via_vintf ? T241_VINTF_PAGE0(v, l) : T241_VCMDQ_PAGE0(q);
	uint64_t alloc = CMDQV_FIELD_PREP(T241_CMDQ_ALLOC_VINTF, v) |
			 CMDQV_FIELD_PREP(T241_CMDQ_ALLOC_LVCMDQ, l) |
			 CMDQV_FIELD_PREP(T241_CMDQ_ALLOC_ALLOCATED, 1);
	int r;

	/* mapped in ascending order (HW_QUEUE_ALLOC), then vcmdq_hw_init */
	if ((r = tb_up_wr(m, C, T241_CMDQ_ALLOC(q), 4, alloc, err, errlen)) ||
	    (r = tb_up_wr(m, C, T241_VCMDQ_PAGE1(q), 8, base | log2size, err,
			  errlen)) ||
	    (r = tb_up_wr(m, C, p0 + T241_VCMDQ_PROD_INDX, 4, 0, err,
			  errlen)) ||
	    (r = tb_up_wr(m, C, p0 + T241_VCMDQ_CONS_INDX, 4, 0, err,
			  errlen)) ||
	    (r = tb_up_wr(m, C, p0 + T241_VCMDQ_CONFIG, 4, 1, err, errlen)) ||
	    (r = tb_up_poll(m, C, p0 + T241_VCMDQ_STATUS, 1, 1, "VCMDQ enable",
			    err, errlen)))
		return r;
	return CMDQV_OK;
}

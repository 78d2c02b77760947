/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * smmu.c - the SMMUv3 register frame (IHI 0070 6.3; arm-smmu-v3.h): IDRs
 * derived from the platform config, CR0/CR0ACK and IRQ_CTRL/IRQ_CTRLACK with an
 * update latency, GBPA, GERROR/GERRORN with the GERROR interrupt (wired
 * level and MSI), the stream-table / EVTQ / PRIQ registers stored so that the
 * Linux probe and reset sequence (arm-smmu-v3.c: arm_smmu_cmdq_issue_cmdlist())
 * runs, and the CMDQ registers that drive the SMMU's own queue in the engine
 * (cmdq.c).
 *
 * Registers are rows of a table handled by regs.c; this file holds only
 * their side effects.  Page 1 is architectural (IHI 0070 6.3; arm-smmu-v3.h):
 * only EVTQ/PRIQ PROD/CONS live there, at +0x10000, and reach the same
 * registers as their page-0 copies; every other page-1 offset is RAZ/WI.  (QEMU
 * instead folds offset bit 16, aliasing all of page 0, QEMU 7.2
 * hw/arm/smmuv3.c: smmuv3_init_regs().)
 */
#include <stdlib.h>
#include <string.h>

#include "cmdqv_sim/regmap.h"
#include "cmdqv_sim/status.h"
#include "internal.h"

#define SMMU_NWORDS (SMMU_PAGE0_END / 4) /* stored words, page 0 */
/* the model follows SMMUv3.2 rules (IHI 0070 6.3.26-6.3.28) */
#define SMMU_AIDR_V3_2 2

/**
 * struct smmu - the SMMU register frame.
 * @m:        owning model
 * @w:        stored register words, indexed by offset / 4 (offsets < 0x100)
 * @cmdq:     the SMMU's own command queue
 * @cr0_ev:   CR0 -> CR0ACK update; @cr0_inflight is the value being applied
 * @irq_ev:   IRQ_CTRL -> IRQ_CTRLACK update, @irq_inflight likewise
 * @gbpa_ev:  GBPA.UPDATE completion
 * @msi_ev:   GERROR MSI write in flight (coalesced, IHI 0070 6.3.19, 6.3.20)
 * @armed:    active GERROR bits that were activated while GERROR_IRQEN was
 *            acknowledged, i.e. those that raise the interrupt (IHI 0070
 * 6.3.19, 6.3.20: occurrences from before the enable never do)
 */
struct smmu {
	struct cmdqv_model *m;
	uint32_t w[SMMU_NWORDS];
	struct cmdq_queue cmdq;
	struct sim_event cr0_ev, irq_ev, gbpa_ev, msi_ev;
	uint32_t cr0_inflight, irq_inflight;
	uint32_t armed;
};

static uint64_t smmu_word(const struct smmu *s, uint32_t off)
{
	return s->w[off / 4];
}

static void smmu_set_word(struct smmu *s, uint32_t off, uint64_t v)
{
	s->w[off / 4] = (uint32_t)v;
}

/* ---- GERROR and the interrupt ---- */

static uint32_t smmu_gerror_active(const struct smmu *s)
{
	return (uint32_t)(smmu_word(s, SMMU_GERROR) ^
			  smmu_word(s, SMMU_GERRORN));
}

static void smmu_update_gerror_irq(struct smmu *s)
{
	s->armed &= smmu_gerror_active(s);
	model_irq_set(s->m, CMDQV_IRQ_GERROR, s->armed != 0);
}

/*
 * Activate global error @bit (CMDQV_FIELD_LSB() of a SMMU_GERROR_* field) if
 * it is not already active, with its interrupt (IHI 0070 6.3.19, 6.3.20).
 */
static void smmu_gerror_raise(struct smmu *s, unsigned bit)
{
	const struct cmdqv_config *cfg = model_cfg(s->m);
	uint32_t mask = UINT32_C(1) << bit;
	bool irqen = CMDQV_FIELD_EX(smmu_word(s, SMMU_IRQ_CTRLACK),
				    SMMU_IRQ_CTRL_GERROR_IRQEN);
	uint64_t cfg0;

	/* Toggled only when inactive; repeats are not logged (IHI 0070 6.3.19,
	 * 6.3.20). */
	if (smmu_gerror_active(s) & mask)
		return;
	smmu_set_word(s, SMMU_GERROR, smmu_word(s, SMMU_GERROR) ^ mask);
	/* MSI_GERROR_ABT_ERR never raises the GERROR interrupt (IHI 0070
	 * 6.3.19, 6.3.20). */
	if (!irqen || bit == CMDQV_FIELD_LSB(SMMU_GERROR_MSI_GERROR_ABT_ERR)) {
		smmu_update_gerror_irq(s);
		return;
	}
	s->armed |= mask;
	smmu_update_gerror_irq(s);
	/* MSI when MSIs exist and CFG0.ADDR != 0, in addition to the wired
         * level (IHI 0070 6.3.19, 6.3.20 "and/or"). */
	cfg0 = smmu_word(s, SMMU_GERROR_IRQ_CFG0) |
	       smmu_word(s, SMMU_GERROR_IRQ_CFG0 + 4) << 32;
	if (cfg->msi && CMDQV_FIELD_EX(cfg0, SMMU_IRQ_CFG0_ADDR) != 0 &&
	    !sim_event_pending(&s->msi_ev))
		sim_schedule_in(model_kernel(s->m), &s->msi_ev,
				cfg->msi_latency);
}

static void smmu_msi_fire(struct sim_kernel *k, struct sim_event *ev)
{
	struct smmu *s = ev->arg;
	const struct cmdqv_config *cfg = model_cfg(s->m);
	uint64_t cfg0 = smmu_word(s, SMMU_GERROR_IRQ_CFG0) |
			smmu_word(s, SMMU_GERROR_IRQ_CFG0 + 4) << 32;
	uint64_t addr = cfg0 & CMDQV_FIELD_MASK(SMMU_IRQ_CFG0_ADDR);
	uint32_t data = (uint32_t)smmu_word(s, SMMU_GERROR_IRQ_CFG1);

	(void)k;
	/* ADDR bits above IDR5.OAS are RES0: the write goes to the low OAS
	 * bits, as for a CMD_SYNC MSI (IHI 0070 4.7.3,
	 * SMMU_GERROR_IRQ_CFG0). */
	if (cfg->oas < 64)
		addr &= (UINT64_C(1) << cfg->oas) - 1;
	model_stats(s->m)->msi_writes++;
	if (model_dma_write(s->m, addr, &data, sizeof(data)) != 0)
		smmu_gerror_raise(
			s, CMDQV_FIELD_LSB(SMMU_GERROR_MSI_GERROR_ABT_ERR));
}

/* ---- CR0 / CR0ACK, IRQ_CTRL / IRQ_CTRLACK (IHI 0070 6.3.9, 6.3.10) ---- */

/* @v (written to CR0 or IRQ_CTRL) in flight: its ACK register follows on
 * @ev after cr0ack_cycles. */
static void smmu_ack_later(struct smmu *s, struct sim_event *ev,
			   uint32_t *inflight, uint64_t v)
{
	*inflight = (uint32_t)v;
	sim_schedule_in(model_kernel(s->m), ev,
			model_cycles(s->m, model_cfg(s->m)->cr0ack_cycles));
}

static void smmu_cr0_ack(struct sim_kernel *k, struct sim_event *ev)
{
	struct smmu *s = ev->arg;
	uint32_t old = (uint32_t)smmu_word(s, SMMU_CR0ACK),
		 now = s->cr0_inflight;

	if (CMDQV_FIELD_EX(old, SMMU_CR0_CMDQEN) &&
	    !CMDQV_FIELD_EX(now, SMMU_CR0_CMDQEN)) {
		/* CMDQEN 1 -> 0 completes once fetching has stopped and the
                 * command on the processor is consumed: CONS is stable when
                 * CR0ACK shows it (IHI 0070 6.3.9, 6.3.10).  Check again every
                 * cycle. */
		cmdq_set_enabled(&s->cmdq, false);
		if (!cmdq_quiescent(&s->cmdq)) {
			sim_schedule_in(k, ev, model_cycles(s->m, 1));
			return;
		}
	}
	smmu_set_word(s, SMMU_CR0ACK, now);
	if (!CMDQV_FIELD_EX(old, SMMU_CR0_CMDQEN) &&
	    CMDQV_FIELD_EX(now, SMMU_CR0_CMDQEN))
		cmdq_set_enabled(&s->cmdq, true);
	/* A second write made while the first update was in progress is
         * applied after it (IHI 0070 6.3.9, 6.3.10 leaves this CU; both in
         * order is one of the permitted outcomes for v3.1 and harmless for v3.2
         * software). */
	if (smmu_word(s, SMMU_CR0) != now)
		smmu_ack_later(s, ev, &s->cr0_inflight, smmu_word(s, SMMU_CR0));
}

static void smmu_irq_ack(struct sim_kernel *k, struct sim_event *ev)
{
	struct smmu *s = ev->arg;

	(void)k;
	smmu_set_word(s, SMMU_IRQ_CTRLACK, s->irq_inflight);
	/* Errors activated before the enable never interrupt (IHI 0070 6.3.19,
	 * 6.3.20), so
         * enabling arms nothing; disabling drops the armed set. */
	if (!CMDQV_FIELD_EX(s->irq_inflight, SMMU_IRQ_CTRL_GERROR_IRQEN)) {
		s->armed = 0;
		smmu_update_gerror_irq(s);
	}
	if (smmu_word(s, SMMU_IRQ_CTRL) != s->irq_inflight)
		smmu_ack_later(s, ev, &s->irq_inflight,
			       smmu_word(s, SMMU_IRQ_CTRL));
}

/* A write to CR0 or IRQ_CTRL: the register now, its ACK register once the
 * update in flight (if any) and then this one are applied. */
static void smmu_write_acked(void *obj, unsigned idx, const struct reg_desc *r,
			     uint64_t v)
{
	struct smmu *s = obj;
	bool cr0 = r->offset == SMMU_CR0;
	struct sim_event *ev = cr0 ? &s->cr0_ev : &s->irq_ev;

	(void)idx;
	smmu_set_word(s, r->offset, v);
	if (!sim_event_pending(ev))
		smmu_ack_later(s, ev, cr0 ? &s->cr0_inflight : &s->irq_inflight,
			       v);
}

/* ---- GBPA: fields change only with UPDATE=1, which self-clears ---- */

static void smmu_gbpa_done(struct sim_kernel *k, struct sim_event *ev)
{
	struct smmu *s = ev->arg;

	(void)k;
	smmu_set_word(s, SMMU_GBPA,
		      CMDQV_FIELD_DP(smmu_word(s, SMMU_GBPA), SMMU_GBPA_UPDATE,
				     0));
}

static void smmu_write_gbpa(void *obj, unsigned idx, const struct reg_desc *r,
			    uint64_t v)
{
	struct smmu *s = obj;

	(void)idx;
	/* A write without UPDATE, or while an update is in progress, leaves
         * the register alone (Linux always writes UPDATE=1 and polls it). */
	if (!CMDQV_FIELD_EX(v, SMMU_GBPA_UPDATE) ||
	    sim_event_pending(&s->gbpa_ev))
		return;
	smmu_set_word(s, r->offset, v);
	sim_schedule_in(model_kernel(s->m), &s->gbpa_ev,
			model_cycles(s->m, model_cfg(s->m)->cr0ack_cycles));
}

/* ---- GERRORN ---- */

static void smmu_write_gerrorn(void *obj, unsigned idx,
			       const struct reg_desc *r, uint64_t v)
{
	struct smmu *s = obj;
	uint32_t was = smmu_gerror_active(s);

	(void)idx;
	smmu_set_word(s, r->offset, v);
	smmu_update_gerror_irq(s);
	/* Acknowledging CMDQ_ERR restarts the queue from CONS if CMDQEN is
         * still 1 (IHI 0070 6.3.19, 6.3.20); toggling an inactive bit is CU and
         * ignored here apart from being stored (it then reads as an active
         * error, which is one of the permitted outcomes). */
	if ((was & (1u << CMDQV_FIELD_LSB(SMMU_GERROR_CMDQ_ERR))) &&
	    !(smmu_gerror_active(s) &
	      (1u << CMDQV_FIELD_LSB(SMMU_GERROR_CMDQ_ERR))))
		cmdq_resume(&s->cmdq);
}

/* ---- CMDQ registers (IHI 0070 6.3.26-6.3.28) ---- */

/* BASE and CONS are RW only while CR0.CMDQEN == 0 and CR0ACK.CMDQEN == 0;
 * SMMUv3.2 ignores writes otherwise (IHI 0070 6.3.26-6.3.28). */
static bool smmu_cmdq_guard_open(const struct smmu *s)
{
	return !CMDQV_FIELD_EX(smmu_word(s, SMMU_CR0), SMMU_CR0_CMDQEN) &&
	       !CMDQV_FIELD_EX(smmu_word(s, SMMU_CR0ACK), SMMU_CR0_CMDQEN);
}

static void smmu_write_cmdq_base(void *obj, unsigned idx,
				 const struct reg_desc *r, uint64_t v)
{
	struct smmu *s = obj;
	unsigned log2size = (unsigned)CMDQV_FIELD_EX(v, SMMU_Q_BASE_LOG2SIZE);
	unsigned cap = model_cfg(s->m)->cmdqs;
	uint64_t bytes, addr;

	(void)idx;
	if (!smmu_cmdq_guard_open(s))
		return;
	/* LOG2SIZE is capped at IDR1.CMDQS and reads back capped (QEMU clamps
         * the same way, QEMU 7.2 hw/arm/smmuv3.c: smmuv3_init_regs()); the base
         * is aligned to max(queue bytes, 32) (IHI 0070 6.3.26-6.3.28), so low
         * address bits are ignored. */
	if (log2size > cap)
		log2size = cap;
	v = CMDQV_FIELD_DP(v, SMMU_Q_BASE_LOG2SIZE, log2size);
	smmu_set_word(s, r->offset, v);
	smmu_set_word(s, r->offset + 4, v >> 32);
	bytes = (uint64_t)16 << log2size;
	if (bytes < 32)
		bytes = 32;
	addr = (v & CMDQV_FIELD_MASK(SMMU_Q_BASE_ADDR)) & ~(bytes - 1);
	cmdq_set_base(&s->cmdq, addr, log2size);
}

static uint64_t smmu_read_cmdq_prod(void *obj, unsigned idx,
				    const struct reg_desc *r)
{
	struct smmu *s = obj;

	(void)idx;
	(void)r;
	return s->cmdq.prod;
}

static void smmu_write_cmdq_prod(void *obj, unsigned idx,
				 const struct reg_desc *r, uint64_t v)
{
	struct smmu *s = obj;

	(void)idx;
	(void)r;
	/* PROD is always writable; bits above the wrap bit are RES0 (IHI 0070
	 * 6.3.26-6.3.28). */
	cmdq_set_prod(&s->cmdq, (uint32_t)v & ring_pos_mask(s->cmdq.ring));
}

static uint64_t smmu_read_cmdq_cons(void *obj, unsigned idx,
				    const struct reg_desc *r)
{
	struct smmu *s = obj;

	(void)idx;
	(void)r;
	return cmdq_cons_reg(&s->cmdq);
}

static void smmu_write_cmdq_cons(void *obj, unsigned idx,
				 const struct reg_desc *r, uint64_t v)
{
	struct smmu *s = obj;

	(void)idx;
	(void)r;
	if (!smmu_cmdq_guard_open(s))
		return;
	/* ERR keeps its value: a CONS write may leave it alone (IHI 0070
	 * 6.3.28). */
	cmdq_set_cons(&s->cmdq, (uint32_t)CMDQV_FIELD_EX(v, SMMU_CMDQ_CONS_RD) &
					ring_pos_mask(s->cmdq.ring));
}

/* ---- generic stored registers ---- */

static uint64_t smmu_read_store(void *obj, unsigned idx,
				const struct reg_desc *r)
{
	const struct smmu *s = obj;
	uint64_t v = smmu_word(s, r->offset);

	(void)idx;
	if (r->size == 8)
		v |= smmu_word(s, r->offset + 4) << 32;
	return v;
}

static void smmu_write_store(void *obj, unsigned idx, const struct reg_desc *r,
			     uint64_t v)
{
	struct smmu *s = obj;

	(void)idx;
	smmu_set_word(s, r->offset, v);
	if (r->size == 8)
		smmu_set_word(s, r->offset + 4, v >> 32);
}

#define RO(name, off, sz)                                      \
	{                                                      \
#name, off, sz, 0, 0, 0, smmu_read_store, NULL \
	}
#define RW(name, off, sz, m)                                               \
	{                                                                  \
#name, off, sz, 0, m, 0, smmu_read_store, smmu_write_store \
	}
/* The event and PRI queues' registers, plain storage (IHI 0070 6.3):
 * base, PROD, CONS and the MSI configuration. */
#define SMMU_QUEUE_REGS(q)                                               \
	RW(q##_BASE, SMMU_##q##_BASE, 8, SMMU_Q_BASE_WMASK),             \
		RW(q##_PROD, SMMU_##q##_PROD, 4, SMMU_Q_IDX_WMASK),      \
		RW(q##_CONS, SMMU_##q##_CONS, 4, SMMU_Q_IDX_WMASK),      \
		RW(q##_IRQ_CFG0, SMMU_##q##_IRQ_CFG0, 8,                 \
		   CMDQV_FIELD_MASK(SMMU_IRQ_CFG0_ADDR)),                \
		RW(q##_IRQ_CFG1, SMMU_##q##_IRQ_CFG1, 4, 0xFFFFFFFFull), \
		RW(q##_IRQ_CFG2, SMMU_##q##_IRQ_CFG2, 4, SMMU_IRQ_CFG2_WMASK)
#define HOOK(name, off, sz, m, w)                           \
	{                                                   \
#name, off, sz, 0, m, 0, smmu_read_store, w \
	}

/* Sorted by offset (reg_access contract). */
static const struct reg_desc smmu_regs[] = {
	RO(IDR0, SMMU_IDR0, 4),
	RO(IDR1, SMMU_IDR1, 4),
	RO(IDR2, SMMU_IDR2, 4),
	RO(IDR3, SMMU_IDR3, 4),
	RO(IDR4, SMMU_IDR4, 4),
	RO(IDR5, SMMU_IDR5, 4),
	RO(IIDR, SMMU_IIDR, 4),
	RO(AIDR, SMMU_AIDR, 4),
	HOOK(CR0, SMMU_CR0, 4, SMMU_CR0_WMASK, smmu_write_acked),
	RO(CR0ACK, SMMU_CR0ACK, 4),
	RW(CR1, SMMU_CR1, 4, SMMU_CR1_WMASK),
	RW(CR2, SMMU_CR2, 4, SMMU_CR2_WMASK),
	RO(STATUSR, SMMU_STATUSR, 4),
	HOOK(GBPA, SMMU_GBPA, 4, SMMU_GBPA_WMASK, smmu_write_gbpa),
	RO(AGBPA, SMMU_AGBPA, 4),
	HOOK(IRQ_CTRL, SMMU_IRQ_CTRL, 4, SMMU_IRQ_CTRL_WMASK, smmu_write_acked),
	RO(IRQ_CTRLACK, SMMU_IRQ_CTRLACK, 4),
	RO(GERROR, SMMU_GERROR, 4),
	HOOK(GERRORN, SMMU_GERRORN, 4, SMMU_GERROR_ERRORS, smmu_write_gerrorn),
	RW(GERROR_IRQ_CFG0, SMMU_GERROR_IRQ_CFG0, 8,
	   CMDQV_FIELD_MASK(SMMU_IRQ_CFG0_ADDR)),
	RW(GERROR_IRQ_CFG1, SMMU_GERROR_IRQ_CFG1, 4, 0xFFFFFFFFull),
	RW(GERROR_IRQ_CFG2, SMMU_GERROR_IRQ_CFG2, 4, SMMU_IRQ_CFG2_WMASK),
	RW(STRTAB_BASE, SMMU_STRTAB_BASE, 8, SMMU_STRTAB_BASE_WMASK),
	RW(STRTAB_BASE_CFG, SMMU_STRTAB_BASE_CFG, 4,
	   SMMU_STRTAB_BASE_CFG_WMASK),
	HOOK(CMDQ_BASE, SMMU_CMDQ_BASE, 8, SMMU_Q_BASE_WMASK,
	     smmu_write_cmdq_base),
	{ "CMDQ_PROD", SMMU_CMDQ_PROD, 4, 0,
	  CMDQV_FIELD_MASK(SMMU_CMDQ_PROD_WR), 0, smmu_read_cmdq_prod,
	  smmu_write_cmdq_prod },
	{ "CMDQ_CONS", SMMU_CMDQ_CONS, 4, 0,
	  CMDQV_FIELD_MASK(SMMU_CMDQ_PROD_WR), 0, smmu_read_cmdq_cons,
	  smmu_write_cmdq_cons },
	SMMU_QUEUE_REGS(EVTQ),
	SMMU_QUEUE_REGS(PRIQ),
};

#define SMMU_NREGS (sizeof(smmu_regs) / sizeof(smmu_regs[0]))

/*
 * Page 1 (offsets relative to SMMU_PAGE1): the same EVTQ/PRIQ PROD/CONS
 * registers as page 0 (IHI 0070 6.3; arm-smmu-v3.h: "only EVTQ/PRIQ PROD/CONS
 * live in page 1"); the CMDQ has no page-1 registers.  Holes are RAZ/WI.
 */
static const struct reg_desc smmu_regs_page1[] = {
	RW(EVTQ_PROD, SMMU_EVTQ_PROD, 4, SMMU_Q_IDX_WMASK),
	RW(EVTQ_CONS, SMMU_EVTQ_CONS, 4, SMMU_Q_IDX_WMASK),
	RW(PRIQ_PROD, SMMU_PRIQ_PROD, 4, SMMU_Q_IDX_WMASK),
	RW(PRIQ_CONS, SMMU_PRIQ_CONS, 4, SMMU_Q_IDX_WMASK),
};

#define SMMU_NREGS_PAGE1 (sizeof(smmu_regs_page1) / sizeof(smmu_regs_page1[0]))

/* ---- IDRs from the platform config (IHI 0070 6.3; arm-smmu-v3.h; QEMU 7.2
 * hw/arm/smmuv3.c: smmuv3_init_regs()) ---- */

/* IDR5.OAS encoding of an output address size in bits. */
static unsigned smmu_oas_enc(unsigned bits)
{
	static const unsigned sizes[] = { 32, 36, 40, 42, 44, 48, 52 };
	unsigned enc = 0;

	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (bits >= sizes[i])
			enc = i;
	return enc;
}

static void smmu_init_idrs(struct smmu *s)
{
	const struct cmdqv_config *c = model_cfg(s->m);
	uint64_t v = 0;

	v = CMDQV_FIELD_DP(v, SMMU_IDR0_S2P, c->s2p);
	v = CMDQV_FIELD_DP(v, SMMU_IDR0_S1P, c->s1p);
	v = CMDQV_FIELD_DP(v, SMMU_IDR0_TTF, 2); /* AArch64 tables only */
	v = CMDQV_FIELD_DP(v, SMMU_IDR0_COHACC, c->coherent);
	v = CMDQV_FIELD_DP(v, SMMU_IDR0_HYP, c->hyp);
	v = CMDQV_FIELD_DP(v, SMMU_IDR0_ATS, c->ats);
	v = CMDQV_FIELD_DP(v, SMMU_IDR0_ASID16, c->asid16);
	v = CMDQV_FIELD_DP(v, SMMU_IDR0_MSI, c->msi);
	v = CMDQV_FIELD_DP(v, SMMU_IDR0_SEV, c->sev);
	v = CMDQV_FIELD_DP(v, SMMU_IDR0_PRI, c->pri);
	v = CMDQV_FIELD_DP(v, SMMU_IDR0_VMID16, c->vmid16);
	v = CMDQV_FIELD_DP(
		v, SMMU_IDR0_CD2L,
		c->s1p); /* 2-level CD tables with stage 1 (assumed) */
	v = CMDQV_FIELD_DP(v, SMMU_IDR0_TTENDIAN, 2); /* little-endian walks */
	/* STALL_MODEL 0b01 = stall not supported; 0b00 = stall and terminate. */
	v = CMDQV_FIELD_DP(v, SMMU_IDR0_STALL_MODEL, c->stall ? 0 : 1);
	/* as QEMU 7.2 (QEMU 7.2 hw/arm/smmuv3.c: smmuv3_init_regs()) */
	v = CMDQV_FIELD_DP(v, SMMU_IDR0_TERM_MODEL, 1);
	v = CMDQV_FIELD_DP(v, SMMU_IDR0_ST_LEVEL, 1); /* 2-level stream table */
	smmu_set_word(s, SMMU_IDR0, v);

	v = 0;
	v = CMDQV_FIELD_DP(v, SMMU_IDR1_SIDSIZE, c->sidsize);
	v = CMDQV_FIELD_DP(v, SMMU_IDR1_SSIDSIZE, c->ssidsize);
	v = CMDQV_FIELD_DP(v, SMMU_IDR1_PRIQS, c->pri ? c->eventqs : 0);
	v = CMDQV_FIELD_DP(v, SMMU_IDR1_EVTQS, c->eventqs);
	v = CMDQV_FIELD_DP(v, SMMU_IDR1_CMDQS, c->cmdqs);
	smmu_set_word(s, SMMU_IDR1, v);

	smmu_set_word(s, SMMU_IDR3,
		      CMDQV_FIELD_DP(UINT64_C(0), SMMU_IDR3_RIL, c->ril));

	v = 0;
	v = CMDQV_FIELD_DP(v, SMMU_IDR5_OAS, smmu_oas_enc(c->oas));
	v = CMDQV_FIELD_DP(v, SMMU_IDR5_GRAN4K, 1);
	v = CMDQV_FIELD_DP(v, SMMU_IDR5_GRAN16K, 1);
	v = CMDQV_FIELD_DP(v, SMMU_IDR5_GRAN64K, 1);
	smmu_set_word(s, SMMU_IDR5, v);

	smmu_set_word(s, SMMU_IIDR, c->iidr);
	smmu_set_word(s, SMMU_AIDR,
		      CMDQV_FIELD_DP(UINT64_C(0), SMMU_AIDR_MINOR,
				     SMMU_AIDR_V3_2));
}

/* ---- block interface (internal.h) ---- */

static void smmu_cmdq_error(struct cmdq_queue *q, uint8_t code)
{
	(void)code; /* CONS.ERR already holds it (cmdq.c) */
	smmu_gerror_raise(q->owner, CMDQV_FIELD_LSB(SMMU_GERROR_CMDQ_ERR));
}

static const struct cmdq_owner_ops smmu_cmdq_ops = {
	.error = smmu_cmdq_error,
	.filter = NULL,
	.can_run = NULL,
};

/* SMMUEN as acknowledged in CR0ACK (IHI 0070 6.3.9.6). */
static bool smmu_engine_enabled(void *ctx)
{
	const struct smmu *s = ctx;

	return CMDQV_FIELD_EX(smmu_word(s, SMMU_CR0ACK), SMMU_CR0_SMMUEN);
}

static void smmu_engine_msi_abort(void *ctx)
{
	smmu_gerror_raise(ctx, CMDQV_FIELD_LSB(SMMU_GERROR_MSI_CMDQ_ABT_ERR));
}

/* The engine is part of this SMMU: it asks SMMU-wide state through these. */
static const struct cmdq_engine_ops smmu_engine_ops = {
	.smmu_enabled = smmu_engine_enabled,
	.msi_abort = smmu_engine_msi_abort,
};

/* Registers to their reset values and IDRs from the config, as at create. */
static void smmu_reset_regs(struct smmu *s)
{
	memset(s->w, 0, sizeof(s->w));
	s->cr0_inflight = s->irq_inflight = 0;
	s->armed = 0;
	for (size_t i = 0; i < SMMU_NREGS; i++)
		if (smmu_regs[i].reset)
			smmu_write_store(s, 0, &smmu_regs[i],
					 smmu_regs[i].reset);
	smmu_init_idrs(s);
}

int smmu_create(struct cmdqv_model *m, struct smmu **out)
{
	struct sim_kernel *k = model_kernel(m);
	struct smmu *s;
	int rc;

	s = calloc(1, sizeof(*s));
	if (!s)
		return CMDQV_ENOMEM;
	s->m = m;
	smmu_reset_regs(s);
	if (sim_event_register(k, &s->cr0_ev, smmu_cr0_ack, s) ||
	    sim_event_register(k, &s->irq_ev, smmu_irq_ack, s) ||
	    sim_event_register(k, &s->gbpa_ev, smmu_gbpa_done, s) ||
	    sim_event_register(k, &s->msi_ev, smmu_msi_fire, s)) {
		free(s);
		return CMDQV_ENOMEM;
	}
	rc = cmdq_queue_init(m, &s->cmdq, CMDQV_QUEUE_SMMU, "SMMU CMDQ",
			     &smmu_cmdq_ops, s);
	if (rc != CMDQV_OK) {
		free(s);
		return rc;
	}
	cmdq_engine_set_ops(model_engine(m), &smmu_engine_ops, s);
	*out = s;
	return CMDQV_OK;
}

void smmu_state_walk(struct smmu *s, model_mem_fn fn, void *ctx)
{
	fn(ctx, s, sizeof(*s)); /* its CMDQ's buffers: the engine's walk */
}

void smmu_reset(struct smmu *s)
{
	smmu_reset_regs(s);
}

void smmu_destroy(struct smmu *s)
{
	if (!s)
		return;
	cmdq_queue_deinit(&s->cmdq);
	free(s);
}

int smmu_access(struct smmu *s, uint64_t off, unsigned size, bool is_write,
		uint64_t *val)
{
	if (off & SMMU_PAGE1)
		return reg_access(smmu_regs_page1, SMMU_NREGS_PAGE1, s, 0,
				  (uint32_t)(off & (SMMU_PAGE_SIZE - 1)), size,
				  is_write, val);
	return reg_access(smmu_regs, SMMU_NREGS, s, 0,
			  (uint32_t)(off & (SMMU_PAGE_SIZE - 1)), size,
			  is_write, val);
}

struct cmdq_queue *smmu_cmdq(struct smmu *s)
{
	return &s->cmdq;
}

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

#include "bits.h"
#include "cmdqv_sim/status.h"
#include "internal.h"

/* ---- register offsets and fields (IHI 0070 6.3; arm-smmu-v3.h) ---- */
#define A_IDR0 0x000
#define IDR0_S2P 0, 1
#define IDR0_S1P 1, 1
#define IDR0_TTF 2, 2
#define IDR0_COHACC 4, 1
#define IDR0_HYP 9, 1
#define IDR0_ATS 10, 1
#define IDR0_ASID16 12, 1
#define IDR0_MSI 13, 1
#define IDR0_SEV 14, 1
#define IDR0_PRI 16, 1
#define IDR0_VMID16 18, 1
#define IDR0_CD2L 19, 1
#define IDR0_TTENDIAN 21, 2
#define IDR0_STALL_MODEL 24, 2
#define IDR0_TERM_MODEL 26, 1
#define IDR0_ST_LEVEL 27, 2
#define A_IDR1 0x004
#define IDR1_SIDSIZE 0, 6
#define IDR1_SSIDSIZE 6, 5
#define IDR1_PRIQS 11, 5
#define IDR1_EVTQS 16, 5
#define IDR1_CMDQS 21, 5
#define A_IDR2 0x008
#define A_IDR3 0x00C
#define IDR3_RIL 10, 1
#define A_IDR4 0x010
#define A_IDR5 0x014
#define IDR5_OAS 0, 3
#define IDR5_GRAN4K 4, 1
#define IDR5_GRAN16K 5, 1
#define IDR5_GRAN64K 6, 1
#define IDR5_STALL_MAX 16, 16
#define A_IIDR 0x018
#define A_AIDR 0x01C
#define AIDR_MINOR 0, 4
#define AIDR_MAJOR 4, 4
#define A_CR0 0x020
#define CR0_SMMUEN 0, 1
#define CR0_PRIQEN 1, 1
#define CR0_EVTQEN 2, 1
#define CR0_CMDQEN 3, 1
#define CR0_ATSCHK 4, 1
#define CR0_VMW 6, 3
#define A_CR0ACK 0x024
#define A_CR1 0x028
#define A_CR2 0x02C
#define A_STATUSR 0x040
#define A_GBPA 0x044
#define GBPA_FIELDS 0, 21 /* MemAttr .. ABORT [20:0] */
#define GBPA_UPDATE 31, 1
#define A_AGBPA 0x048
#define A_IRQ_CTRL 0x050
#define IRQ_CTRL_GERROR_IRQEN 0, 1
#define IRQ_CTRL_PRIQ_IRQEN 1, 1
#define IRQ_CTRL_EVTQ_IRQEN 2, 1
#define A_IRQ_CTRLACK 0x054
#define A_GERROR 0x060
#define GERROR_ERRORS 0, 9 /* [8:0], bit 1 reserved: Linux mask 0x1FD */
#define A_GERRORN 0x064
#define A_GERROR_IRQ_CFG0 0x068
#define IRQ_CFG0_ADDR 2, 50 /* [51:2] */
#define A_GERROR_IRQ_CFG1 0x070
#define A_GERROR_IRQ_CFG2 0x074
#define A_STRTAB_BASE 0x080
#define A_STRTAB_BASE_CFG 0x088
#define A_CMDQ_BASE 0x090
#define Q_BASE_LOG2SIZE 0, 5
#define Q_BASE_ADDR 5, 47 /* [51:5] */
#define Q_BASE_RA 62, 1
#define A_CMDQ_PROD 0x098
#define A_CMDQ_CONS 0x09C
/* index + wrap, at most 20 bits (IHI 0070 6.3.26, 6.3.28) */
#define CMDQ_CONS_RD 0, 20
#define CMDQ_CONS_ERR 24, 7
#define A_EVTQ_BASE 0x0A0
#define A_EVTQ_PROD 0x0A8
#define A_EVTQ_CONS 0x0AC
#define A_EVTQ_IRQ_CFG0 0x0B0
#define A_EVTQ_IRQ_CFG1 0x0B8
#define A_EVTQ_IRQ_CFG2 0x0BC
#define A_PRIQ_BASE 0x0C0
#define A_PRIQ_PROD 0x0C8
#define A_PRIQ_CONS 0x0CC
#define A_PRIQ_IRQ_CFG0 0x0D0
#define A_PRIQ_IRQ_CFG1 0x0D8
#define A_PRIQ_IRQ_CFG2 0x0DC

/* Writable masks of the stored registers. */
#define M_CR0 0x1DFull /* SMMUEN..ATSCHK, VMW [8:6] */
#define M_CR1 0xFFFull /* TABLE_* / QUEUE_* [11:0] */
#define M_CR2 0x7ull /* PTM, RECINVSID, E2H */
#define M_GBPA 0x801FFFFFull /* UPDATE, ABORT .. MemAttr */
#define M_IRQ_CTRL 0x7ull
#define M_GERRORN 0x1FDull /* Linux ARM_SMMU_GERROR_ERR_MASK */
#define M_IRQ_CFG0 0x000FFFFFFFFFFFFCull /* ADDR [51:2] */
#define M_IRQ_CFG2 0x3Full /* SH [5:4], MEMATTR [3:0] */
#define M_STRTAB 0x400FFFFFFFFFFFC0ull /* RA [62], ADDR [51:6] */
#define M_STRTAB_CFG 0x000307FFull /* FMT, SPLIT, LOG2SIZE */
#define M_Q_BASE \
	0x400FFFFFFFFFFFFFull /* RA/WA [62], ADDR [51:5], LOG2SIZE [4:0] */
#define M_Q_INDEX 0x800FFFFFull /* EVTQ/PRIQ: OVFLG [31], index+wrap [19:0] */
#define M_CMDQ_IDX 0x000FFFFFull /* CMDQ PROD/CONS: index+wrap [19:0] */

#define SMMU_PAGE_MASK 0xFFFFu /* offset within a 64 KiB page */
#define SMMU_PAGE1 0x10000u /* page 1 base (IHI 0070 6.3; arm-smmu-v3.h) */
#define SMMU_NWORDS (0x100 / 4)
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
	return (uint32_t)(smmu_word(s, A_GERROR) ^ smmu_word(s, A_GERRORN));
}

static void smmu_update_gerror_irq(struct smmu *s)
{
	s->armed &= smmu_gerror_active(s);
	model_irq_set(s->m, CMDQV_IRQ_GERROR, s->armed != 0);
}

void smmu_gerror_raise(struct smmu *s, unsigned bit)
{
	const struct cmdqv_config *cfg = model_cfg(s->m);
	uint32_t mask = UINT32_C(1) << bit;
	bool irqen =
		FIELD_EX(smmu_word(s, A_IRQ_CTRLACK), IRQ_CTRL_GERROR_IRQEN);
	uint64_t cfg0;

	/* Toggled only when inactive; repeats are not logged (IHI 0070 6.3.19,
	 * 6.3.20). */
	if (smmu_gerror_active(s) & mask)
		return;
	smmu_set_word(s, A_GERROR, smmu_word(s, A_GERROR) ^ mask);
	/* MSI_GERROR_ABT_ERR never raises the GERROR interrupt (IHI 0070
	 * 6.3.19, 6.3.20). */
	if (!irqen || bit == SMMU_GERROR_MSI_GERROR_ABT_BIT) {
		smmu_update_gerror_irq(s);
		return;
	}
	s->armed |= mask;
	smmu_update_gerror_irq(s);
	/* MSI when MSIs exist and CFG0.ADDR != 0, in addition to the wired
         * level (IHI 0070 6.3.19, 6.3.20 "and/or"). */
	cfg0 = smmu_word(s, A_GERROR_IRQ_CFG0) |
	       smmu_word(s, A_GERROR_IRQ_CFG0 + 4) << 32;
	if (cfg->msi && FIELD_EX(cfg0, IRQ_CFG0_ADDR) != 0 &&
	    !sim_event_pending(&s->msi_ev))
		sim_schedule_in(model_kernel(s->m), &s->msi_ev,
				cfg->msi_latency);
}

static void smmu_msi_fire(struct sim_kernel *k, struct sim_event *ev)
{
	struct smmu *s = ev->arg;
	uint64_t cfg0 = smmu_word(s, A_GERROR_IRQ_CFG0) |
			smmu_word(s, A_GERROR_IRQ_CFG0 + 4) << 32;
	uint32_t data = (uint32_t)smmu_word(s, A_GERROR_IRQ_CFG1);

	(void)k;
	model_stats(s->m)->msi_writes++;
	if (model_dma_write(s->m, cfg0 & FIELD_MASK(IRQ_CFG0_ADDR), &data,
			    sizeof(data)) != 0)
		smmu_gerror_raise(s, SMMU_GERROR_MSI_GERROR_ABT_BIT);
}

/* ---- CR0 / CR0ACK, IRQ_CTRL / IRQ_CTRLACK (IHI 0070 6.3.9, 6.3.10) ---- */

static void smmu_cr0_ack(struct sim_kernel *k, struct sim_event *ev)
{
	struct smmu *s = ev->arg;
	uint32_t old = (uint32_t)smmu_word(s, A_CR0ACK), now = s->cr0_inflight;

	if (FIELD_EX(old, CR0_CMDQEN) && !FIELD_EX(now, CR0_CMDQEN)) {
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
	smmu_set_word(s, A_CR0ACK, now);
	if (!FIELD_EX(old, CR0_CMDQEN) && FIELD_EX(now, CR0_CMDQEN))
		cmdq_set_enabled(&s->cmdq, true);
	/* A second write made while the first update was in progress is
         * applied after it (IHI 0070 6.3.9, 6.3.10 leaves this CU; both in
         * order is one of the permitted outcomes for v3.1 and harmless for v3.2
         * software). */
	if (smmu_word(s, A_CR0) != now) {
		s->cr0_inflight = (uint32_t)smmu_word(s, A_CR0);
		sim_schedule_in(k, ev,
				model_cycles(s->m,
					     model_cfg(s->m)->cr0ack_cycles));
	}
}

static void smmu_write_cr0(void *obj, unsigned idx, const struct reg_desc *r,
			   uint64_t v)
{
	struct smmu *s = obj;

	(void)idx;
	smmu_set_word(s, r->offset, v);
	if (!sim_event_pending(&s->cr0_ev)) {
		s->cr0_inflight = (uint32_t)v;
		sim_schedule_in(model_kernel(s->m), &s->cr0_ev,
				model_cycles(s->m,
					     model_cfg(s->m)->cr0ack_cycles));
	}
}

static void smmu_irq_ack(struct sim_kernel *k, struct sim_event *ev)
{
	struct smmu *s = ev->arg;

	smmu_set_word(s, A_IRQ_CTRLACK, s->irq_inflight);
	/* Errors activated before the enable never interrupt (IHI 0070 6.3.19,
	 * 6.3.20), so
         * enabling arms nothing; disabling drops the armed set. */
	if (!FIELD_EX(s->irq_inflight, IRQ_CTRL_GERROR_IRQEN)) {
		s->armed = 0;
		smmu_update_gerror_irq(s);
	}
	if (smmu_word(s, A_IRQ_CTRL) != s->irq_inflight) {
		s->irq_inflight = (uint32_t)smmu_word(s, A_IRQ_CTRL);
		sim_schedule_in(k, ev,
				model_cycles(s->m,
					     model_cfg(s->m)->cr0ack_cycles));
	}
}

static void smmu_write_irq_ctrl(void *obj, unsigned idx,
				const struct reg_desc *r, uint64_t v)
{
	struct smmu *s = obj;

	(void)idx;
	smmu_set_word(s, r->offset, v);
	if (!sim_event_pending(&s->irq_ev)) {
		s->irq_inflight = (uint32_t)v;
		sim_schedule_in(model_kernel(s->m), &s->irq_ev,
				model_cycles(s->m,
					     model_cfg(s->m)->cr0ack_cycles));
	}
}

/* ---- GBPA: fields change only with UPDATE=1, which self-clears ---- */

static void smmu_gbpa_done(struct sim_kernel *k, struct sim_event *ev)
{
	struct smmu *s = ev->arg;

	(void)k;
	smmu_set_word(s, A_GBPA,
		      FIELD_DP(smmu_word(s, A_GBPA), GBPA_UPDATE, 0));
}

static void smmu_write_gbpa(void *obj, unsigned idx, const struct reg_desc *r,
			    uint64_t v)
{
	struct smmu *s = obj;

	(void)idx;
	/* A write without UPDATE, or while an update is in progress, leaves
         * the register alone (Linux always writes UPDATE=1 and polls it). */
	if (!FIELD_EX(v, GBPA_UPDATE) || sim_event_pending(&s->gbpa_ev))
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
	if ((was & (1u << SMMU_GERROR_CMDQ_ERR_BIT)) &&
	    !(smmu_gerror_active(s) & (1u << SMMU_GERROR_CMDQ_ERR_BIT)))
		cmdq_resume(&s->cmdq);
}

/* ---- CMDQ registers (IHI 0070 6.3.26-6.3.28) ---- */

/* BASE and CONS are RW only while CR0.CMDQEN == 0 and CR0ACK.CMDQEN == 0;
 * SMMUv3.2 ignores writes otherwise (IHI 0070 6.3.26-6.3.28). */
static bool smmu_cmdq_guard_open(const struct smmu *s)
{
	return !FIELD_EX(smmu_word(s, A_CR0), CR0_CMDQEN) &&
	       !FIELD_EX(smmu_word(s, A_CR0ACK), CR0_CMDQEN);
}

static void smmu_write_cmdq_base(void *obj, unsigned idx,
				 const struct reg_desc *r, uint64_t v)
{
	struct smmu *s = obj;
	unsigned log2size = (unsigned)FIELD_EX(v, Q_BASE_LOG2SIZE);
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
	v = FIELD_DP(v, Q_BASE_LOG2SIZE, log2size);
	smmu_set_word(s, r->offset, v);
	smmu_set_word(s, r->offset + 4, v >> 32);
	bytes = (uint64_t)16 << log2size;
	if (bytes < 32)
		bytes = 32;
	addr = (v & FIELD_MASK(Q_BASE_ADDR)) & ~(bytes - 1);
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
	cmdq_set_cons(&s->cmdq, (uint32_t)FIELD_EX(v, CMDQ_CONS_RD) &
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
#define HOOK(name, off, sz, m, w)                           \
	{                                                   \
#name, off, sz, 0, m, 0, smmu_read_store, w \
	}

/* Sorted by offset (reg_access contract). */
static const struct reg_desc smmu_regs[] = {
	RO(IDR0, A_IDR0, 4),
	RO(IDR1, A_IDR1, 4),
	RO(IDR2, A_IDR2, 4),
	RO(IDR3, A_IDR3, 4),
	RO(IDR4, A_IDR4, 4),
	RO(IDR5, A_IDR5, 4),
	RO(IIDR, A_IIDR, 4),
	RO(AIDR, A_AIDR, 4),
	HOOK(CR0, A_CR0, 4, M_CR0, smmu_write_cr0),
	RO(CR0ACK, A_CR0ACK, 4),
	RW(CR1, A_CR1, 4, M_CR1),
	RW(CR2, A_CR2, 4, M_CR2),
	RO(STATUSR, A_STATUSR, 4),
	HOOK(GBPA, A_GBPA, 4, M_GBPA, smmu_write_gbpa),
	RO(AGBPA, A_AGBPA, 4),
	HOOK(IRQ_CTRL, A_IRQ_CTRL, 4, M_IRQ_CTRL, smmu_write_irq_ctrl),
	RO(IRQ_CTRLACK, A_IRQ_CTRLACK, 4),
	RO(GERROR, A_GERROR, 4),
	HOOK(GERRORN, A_GERRORN, 4, M_GERRORN, smmu_write_gerrorn),
	RW(GERROR_IRQ_CFG0, A_GERROR_IRQ_CFG0, 8, M_IRQ_CFG0),
	RW(GERROR_IRQ_CFG1, A_GERROR_IRQ_CFG1, 4, 0xFFFFFFFFull),
	RW(GERROR_IRQ_CFG2, A_GERROR_IRQ_CFG2, 4, M_IRQ_CFG2),
	RW(STRTAB_BASE, A_STRTAB_BASE, 8, M_STRTAB),
	RW(STRTAB_BASE_CFG, A_STRTAB_BASE_CFG, 4, M_STRTAB_CFG),
	HOOK(CMDQ_BASE, A_CMDQ_BASE, 8, M_Q_BASE, smmu_write_cmdq_base),
	{ "CMDQ_PROD", A_CMDQ_PROD, 4, 0, M_CMDQ_IDX, 0, smmu_read_cmdq_prod,
	  smmu_write_cmdq_prod },
	{ "CMDQ_CONS", A_CMDQ_CONS, 4, 0, M_CMDQ_IDX, 0, smmu_read_cmdq_cons,
	  smmu_write_cmdq_cons },
	RW(EVTQ_BASE, A_EVTQ_BASE, 8, M_Q_BASE),
	RW(EVTQ_PROD, A_EVTQ_PROD, 4, M_Q_INDEX),
	RW(EVTQ_CONS, A_EVTQ_CONS, 4, M_Q_INDEX),
	RW(EVTQ_IRQ_CFG0, A_EVTQ_IRQ_CFG0, 8, M_IRQ_CFG0),
	RW(EVTQ_IRQ_CFG1, A_EVTQ_IRQ_CFG1, 4, 0xFFFFFFFFull),
	RW(EVTQ_IRQ_CFG2, A_EVTQ_IRQ_CFG2, 4, M_IRQ_CFG2),
	RW(PRIQ_BASE, A_PRIQ_BASE, 8, M_Q_BASE),
	RW(PRIQ_PROD, A_PRIQ_PROD, 4, M_Q_INDEX),
	RW(PRIQ_CONS, A_PRIQ_CONS, 4, M_Q_INDEX),
	RW(PRIQ_IRQ_CFG0, A_PRIQ_IRQ_CFG0, 8, M_IRQ_CFG0),
	RW(PRIQ_IRQ_CFG1, A_PRIQ_IRQ_CFG1, 4, 0xFFFFFFFFull),
	RW(PRIQ_IRQ_CFG2, A_PRIQ_IRQ_CFG2, 4, M_IRQ_CFG2),
};

#define SMMU_NREGS (sizeof(smmu_regs) / sizeof(smmu_regs[0]))

/*
 * Page 1 (offsets relative to SMMU_PAGE1): the same EVTQ/PRIQ PROD/CONS
 * registers as page 0 (IHI 0070 6.3; arm-smmu-v3.h: "only EVTQ/PRIQ PROD/CONS
 * live in page 1"); the CMDQ has no page-1 registers.  Holes are RAZ/WI.
 */
static const struct reg_desc smmu_regs_page1[] = {
	RW(EVTQ_PROD, A_EVTQ_PROD, 4, M_Q_INDEX),
	RW(EVTQ_CONS, A_EVTQ_CONS, 4, M_Q_INDEX),
	RW(PRIQ_PROD, A_PRIQ_PROD, 4, M_Q_INDEX),
	RW(PRIQ_CONS, A_PRIQ_CONS, 4, M_Q_INDEX),
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

	v = FIELD_DP(v, IDR0_S2P, c->s2p);
	v = FIELD_DP(v, IDR0_S1P, c->s1p);
	v = FIELD_DP(v, IDR0_TTF, 2); /* AArch64 tables only */
	v = FIELD_DP(v, IDR0_COHACC, c->coherent);
	v = FIELD_DP(v, IDR0_HYP, c->hyp);
	v = FIELD_DP(v, IDR0_ATS, c->ats);
	v = FIELD_DP(v, IDR0_ASID16, c->asid16);
	v = FIELD_DP(v, IDR0_MSI, c->msi);
	v = FIELD_DP(v, IDR0_SEV, c->sev);
	v = FIELD_DP(v, IDR0_PRI, c->pri);
	v = FIELD_DP(v, IDR0_VMID16, c->vmid16);
	v = FIELD_DP(v, IDR0_CD2L,
		     c->s1p); /* 2-level CD tables with stage 1 (assumed) */
	v = FIELD_DP(v, IDR0_TTENDIAN, 2); /* little-endian walks */
	/* STALL_MODEL 0b01 = stall not supported; 0b00 = stall and terminate. */
	v = FIELD_DP(v, IDR0_STALL_MODEL, c->stall ? 0 : 1);
	/* as QEMU 7.2 (QEMU 7.2 hw/arm/smmuv3.c: smmuv3_init_regs()) */
	v = FIELD_DP(v, IDR0_TERM_MODEL, 1);
	v = FIELD_DP(v, IDR0_ST_LEVEL, 1); /* 2-level stream table */
	smmu_set_word(s, A_IDR0, v);

	v = 0;
	v = FIELD_DP(v, IDR1_SIDSIZE, c->sidsize);
	v = FIELD_DP(v, IDR1_SSIDSIZE, c->ssidsize);
	v = FIELD_DP(v, IDR1_PRIQS, c->pri ? c->eventqs : 0);
	v = FIELD_DP(v, IDR1_EVTQS, c->eventqs);
	v = FIELD_DP(v, IDR1_CMDQS, c->cmdqs);
	smmu_set_word(s, A_IDR1, v);

	smmu_set_word(s, A_IDR3, FIELD_DP(UINT64_C(0), IDR3_RIL, c->ril));

	v = 0;
	v = FIELD_DP(v, IDR5_OAS, smmu_oas_enc(c->oas));
	v = FIELD_DP(v, IDR5_GRAN4K, 1);
	v = FIELD_DP(v, IDR5_GRAN16K, 1);
	v = FIELD_DP(v, IDR5_GRAN64K, 1);
	smmu_set_word(s, A_IDR5, v);

	smmu_set_word(s, A_IIDR, c->iidr);
	smmu_set_word(s, A_AIDR,
		      FIELD_DP(UINT64_C(0), AIDR_MINOR, SMMU_AIDR_V3_2));
}

/* ---- block interface (internal.h) ---- */

static void smmu_cmdq_error(struct cmdq_queue *q, uint8_t code)
{
	(void)code; /* CONS.ERR already holds it (cmdq.c) */
	smmu_gerror_raise(q->owner, SMMU_GERROR_CMDQ_ERR_BIT);
}

static const struct cmdq_owner_ops smmu_cmdq_ops = {
	.error = smmu_cmdq_error,
	.filter = NULL,
	.can_run = NULL,
};

int smmu_create(struct cmdqv_model *m, struct smmu **out)
{
	struct sim_kernel *k = model_kernel(m);
	struct smmu *s;
	int rc;

	s = calloc(1, sizeof(*s));
	if (!s)
		return CMDQV_ENOMEM;
	s->m = m;
	for (size_t i = 0; i < SMMU_NREGS; i++)
		if (smmu_regs[i].reset)
			smmu_write_store(s, 0, &smmu_regs[i],
					 smmu_regs[i].reset);
	smmu_init_idrs(s);
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
	*out = s;
	return CMDQV_OK;
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
				  (uint32_t)(off & SMMU_PAGE_MASK), size,
				  is_write, val);
	return reg_access(smmu_regs, SMMU_NREGS, s, 0,
			  (uint32_t)(off & SMMU_PAGE_MASK), size, is_write,
			  val);
}

struct cmdq_queue *smmu_cmdq(struct smmu *s)
{
	return &s->cmdq;
}

bool smmu_enabled(const struct smmu *s)
{
	return FIELD_EX(smmu_word(s, A_CR0ACK), CR0_SMMUEN);
}

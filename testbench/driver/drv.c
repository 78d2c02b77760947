/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * drv.c - the reference driver: SMMU probe and reset, command submission
 * and completion polling, GERROR recovery (Linux arm-smmu-v3 as described
 * in IHI 0070 6.3, 3.5, 4.7.3, 3.5.6.1, 7.1; arm-smmu-v3.h; arm-smmu-v3.c:
 * arm_smmu_cmdq_build_sync_cmd()).  The CMDQ-V parts are in drv_cmdqv.c.
 * Everything goes through struct hal_ops: the code does not know whether it
 * runs natively or on the SystemC platform.
 */
#include "drv.h"

#include <stdio.h>
#include <string.h>

#include "drv_int.h"
#include "drv_regs.h"
#include "tb_linux_cmds.h"
#include "tb_util.h" /* tb_cmd_store_le */

void drv_opts_defaults(struct drv_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->poll_timeout = SIM_MS(
		1000); /* ARM_SMMU_POLL_TIMEOUT_US (arm-smmu-v3.c: queue_poll()) */
	/* queue_poll: udelay(1) doubling (arm-smmu-v3.c) */
	o->poll_udelay = SIM_US(1);
	/* cpu_relax() spins before udelay (arm-smmu-v3.c: queue_poll()) */
	o->relax_polls = 9;
	o->relax_cost = SIM_NS(10); /* assumed cost of one cpu_relax() */
	o->ack_poll = SIM_US(
		1); /* CR0ACK/STATUS poll (tegra241-cmdqv.c: tegra241_cmdqv_write_config()) */
	o->cmdq_max_log2 = 16; /* Q_MAX_SZ_SHIFT - 4 with CMA (IHI 0070 3.5) */
	o->bypass_vcmdq = false;
}

/* ---- register helpers ---- */

uint32_t drv_rd32(struct drv *d, enum cmdqv_space sp, uint64_t off)
{
	return d->hal->read32(d->ctx, sp, off);
}

uint64_t drv_rd64(struct drv *d, enum cmdqv_space sp, uint64_t off)
{
	return d->hal->read64(d->ctx, sp, off);
}

void drv_wr32(struct drv *d, enum cmdqv_space sp, uint64_t off, uint32_t v)
{
	d->hal->write32(d->ctx, sp, off, v);
}

void drv_wr64(struct drv *d, enum cmdqv_space sp, uint64_t off, uint64_t v)
{
	d->hal->write64(d->ctx, sp, off, v);
}

void drv_log(struct drv *d, const char *msg)
{
	snprintf(d->log, sizeof(d->log), "%s", msg);
}

/*
 * Poll @off until (value & @mask) == @want, every opts.ack_poll, for at
 * most opts.poll_timeout (readl_relaxed_poll_timeout).  0 or -1.
 */
int drv_poll_reg(struct drv *d, enum cmdqv_space sp, uint64_t off,
		 uint32_t mask, uint32_t want)
{
	sim_time_t deadline = d->hal->now(d->ctx) + d->opts.poll_timeout;
	for (;;) {
		if ((drv_rd32(d, sp, off) & mask) == want)
			return 0;
		if (d->hal->now(d->ctx) >= deadline)
			return -1;
		d->hal->delay(d->ctx, d->opts.ack_poll);
	}
}

/* arm_smmu_write_reg_sync: write a CR0-style register and poll its ACK. */
static int write_reg_sync(struct drv *d, uint32_t val, uint64_t reg,
			  uint64_t ack)
{
	drv_wr32(d, CMDQV_SPACE_SMMU, reg, val);
	if (drv_poll_reg(d, CMDQV_SPACE_SMMU, ack, 0xFFFFFFFFu, val)) {
		char m[96];
		snprintf(m, sizeof(m),
			 "SMMU: timeout waiting for ack at 0x%03llx",
			 (unsigned long long)ack);
		drv_log(d, m);
		return -1;
	}
	return 0;
}

/* ---- probe ---- */

int drv_smmu_probe(struct drv *d, const struct hal_ops *hal, void *ctx,
		   const struct drv_opts *opts)
{
	memset(d, 0, sizeof(*d));
	d->hal = hal;
	d->ctx = ctx;
	if (opts)
		d->opts = *opts;
	else
		drv_opts_defaults(&d->opts);

	/* arm_smmu_device_hw_probe (IHI 0070 6.3; arm-smmu-v3.h) */
	d->idr0 = drv_rd32(d, CMDQV_SPACE_SMMU, ARM_SMMU_IDR0);
	d->idr1 = drv_rd32(d, CMDQV_SPACE_SMMU, ARM_SMMU_IDR1);
	d->idr3 = drv_rd32(d, CMDQV_SPACE_SMMU, ARM_SMMU_IDR3);
	d->idr5 = drv_rd32(d, CMDQV_SPACE_SMMU, ARM_SMMU_IDR5);
	d->ats = d->idr0 & IDR0_ATS;
	d->msi = d->idr0 & IDR0_MSI;
	d->sev = d->idr0 & IDR0_SEV;
	d->hyp = d->idr0 & IDR0_HYP;
	d->coherent = d->idr0 & IDR0_COHACC;
	d->ril = d->idr3 & IDR3_RIL;

	/* Queue size: min(IDR1.CMDQS, Q_MAX_SZ_SHIFT - 4) (IHI 0070 3.5). */
	unsigned log2 = (unsigned)DRV_FIELD_GET(IDR1_CMDQS, d->idr1);
	if (log2 > d->opts.cmdq_max_log2)
		log2 = d->opts.cmdq_max_log2;
	if (drv_cmdq_alloc(d, &d->cmdq, log2))
		return -1;
	snprintf(d->cmdq.name, sizeof(d->cmdq.name), "SMMU CMDQ");
	d->cmdq.space = CMDQV_SPACE_SMMU;
	d->cmdq.prod_off = ARM_SMMU_CMDQ_PROD;
	d->cmdq.cons_off = ARM_SMMU_CMDQ_CONS;
	d->cmdq.vcmdq = -1;
	d->cmdq.q_base = Q_BASE_RWA | (d->cmdq.base & Q_BASE_ADDR_MASK) |
			 DRV_FIELD_PREP(Q_BASE_LOG2SIZE, log2);
	d->cmdq.enabled = true;
	return 0;
}

/* Ring memory for @q: naturally aligned to its size (IHI 0070 3.5). */
int drv_cmdq_alloc(struct drv *d, struct drv_cmdq *q, unsigned log2)
{
	uint64_t bytes = 16ull << log2;
	q->ring.log2size = (uint8_t)log2;
	q->base = d->hal->dma_alloc(d->ctx, bytes, bytes);
	q->prod = q->cons = 0;
	if (!q->base) {
		drv_log(d, "cannot allocate a command queue");
		return -1;
	}
	return 0;
}

/* ---- reset (arm-smmu-v3.c: arm_smmu_device_reset()) ---- */

static int issue_one(struct drv *d, uint8_t opcode)
{
	struct cmd c;
	memset(&c, 0, sizeof(c));
	c.opcode = opcode;
	if (opcode == CMDQ_OP_CFGI_STE_RANGE)
		c.range = CMD_CFGI_RANGE_ALL; /* CFGI_ALL */
	return drv_issue_cmdlist(d, &d->cmdq, &c, 1, true);
}

int drv_device_reset(struct drv *d)
{
	uint32_t cr0 = drv_rd32(d, CMDQV_SPACE_SMMU, ARM_SMMU_CR0);

	/* arm_smmu_device_disable if it was left on */
	if (cr0 & CR0_SMMUEN)
		drv_log(d, "SMMU currently enabled! Resetting...");
	if (write_reg_sync(d, 0, ARM_SMMU_CR0, ARM_SMMU_CR0ACK))
		return -1;

	/* Table and queue attributes: inner-shareable write-back. */
	drv_wr32(d, CMDQV_SPACE_SMMU, ARM_SMMU_CR1,
		 (uint32_t)(DRV_FIELD_PREP(CR1_QUEUE_SH, 3) |
			    DRV_FIELD_PREP(CR1_QUEUE_OC, 1) |
			    DRV_FIELD_PREP(CR1_QUEUE_IC, 1)));
	drv_wr32(d, CMDQV_SPACE_SMMU, ARM_SMMU_CR2, 0);

	/* Stream table: a small linear one (its content is not modelled). */
	uint64_t strtab = d->hal->dma_alloc(d->ctx, 64 * 64, 64 * 64);
	drv_wr64(d, CMDQV_SPACE_SMMU, ARM_SMMU_STRTAB_BASE,
		 strtab & DRV_GENMASK(51, 6));
	drv_wr32(d, CMDQV_SPACE_SMMU, ARM_SMMU_STRTAB_BASE_CFG, 6);

	/* Command queue: BASE, PROD=CONS=0, then CMDQEN. */
	drv_wr64(d, CMDQV_SPACE_SMMU, ARM_SMMU_CMDQ_BASE, d->cmdq.q_base);
	drv_wr32(d, CMDQV_SPACE_SMMU, ARM_SMMU_CMDQ_PROD, 0);
	drv_wr32(d, CMDQV_SPACE_SMMU, ARM_SMMU_CMDQ_CONS, 0);
	d->cmdq.prod = d->cmdq.cons = 0;
	cr0 = CR0_CMDQEN;
	if (write_reg_sync(d, cr0, ARM_SMMU_CR0, ARM_SMMU_CR0ACK))
		return -1;

	/* Invalidate any cached configuration and TLB entries. */
	if (issue_one(d, CMDQ_OP_CFGI_STE_RANGE))
		return -1;
	if (d->hyp && issue_one(d, CMDQ_OP_TLBI_EL2_ALL))
		return -1;
	if (issue_one(d, CMDQ_OP_TLBI_NSNH_ALL))
		return -1;

	/* Event queue (not modelled beyond its registers). */
	uint64_t evtq = d->hal->dma_alloc(d->ctx, 32 * 64, 32 * 64);
	drv_wr64(d, CMDQV_SPACE_SMMU, ARM_SMMU_EVTQ_BASE,
		 Q_BASE_RWA | evtq | 6);
	drv_wr32(d, CMDQV_SPACE_SMMU, ARM_SMMU_EVTQ_PROD, 0);
	drv_wr32(d, CMDQV_SPACE_SMMU, ARM_SMMU_EVTQ_CONS, 0);
	cr0 |= CR0_EVTQEN;
	if (write_reg_sync(d, cr0, ARM_SMMU_CR0, ARM_SMMU_CR0ACK))
		return -1;

	/* Interrupts: the wired GERROR line (arm_smmu_setup_irqs). */
	if (write_reg_sync(d, 0, ARM_SMMU_IRQ_CTRL, ARM_SMMU_IRQ_CTRLACK))
		return -1;
	if (write_reg_sync(d, IRQ_CTRL_GERROR_IRQEN, ARM_SMMU_IRQ_CTRL,
			   ARM_SMMU_IRQ_CTRLACK))
		return -1;

	cr0 |= CR0_SMMUEN;
	if (write_reg_sync(d, cr0, ARM_SMMU_CR0, ARM_SMMU_CR0ACK))
		return -1;
	d->cr0 = cr0;

	/* The implementation's own reset (Linux: impl_ops->device_reset). */
	if (d->impl && d->impl->device_reset)
		return d->impl->device_reset(d);
	return 0;
}

/* ---- command submission (IHI 0070 4.7.3; arm-smmu-v3.c:
 * arm_smmu_cmdq_build_sync_cmd(), arm_smmu_cmdq_issue_cmdlist()) ---- */

static void write_entry(struct drv *d, const struct drv_cmdq *q, uint32_t pos,
			const uint64_t dw[2])
{
	uint8_t b[16];
	tb_cmd_store_le(dw, b);
	d->hal->mem_write(d->ctx, ring_entry_addr(q->ring, q->base, pos), b,
			  sizeof(b));
}

void drv_build_sync(const struct drv *d, const struct drv_cmdq *q, uint32_t pos,
		    bool msipoll, uint64_t dw[2])
{
	struct cmd c;
	memset(&c, 0, sizeof(c));
	c.opcode = CMDQ_OP_SYNC;
	if (q->cs_none) {
		c.cs = CMD_SYNC_CS_NONE; /* arm_smmu_cmdq_needs_busy_polling */
	} else if (msipoll) {
		/* MSI-polling trick: the SYNC writes 0 over its own first word. */
		c.cs = CMD_SYNC_CS_IRQ;
		c.msh = 3; /* inner shareable */
		c.msiattr = 0xF; /* Normal iWB/oWB */
		c.msidata = 0;
		c.msiaddr = ring_entry_addr(q->ring, q->base, pos);
	} else {
		c.cs = d->sev ? CMD_SYNC_CS_SEV : CMD_SYNC_CS_NONE;
	}
	cmd_encode(&c, dw);
}

bool drv_supports(const struct drv_cmdq *q, uint8_t opcode)
{
	if (!q->guest_only)
		return true;
	/* tegra241_guest_vcmdq_supports_cmd (docs/cmdqv-reference.md section
	 * 6) */
	return opcode == CMDQ_OP_TLBI_NH_ASID || opcode == CMDQ_OP_TLBI_NH_VA ||
	       opcode == CMDQ_OP_ATC_INV || opcode == CMDQ_OP_SYNC;
}

/**
 * struct poll_state - back-off of queue_poll(): @spins cpu_relax() so far,
 * the next @udelay (doubling), and the @deadline of the whole wait.
 */
struct poll_state {
	unsigned spins;
	sim_time_t udelay;
	sim_time_t deadline;
};

static void poll_init(struct drv *d, struct poll_state *p)
{
	p->spins = 0;
	p->udelay = d->opts.poll_udelay;
	p->deadline = d->hal->now(d->ctx) + d->opts.poll_timeout;
}

/* One back-off step; -1 once the timeout has passed. */
static int poll_step(struct drv *d, struct poll_state *p)
{
	if (d->hal->now(d->ctx) >= p->deadline)
		return -1;
	if (p->spins < d->opts.relax_polls) {
		p->spins++;
		d->hal->delay(d->ctx, d->opts.relax_cost);
	} else {
		d->hal->delay(d->ctx, p->udelay);
		p->udelay *= 2;
	}
	return 0;
}

static uint32_t read_cons(struct drv *d, struct drv_cmdq *q)
{
	uint32_t v = drv_rd32(d, q->space, q->cons_off);
	q->cons = v & ring_pos_mask(q->ring);
	return v;
}

int drv_issue_cmdlist(struct drv *d, struct drv_cmdq *q, const struct cmd *cmds,
		      unsigned n, bool sync)
{
	unsigned total = n + (sync ? 1u : 0u);
	struct poll_state p;
	char m[160];

	if (total == 0)
		return 0;
	if (total > ring_entries(q->ring)) {
		drv_log(d, "command list larger than the queue");
		return -1;
	}
	/* Wait for space, refreshing CONS from hardware (queue_has_space). */
	poll_init(d, &p);
	while (ring_space(q->ring, q->prod, q->cons) < total) {
		read_cons(d, q);
		if (ring_space(q->ring, q->prod, q->cons) >= total)
			break;
		drv_service_irqs(d);
		if (poll_step(d, &p)) {
			snprintf(m, sizeof(m), "%s: CMDQ timeout", q->name);
			drv_log(d, m);
			return -1;
		}
	}

	uint32_t pos = q->prod;
	for (unsigned i = 0; i < n; i++, pos = ring_add(q->ring, pos, 1)) {
		uint64_t dw[2];
		cmd_encode(&cmds[i], dw);
		write_entry(d, q, pos, dw);
	}
	uint32_t sync_pos = pos;
	bool msipoll = d->msi && d->coherent && !q->cs_none;
	if (sync) {
		uint64_t dw[2];
		drv_build_sync(d, q, sync_pos, msipoll, dw);
		write_entry(d, q, sync_pos, dw);
		pos = ring_add(q->ring, pos, 1);
	}
	/* dma_wmb(); one PROD write publishes the whole list. */
	q->prod = pos;
	drv_wr32(d, q->space, q->prod_off, q->prod);
	q->issued++;
	if (!sync)
		return 0;

	poll_init(d, &p);
	for (;;) {
		if (msipoll) {
			/* __arm_smmu_cmdq_poll_until_msi: the SYNC's word becomes 0 */
			uint8_t w[4];
			d->hal->mem_read(d->ctx,
					 ring_entry_addr(q->ring, q->base,
							 sync_pos),
					 w, sizeof(w));
			if (!(w[0] | w[1] | w[2] | w[3])) {
				read_cons(d, q);
				return 0;
			}
		} else {
			/* __arm_smmu_cmdq_poll_until_consumed */
			read_cons(d, q);
			if (ring_consumed(q->ring, q->cons, sync_pos))
				return 0;
		}
		drv_service_irqs(d);
		if (poll_step(d, &p))
			break;
	}
	d->errs.sync_timeouts++;
	uint32_t hwcons = drv_rd32(d, q->space, q->cons_off);
	snprintf(
		m, sizeof(m),
		"%s: CMD_SYNC timeout at 0x%08x [hwprod 0x%08x, hwcons 0x%08x]",
		q->name, sync_pos, q->prod, hwcons);
	drv_log(d, m);
	return -1;
}

struct drv_cmdq *drv_get_cmdq(struct drv *d, unsigned vintf, uint8_t opcode)
{
	struct drv_cmdq *q = NULL;

	if (d->impl && d->impl->get_secondary_cmdq)
		q = d->impl->get_secondary_cmdq(d, vintf, opcode);
	return q ? q : &d->cmdq;
}

int drv_issue_batch(struct drv *d, unsigned vintf, const struct cmd *cmds,
		    unsigned n)
{
	enum {
		BATCH_MAX = 64
	}; /* CMDQ_BATCH_ENTRIES (arm-smmu-v3.c: arm_smmu_cmdq_issue_cmdlist()) */
	struct cmd batch[BATCH_MAX];
	unsigned num = 0;
	struct drv_cmdq *q = NULL;

	for (unsigned i = 0; i < n; i++) {
		if (!q)
			q = drv_get_cmdq(d, vintf, cmds[i].opcode);
		if (!drv_supports(q, cmds[i].opcode)) {
			/* flush with a SYNC and restart on a queue that takes it */
			if (drv_issue_cmdlist(d, q, batch, num, true))
				return -1;
			num = 0;
			q = drv_get_cmdq(d, vintf, cmds[i].opcode);
		}
		if (num == BATCH_MAX) {
			if (drv_issue_cmdlist(d, q, batch, num, false))
				return -1;
			num = 0;
		}
		batch[num++] = cmds[i];
	}
	if (!q)
		return 0;
	return drv_issue_cmdlist(d, q, batch, num, true);
}

/* ---- strict unmap (arm-smmu-v3.c: arm_smmu_tlb_inv_range_domain(),
 * arm_smmu_atc_inv_to_cmd(), __arm_smmu_tlb_inv_range(); IHI 0070 4.4.1.1)
 * ---- */

int drv_unmap_inv(struct drv *d, unsigned vintf, uint16_t vmid, uint16_t asid,
		  uint64_t iova, uint64_t size, const uint32_t *sids,
		  unsigned nsids)
{
	enum { MAX_CMDS = 256 };
	struct cmd cmds[MAX_CMDS];
	unsigned n;

	/* __arm_smmu_tlb_inv_range (tb_linux_cmds.h: 4 KiB leaf pages) */
	n = tb_linux_tlbi_range(cmds, MAX_CMDS, iova,
				size >> TB_LINUX_PAGE_SHIFT, d->ril, vmid,
				asid);
	if (n > MAX_CMDS) {
		drv_log(d, "unmap: range needs too many commands");
		return -1;
	}
	if (drv_issue_batch(d, vintf, cmds, n))
		return -1;
	if (nsids == 0)
		return 0;

	/* arm_smmu_atc_inv_to_cmd: the aligned power-of-two window of pages */
	n = 0;
	for (unsigned i = 0; i < nsids && n < MAX_CMDS; i++)
		cmds[n++] = tb_linux_atc_inv(sids[i], iova, size);
	return drv_issue_batch(d, vintf, cmds, n);
}

/* ---- errors (arm-smmu-v3.c: __arm_smmu_cmdq_skip_err()) ---- */

void drv_cmdq_skip_err(struct drv *d, struct drv_cmdq *q)
{
	uint32_t cons = read_cons(d, q);
	unsigned code = (unsigned)DRV_FIELD_GET(CMDQ_CONS_ERR, cons);
	char m[160];

	if (d->on_error)
		d->on_error(d->on_error_arg, q, code);
	switch (code) {
	case CMDQ_ERR_CERROR_NONE_IDX:
		return;
	case CMDQ_ERR_CERROR_ABT_IDX:
		d->errs.abt++;
		snprintf(
			m, sizeof(m),
			"%s: CMDQ error (cons 0x%08x): abort on command fetch, retrying",
			q->name, cons);
		drv_log(d, m);
		return; /* the same entry is fetched again */
	case CMDQ_ERR_CERROR_ATC_INV_IDX:
		d->errs.atc_timeout++;
		snprintf(m, sizeof(m),
			 "%s: CMDQ error (cons 0x%08x): ATC invalidate timeout",
			 q->name, cons);
		drv_log(d, m);
		return; /* the CMD_SYNC is executed again */
	case CMDQ_ERR_CERROR_ILL_IDX:
		d->errs.ill++;
		break;
	default:
		d->errs.other++; /* unknown codes (ILL_ACCESS) handled as ILL */
		break;
	}
	snprintf(
		m, sizeof(m),
		"%s: CMDQ error (cons 0x%08x): illegal command, replaced by CMD_SYNC",
		q->name, cons);
	drv_log(d, m);
	/* No NOP exists: overwrite the bad entry with a CMD_SYNC in place. */
	uint64_t dw[2];
	drv_build_sync(d, q, q->cons, false, dw);
	write_entry(d, q, q->cons, dw);
}

void drv_gerror_handler(struct drv *d)
{
	uint32_t gerror = drv_rd32(d, CMDQV_SPACE_SMMU, ARM_SMMU_GERROR);
	uint32_t gerrorn = drv_rd32(d, CMDQV_SPACE_SMMU, ARM_SMMU_GERRORN);
	uint32_t active = (gerror ^ gerrorn) & GERROR_ERR_MASK;

	if (!active)
		return;
	d->errs.gerror_irqs++;
	if (active & GERROR_SFM_ERR) {
		drv_log(d, "device has entered Service Failure Mode!");
		write_reg_sync(d, 0, ARM_SMMU_CR0, ARM_SMMU_CR0ACK);
	}
	if (active & GERROR_CMDQ_ERR)
		drv_cmdq_skip_err(d, &d->cmdq);
	drv_wr32(d, CMDQV_SPACE_SMMU, ARM_SMMU_GERRORN, gerror);
}

void drv_service_irqs(struct drv *d)
{
	if (d->hal->irq_wait(d->ctx, CMDQV_IRQ_GERROR, 0))
		drv_gerror_handler(d);
	if (d->impl && d->impl->irq_handler &&
	    d->hal->irq_wait(d->ctx, d->impl->irq_line, 0))
		d->impl->irq_handler(d);
}

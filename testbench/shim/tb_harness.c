/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_harness.c - driver-like helpers over the native platform (tb_harness.h).
 * Offsets are those of IHI 0070 6.3; arm-smmu-v3.h and docs/cmdqv-reference.md
 * sections 2, 3, 4, 5; the sequences follow the Linux drivers (arm-smmu-v3.c:
 * arm_smmu_cmdq_issue_cmdlist(), docs/cmdqv-reference.md section 7).
 */
#include "tb_harness.h"

#include <assert.h>
#include <string.h>

#include "cmdqv_sim/ring.h"
#include "cmdqv_sim/regmap.h"
#include "cmdqv_sim/status.h"
#include "tb_bringup.h"
#include "tb_util.h"

/* Register offsets and fields: cmdqv_sim/regmap.h. */

int tb_harness_init(struct tb_harness *h, const struct cmdqv_config *cfg)
{
	char err[256];

	memset(h, 0, sizeof(*h));
	return tb_native_init(&h->n, cfg, err, sizeof(err));
}

int tb_harness_init_untraced(struct tb_harness *h,
			     const struct cmdqv_config *cfg)
{
	struct cmdqv_config defaults;
	char err[256];
	int rc = tb_harness_init(h, cfg);

	if (rc != CMDQV_OK)
		return rc;
	if (!cfg) {
		cmdqv_config_defaults(&defaults);
		cfg = &defaults;
	}
	/* Re-create the model with the same host ops minus the observer. */
	cmdqv_model_destroy(h->n.model);
	h->n.ops.trace = NULL;
	rc = cmdqv_model_create(cfg, &h->n.ops, &h->n, &h->n.model, err,
				sizeof(err));
	if (rc != CMDQV_OK) {
		h->n.model = NULL;
		tb_native_deinit(&h->n);
	}
	return rc;
}

void tb_harness_deinit(struct tb_harness *h)
{
	tb_native_deinit(&h->n);
}

struct cmdqv_model *tb_harness_model(struct tb_harness *h)
{
	return h->n.model;
}

uint64_t tb_harness_read(struct tb_harness *h, enum cmdqv_space sp,
			 uint64_t off, unsigned size)
{
	uint64_t v = 0;
	int rc = cmdqv_mmio_read(h->n.model, sp, off, size, &v);

	assert(rc == CMDQV_OK);
	(void)rc;
	return v;
}

void tb_harness_write(struct tb_harness *h, enum cmdqv_space sp, uint64_t off,
		      unsigned size, uint64_t val)
{
	int rc = cmdqv_mmio_write(h->n.model, sp, off, size, val);

	assert(rc == CMDQV_OK);
	(void)rc;
}

void tb_harness_run(struct tb_harness *h, sim_time_t dt)
{
	cmdqv_run_until(h->n.model, cmdqv_now(h->n.model) + dt);
}

bool tb_harness_poll(struct tb_harness *h, enum cmdqv_space sp, uint64_t off,
		     unsigned size, uint64_t mask, uint64_t want,
		     sim_time_t step, sim_time_t within)
{
	sim_time_t end = cmdqv_now(h->n.model) + within;

	for (;;) {
		if ((tb_harness_read(h, sp, off, size) & mask) == want)
			return true;
		if (cmdqv_now(h->n.model) >= end)
			return false;
		tb_harness_run(h, step);
	}
}

bool tb_harness_smmu_up(struct tb_harness *h, uint64_t base, unsigned log2size,
			bool smmuen)
{
	const struct tb_smmu_setup s = {
		.cmdq_base = base,
		.log2size = log2size,
		.strtab_base = 0x80000000u,
		.strtab_cfg = CMDQV_FIELD_PREP(SMMU_STRTAB_BASE_CFG_FMT, 1) |
			      CMDQV_FIELD_PREP(SMMU_STRTAB_BASE_CFG_SPLIT, 8) |
			      CMDQV_FIELD_PREP(SMMU_STRTAB_BASE_CFG_LOG2SIZE,
					       16), /* 2-level */
		.cr1 = TB_SMMU_CR1_LINUX,
		.write_cr2 = true,
		.cr2 = CMDQV_FIELD_MASK(SMMU_CR2_PTM) |
		       CMDQV_FIELD_MASK(SMMU_CR2_RECINVSID),
		.irq = true,
		.smmuen = smmuen,
	};
	char err[256];
	bool ok = tb_bringup_smmu(h->n.model, &s, err, sizeof(err)) == CMDQV_OK;

	h->smmu.base = base;
	h->smmu.log2size = log2size;
	h->smmu.prod = 0;
	h->smmu.up = ok;
	return ok;
}

bool tb_harness_vintf_up(struct tb_harness *h, unsigned vintf, bool hyp_own,
			 uint16_t vmid, unsigned first, unsigned count,
			 uint64_t base, unsigned log2size)
{
	uint64_t qbytes = (uint64_t)16 << log2size;
	char err[256];
	bool ok = tb_bringup_cmdqv(h->n.model, false, err, sizeof(err)) ==
			  CMDQV_OK &&
		  tb_bringup_vintf(h->n.model, vintf, vmid, hyp_own, err,
				   sizeof(err)) == CMDQV_OK;

	for (unsigned l = 0; l < count && first + l < TB_HQ_MAX; l++) {
		unsigned q = first + l;
		uint64_t qb = base + l * qbytes;

		ok = ok &&
		     tb_bringup_vcmdq(h->n.model, vintf, l, q, qb, log2size,
				      false, err, sizeof(err)) == CMDQV_OK;
		h->vq[q].base = qb;
		h->vq[q].log2size = log2size;
		h->vq[q].prod = 0;
		h->vq[q].up = ok;
	}
	return ok;
}

static struct tb_hq *tb_harness_q(struct tb_harness *h, int q)
{
	assert(q == TB_HQ_SMMU || (q >= 0 && q < TB_HQ_MAX));
	return q == TB_HQ_SMMU ? &h->smmu : &h->vq[q];
}

static enum cmdqv_space tb_harness_space(int q)
{
	return q == TB_HQ_SMMU ? CMDQV_SPACE_SMMU : CMDQV_SPACE_CMDQV;
}

uint64_t tb_harness_prod_off(int q)
{
	return q == TB_HQ_SMMU ? SMMU_CMDQ_PROD :
				 T241_VCMDQ_PAGE0(q) + T241_VCMDQ_PROD_INDX;
}

uint64_t tb_harness_cons_off(int q)
{
	return q == TB_HQ_SMMU ? SMMU_CMDQ_CONS :
				 T241_VCMDQ_PAGE0(q) + T241_VCMDQ_CONS_INDX;
}

void tb_harness_push_raw(struct tb_harness *h, int q, const uint64_t dw[2])
{
	struct tb_hq *hq = tb_harness_q(h, q);
	struct ring r = { (uint8_t)hq->log2size };
	uint8_t b[16];

	tb_cmd_store_le(dw, b);
	tb_mem_write(&h->n.mem, ring_entry_addr(r, hq->base, hq->prod), b,
		     sizeof(b));
	hq->prod = ring_add(r, hq->prod, 1);
}

void tb_harness_push_n(struct tb_harness *h, int q, const uint64_t (*dw)[2],
		       uint32_t n)
{
	struct tb_hq *hq = tb_harness_q(h, q);
	struct ring r = { (uint8_t)hq->log2size };
	uint8_t buf[64 * 16];

	/* Runs of up to 64 entries that do not cross the ring end, one
         * memory write each. */
	while (n) {
		uint32_t idx = ring_idx(r, hq->prod);
		uint32_t run = n < 64 ? n : 64;

		if (run > ring_entries(r) - idx)
			run = ring_entries(r) - idx;
		for (uint32_t k = 0; k < run; k++)
			tb_cmd_store_le(dw[k], &buf[16 * k]);
		tb_mem_write(&h->n.mem, ring_entry_addr(r, hq->base, hq->prod),
			     buf, 16u * run);
		hq->prod = ring_add(r, hq->prod, run);
		dw += run;
		n -= run;
	}
}

void tb_harness_push(struct tb_harness *h, int q, const struct cmd *c)
{
	uint64_t dw[2];

	cmd_encode(c, dw);
	tb_harness_push_raw(h, q, dw);
}

void tb_harness_publish(struct tb_harness *h, int q)
{
	tb_harness_write(h, tb_harness_space(q), tb_harness_prod_off(q), 4,
			 tb_harness_q(h, q)->prod);
}

uint32_t tb_harness_sw_prod(struct tb_harness *h, int q)
{
	return tb_harness_q(h, q)->prod;
}

uint32_t tb_harness_cons_reg(struct tb_harness *h, int q)
{
	return (uint32_t)tb_harness_read(h, tb_harness_space(q),
					 tb_harness_cons_off(q), 4);
}

uint32_t tb_harness_cons(struct tb_harness *h, int q)
{
	struct ring r = { (uint8_t)tb_harness_q(h, q)->log2size };

	return tb_harness_cons_reg(h, q) & ring_pos_mask(r) &
	       CMDQV_FIELD_MASK(SMMU_CMDQ_CONS_RD);
}

bool tb_harness_drain(struct tb_harness *h, int q, sim_time_t within)
{
	struct cmdqv_model *m = h->n.model;
	sim_time_t end = cmdqv_now(m) + within;

	/* Event-driven wait (no polling step): jump from deadline to deadline. */
	for (;;) {
		sim_time_t next;

		if (tb_harness_cons(h, q) == tb_harness_q(h, q)->prod)
			return true;
		next = cmdqv_next_deadline(m);
		if (next == SIM_TIME_NEVER || next > end) {
			cmdqv_run_until(m, end);
			return tb_harness_cons(h, q) ==
			       tb_harness_q(h, q)->prod;
		}
		cmdqv_run_until(m, next);
	}
}

void tb_harness_ack(struct tb_harness *h, int q)
{
	if (q == TB_HQ_SMMU) {
		tb_harness_write(h, CMDQV_SPACE_SMMU, SMMU_GERRORN, 4,
				 tb_harness_read(h, CMDQV_SPACE_SMMU,
						 SMMU_GERROR, 4));
		return;
	}
	tb_harness_write(
		h, CMDQV_SPACE_CMDQV, T241_VCMDQ_PAGE0(q) + T241_VCMDQ_GERRORN,
		4,
		tb_harness_read(h, CMDQV_SPACE_CMDQV,
				T241_VCMDQ_PAGE0(q) + T241_VCMDQ_GERROR, 4));
}

/* A command with every field zero but its opcode. */
static struct cmd tb_cmd_zeroed(uint8_t opcode)
{
	struct cmd c;

	memset(&c, 0, sizeof(c));
	c.opcode = opcode;
	return c;
}

struct cmd tb_cmd_sync(uint8_t cs)
{
	struct cmd c = tb_cmd_zeroed(CMDQ_OP_SYNC);

	c.cs = cs;
	return c;
}

struct cmd tb_cmd_tlbi_nh_va(uint16_t vmid, uint16_t asid, uint64_t va)
{
	struct cmd c = tb_cmd_zeroed(CMDQ_OP_TLBI_NH_VA);

	c.vmid = vmid;
	c.asid = asid;
	c.addr = va;
	c.leaf = true;
	return c;
}

struct cmd tb_cmd_atc_inv(uint32_t sid, uint64_t addr, uint8_t size)
{
	struct cmd c = tb_cmd_zeroed(CMDQ_OP_ATC_INV);

	c.sid = sid;
	c.addr = addr;
	c.size = size;
	return c;
}

void tb_bench_cmds(unsigned n, uint64_t (*tlbi)[2], uint64_t sync[2])
{
	struct cmd c;

	for (unsigned i = 0; i < n; i++) {
		c = tb_cmd_tlbi_nh_va(1, (uint16_t)(i % 16), (uint64_t)i << 12);
		cmd_encode(&c, tlbi[i]);
	}
	c = tb_cmd_sync(CMD_SYNC_CS_NONE);
	cmd_encode(&c, sync);
}

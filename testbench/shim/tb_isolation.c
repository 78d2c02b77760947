/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_isolation.c - the guest-isolation property check (tb_isolation.h).
 *
 * Everything goes through the public API, as software and a test bench
 * would: registers through cmdqv_mmio_*, queue memory through tb_mem,
 * cache state through cmdqv_tlb_* / cmdqv_cfg_* / cmdqv_atc_*.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdqv_sim/regmap.h"
#include "cmdqv_sim/status.h"
#include "tb_isolation.h"
#include "tb_util.h"

/* Register offsets and fields: cmdqv_sim/regmap.h. */

/* Layout */
#define ISO_LOG2SIZE 6u /* 64 entries, TB_ISO_QUEUE_ENTRIES */
#define ISO_HOST_VINTF 0u
#define ISO_GUEST 1u /* VINTF under test */
#define ISO_OTHER 2u /* a second guest */
#define ISO_Q_HOST 0u /* global VCMDQs 0,1 -> VINTF0 */
#define ISO_Q_GUEST 2u /* 2,3 -> VINTF1 */
#define ISO_Q_OTHER 4u /* 4,5 -> VINTF2 */
#define ISO_VSIDS \
	32u /* virtual SIDs 0..31; also physical devices 0..31 exist */
#define ISO_PSID_GUEST 0x100u /* VINTF1 replaces to 0x100.. */
#define ISO_PSID_OTHER 0x200u /* VINTF2 replaces to 0x200.. */
#define ISO_PSID_LONE 0x300u /* a device no VINTF maps */
#define ISO_RUN_STEP SIM_US(20)

static const uint64_t iso_addrs[] = { 0x0,	     0x1000,   0x10000,
				      0x11000,	     0x200000, 0x7fff000,
				      0x800000000000 };
#define ISO_NADDR (sizeof(iso_addrs) / sizeof(iso_addrs[0]))
#define ISO_SPARSE_STEP 3 /* sparse: 0x0, 0x11000, 0x800000000000 */
static const uint16_t iso_asids[] = { 0, 1, 2, 0xFFFF };
#define ISO_NASID (sizeof(iso_asids) / sizeof(iso_asids[0]))

static const uint8_t iso_opcodes[] = {
#define ISO_OP(name, val) val,
	CMD_OPCODE_MAP(ISO_OP)
#undef ISO_OP
};
#define ISO_NOPS (sizeof(iso_opcodes) / sizeof(iso_opcodes[0]))

/** struct iso_rng - splitmix64, so every platform gives the same cases. */
struct iso_rng {
	uint64_t s;
};

static uint64_t iso_next(struct iso_rng *r)
{
	uint64_t z = (r->s += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint32_t iso_below(struct iso_rng *r, uint32_t n)
{
	return (uint32_t)(iso_next(r) % n);
}

static void iso_fail(struct tb_iso_report *rep, const char *fmt, ...)
{
	va_list ap;

	if (rep->violation)
		return; /* keep the first reason */
	rep->violation = 1;
	va_start(ap, fmt);
	vsnprintf(rep->what, sizeof(rep->what), fmt, ap);
	va_end(ap);
}

static void iso_layout(struct iso_rng *r, struct tb_iso_layout *c)
{
	unsigned s;

	memset(c, 0, sizeof(*c));
	c->vmid[0] = (uint16_t)(1 + iso_below(r, 0xFFFE));
	do
		c->vmid[1] = (uint16_t)(1 + iso_below(r, 0xFFFE));
	while (c->vmid[1] == c->vmid[0]);
	do
		c->vmid[2] = (uint16_t)(1 + iso_below(r, 0xFFFE));
	while (c->vmid[2] == c->vmid[0] || c->vmid[2] == c->vmid[1]);
	c->npairs = iso_below(r, TB_ISO_PAIRS + 1);
	for (s = 0; s < c->npairs; s++) {
		c->vsid[s] = iso_below(r, ISO_VSIDS);
		c->psid[s] = ISO_PSID_GUEST + iso_below(r, 64);
		c->pair_en[s] = iso_below(r, 4) != 0;
	}
	for (s = 0; s < TB_ISO_PAIRS; s++)
		c->other_vsid[s] = iso_below(r, ISO_VSIDS);
}

size_t tb_iso_sids(const struct tb_iso_layout *c, uint32_t *sids, size_t max)
{
	size_t n = 0;
	unsigned s;

	(void)c;
	/* physical devices numbered like the guest's vSIDs */
	for (s = 0; s < ISO_VSIDS && n < max; s++)
		sids[n++] = s;
	for (s = 0; s < 64 && n < max; s++)
		sids[n++] = ISO_PSID_GUEST + s;
	for (s = 0; s < TB_ISO_PAIRS && n < max; s++)
		sids[n++] = ISO_PSID_OTHER + s;
	if (n < max)
		sids[n++] = ISO_PSID_LONE;
	return n;
}

/* What VINTF1 alone may remove: its VMID's entries and the ATC entries of
 * its enabled pairs' physical SIDs. */
static void iso_allow_guest(const struct tb_iso_layout *c,
			    struct tb_iso_allow *a)
{
	uint32_t sids[TB_ISO_MAX_SIDS];
	size_t n = tb_iso_sids(c, sids, TB_ISO_MAX_SIDS), i;
	unsigned p;

	memset(a, 0, sizeof(*a));
	a->vmid_may_go[0] = true;
	for (i = 0; i < n; i++)
		for (p = 0; p < c->npairs; p++)
			if (c->pair_en[p] && c->psid[p] == sids[i])
				a->sid_may_go[i] = true;
}

static uint64_t iso_pick_addr(struct iso_rng *r)
{
	return iso_below(r, 4) ? iso_addrs[iso_below(r, ISO_NADDR)] :
				 iso_next(r);
}

/* One guest entry from the seed: allowed commands with hostile fields,
 * every other opcode, and raw words (tb_iso_run's contract). */
static void iso_gen_entry(struct iso_rng *r, const struct tb_iso_layout *c,
			  uint64_t dw[2])
{
	struct cmd k;
	unsigned pick = iso_below(r, 10);

	memset(&k, 0, sizeof(k));
	if (pick >= 8) {
		dw[0] = iso_next(r);
		dw[1] = iso_next(r);
		if (pick == 9) /* a known opcode with random other bits */
			dw[0] = CMDQV_FIELD_DP(
				dw[0], CMD_DW0_OPCODE,
				iso_opcodes[iso_below(r, ISO_NOPS)]);
		return;
	}
	if (pick < 4) {
		/* the n-th opcode of the guest command set, in opcode order */
		static uint8_t guest_ops[256];
		static unsigned nguest; /* 0: not listed yet */

		if (!nguest)
			for (unsigned op = 0; op < 256; op++)
				if (cmd_guest_allowed((uint8_t)op))
					guest_ops[nguest++] = (uint8_t)op;
		k.opcode = guest_ops[iso_below(r, nguest)];
	} else {
		k.opcode = iso_opcodes[iso_below(r, ISO_NOPS)];
	}
	/* VMIDs and SIDs that name other tenants, on purpose */
	switch (iso_below(r, 4)) {
	case 0:
		k.vmid = c->vmid[1];
		break;
	case 1:
		k.vmid = c->vmid[2];
		break;
	case 2:
		k.vmid = 0;
		break;
	default:
		k.vmid = (uint16_t)iso_next(r);
	}
	k.asid = iso_below(r, 4) ? iso_asids[iso_below(r, ISO_NASID)] :
				   (uint16_t)iso_next(r);
	switch (iso_below(r, 5)) {
	case 0:
		k.sid = ISO_PSID_GUEST + iso_below(r, 64);
		break;
	case 1:
		k.sid = ISO_PSID_OTHER + iso_below(r, TB_ISO_PAIRS);
		break;
	case 2:
		k.sid = (uint32_t)iso_next(r);
		break;
	default:
		k.sid = iso_below(r, ISO_VSIDS);
	}
	k.ssid = (uint32_t)iso_next(r);
	k.ssv = iso_below(r, 2);
	k.leaf = iso_below(r, 2);
	k.global = iso_below(r, 2);
	k.range = (uint8_t)iso_below(r, 32);
	k.addr = iso_pick_addr(r);
	k.tg = (uint8_t)iso_below(r, 4);
	k.num = (uint8_t)iso_below(r, 32);
	k.scale = (uint8_t)iso_below(r, 32);
	k.ttl = (uint8_t)iso_below(r, 4);
	k.size = (uint8_t)(iso_below(r, 3) ? iso_below(r, 12) :
					     iso_below(r, 64));
	k.cs = (uint8_t)iso_below(r, 4);
	k.msiaddr = iso_next(r);
	k.msidata = (uint32_t)iso_next(r);
	k.resp = (uint8_t)iso_below(r, 4);
	cmd_encode(&k, dw);
}

void tb_iso_layout_gen(uint64_t seed, struct tb_iso_layout *c)
{
	struct iso_rng r = { seed };

	iso_layout(&r, c);
}

void tb_iso_gen_entry(uint64_t seed, const struct tb_iso_layout *c,
		      uint64_t dw[2])
{
	struct iso_rng r = { seed };

	iso_gen_entry(&r, c, dw);
}

/*
 * One cache entry of the isolation layout.  @owner is the index of its VMID
 * (TLB entries) or SID (config and ATC entries) in the layout's lists.
 */
struct iso_entry {
	enum { ISO_E_TLB, ISO_E_CFG, ISO_E_ATC } what;
	enum cmdqv_tlb_kind kind;
	size_t owner;
	uint16_t vmid, asid;
	uint32_t sid, ssid;
	uint64_t addr;
};

/*
 * Visits every entry tb_iso_populate() installs, in one fixed order: per
 * VMID and address the NH entries of each ASID then the S2 entry; the EL2
 * entries; per SID the STE and CD config entries, then its ATC entries.
 */
static void iso_walk(const struct tb_iso_layout *c,
		     void (*visit)(void *ctx, const struct iso_entry *e),
		     void *ctx)
{
	const uint16_t vmids[4] = { c->vmid[0], c->vmid[1], c->vmid[2], 0 };
	uint32_t sids[TB_ISO_MAX_SIDS];
	size_t nsid = tb_iso_sids(c, sids, TB_ISO_MAX_SIDS), i, a, v, s;
	const size_t step = c->sparse ? ISO_SPARSE_STEP : 1;
	struct iso_entry e = { .what = ISO_E_TLB };

	for (v = 0; v < 4; v++)
		for (a = 0; a < ISO_NADDR; a += step) {
			e.owner = v;
			e.vmid = vmids[v];
			e.addr = iso_addrs[a];
			e.kind = CMDQV_TLB_NH;
			for (s = 0; s < ISO_NASID; s++) {
				e.asid = iso_asids[s];
				visit(ctx, &e);
			}
			e.kind = CMDQV_TLB_S2;
			e.asid = 0;
			visit(ctx, &e);
		}
	e.kind = CMDQV_TLB_EL2;
	e.owner = 0;
	e.vmid = 0;
	for (a = 0; a < ISO_NADDR; a += step)
		for (s = 0; s < 2; s++) {
			e.asid = iso_asids[s];
			e.addr = iso_addrs[a];
			visit(ctx, &e);
		}
	for (i = 0; i < nsid; i++) {
		e.owner = i;
		e.sid = sids[i];
		e.what = ISO_E_CFG;
		e.ssid = CMDQV_SSID_NONE;
		visit(ctx, &e);
		e.ssid = 0;
		visit(ctx, &e);
		e.what = ISO_E_ATC;
		for (a = 0; a < ISO_NADDR; a += step) {
			e.addr = iso_addrs[a];
			visit(ctx, &e);
		}
	}
}

struct iso_add {
	struct cmdqv_model *m;
	int rc;
};

static void iso_add(void *ctx, const struct iso_entry *e)
{
	struct iso_add *p = ctx;

	if (e->what == ISO_E_TLB)
		p->rc |= cmdqv_tlb_add(p->m, e->kind, e->vmid, e->asid, e->addr,
				       1);
	else if (e->what == ISO_E_CFG)
		p->rc |= cmdqv_cfg_add(p->m, e->sid, e->ssid);
	else
		p->rc |= cmdqv_atc_add(p->m, e->sid, e->addr, 1);
}

void tb_iso_populate(struct cmdqv_model *m, const struct tb_iso_layout *c,
		     struct tb_iso_report *rep)
{
	struct iso_add p = { m, CMDQV_OK };

	iso_walk(c, iso_add, &p);
	if (p.rc != CMDQV_OK)
		iso_fail(rep, "setup: cache capacity too small");
}

struct iso_check {
	struct cmdqv_model *m;
	const struct tb_iso_allow *allow;
	struct tb_iso_report *rep;
};

/*
 * An entry that is gone (!@present) although the acting guests may not
 * remove it (!@may_go): true, the caller reports it. One they may remove
 * counts in *@own if gone (coverage; @own NULL: not counted).
 */
static bool iso_lost(bool present, bool may_go, size_t *own)
{
	if (may_go && own)
		*own += !present;
	return !present && !may_go;
}

static void iso_check(void *ctx, const struct iso_entry *e)
{
	struct iso_check *k = ctx;
	const struct tb_iso_allow *allow = k->allow;
	struct tb_iso_report *rep = k->rep;
	bool p;

	switch (e->what) {
	case ISO_E_TLB:
		p = cmdqv_tlb_present(k->m, e->kind, e->vmid, e->asid, e->addr);
		if (e->kind == CMDQV_TLB_NH) {
			if (iso_lost(p, allow->vmid_may_go[e->owner],
				     &rep->own_tlb_removed))
				iso_fail(
					rep,
					"TLB entry of VMID %u (asid %u addr 0x%llx) "
					"removed by a guest that does not own it",
					e->vmid, e->asid,
					(unsigned long long)e->addr);
		} else if (e->kind == CMDQV_TLB_S2) {
			if (iso_lost(p, allow->vmid_may_go[e->owner], NULL))
				iso_fail(
					rep,
					"S2 entry of VMID %u addr 0x%llx removed",
					e->vmid, (unsigned long long)e->addr);
		} else if (!p) {
			iso_fail(rep, "EL2 entry asid %u addr 0x%llx removed",
				 e->asid, (unsigned long long)e->addr);
		}
		break;
	case ISO_E_CFG:
		/* the STE and CD entries of a SID are reported together */
		if (e->ssid == 0 &&
		    (!cmdqv_cfg_present(k->m, e->sid, CMDQV_SSID_NONE) ||
		     !cmdqv_cfg_present(k->m, e->sid, 0)))
			iso_fail(rep, "config-cache entry of SID 0x%x removed",
				 e->sid);
		break;
	case ISO_E_ATC:
		p = cmdqv_atc_present(k->m, e->sid, e->addr);
		if (iso_lost(p, allow->sid_may_go[e->owner],
			     &rep->own_atc_removed))
			iso_fail(
				rep,
				"ATC entry of SID 0x%x addr 0x%llx removed; not in "
				"an acting guest's enabled SID_REPLACE set",
				e->sid, (unsigned long long)e->addr);
		break;
	}
}

void tb_iso_check_caches(struct cmdqv_model *m, const struct tb_iso_layout *c,
			 const struct tb_iso_allow *allow,
			 struct tb_iso_report *rep)
{
	struct iso_check k = { m, allow, rep };

	iso_walk(c, iso_check, &k);
}

static void iso_program_pairs(struct tb_harness *h,
			      const struct tb_iso_layout *c)
{
	const enum cmdqv_space C = CMDQV_SPACE_CMDQV;
	unsigned s;

	/* IOMMU_VDEVICE_ALLOC order: SID_REPLACE, then SID_MATCH
	 * (tegra241-cmdqv.c: tegra241_vintf_init_vsid()) */
	for (s = 0; s < c->npairs; s++) {
		tb_harness_write(
			h, C, T241_VINTF(ISO_GUEST) + T241_VINTF_SID_REPLACE(s),
			4, c->psid[s]);
		tb_harness_write(
			h, C, T241_VINTF(ISO_GUEST) + T241_VINTF_SID_MATCH(s),
			4,
			CMDQV_FIELD_PREP(T241_VINTF_SID_MATCH_VIRT_SID,
					 c->vsid[s]) |
				CMDQV_FIELD_PREP(T241_VINTF_SID_MATCH_ENABLE,
						 c->pair_en[s]));
	}
	for (s = 0; s < TB_ISO_PAIRS; s++) {
		tb_harness_write(
			h, C, T241_VINTF(ISO_OTHER) + T241_VINTF_SID_REPLACE(s),
			4, ISO_PSID_OTHER + s);
		tb_harness_write(
			h, C, T241_VINTF(ISO_OTHER) + T241_VINTF_SID_MATCH(s),
			4,
			CMDQV_FIELD_PREP(T241_VINTF_SID_MATCH_VIRT_SID,
					 c->other_vsid[s]) |
				CMDQV_FIELD_PREP(T241_VINTF_SID_MATCH_ENABLE,
						 1));
	}
}

/* The guest's view of its LVCMDQ @l: VINTF1 page 0 (docs/cmdqv-reference.md
 * section 2). */
static uint64_t iso_lv(unsigned l, uint32_t reg)
{
	return T241_VINTF_PAGE0(ISO_GUEST, l) + reg;
}

/* Global-view error maps may only name the guest's queues and VINTF. */
static void iso_check_maps(struct tb_harness *h, struct tb_iso_report *rep)
{
	const enum cmdqv_space C = CMDQV_SPACE_CMDQV;
	uint64_t vmap = tb_harness_read(h, C, T241_VINTF_ERR_MAP, 4);
	uint64_t qmap = tb_harness_read(h, C, T241_CMDQ_ERR_MAP, 4);
	uint64_t gerr = tb_harness_read(h, CMDQV_SPACE_SMMU, SMMU_GERROR, 4);
	uint64_t gerrn = tb_harness_read(h, CMDQV_SPACE_SMMU, SMMU_GERRORN, 4);

	if (vmap & ~(UINT64_C(1) << ISO_GUEST))
		iso_fail(rep, "VINTF_ERR_MAP 0x%llx names another VINTF",
			 (unsigned long long)vmap);
	if (qmap & ~(UINT64_C(3) << ISO_Q_GUEST))
		iso_fail(rep, "CMDQ_ERR_MAP0 0x%llx names another queue",
			 (unsigned long long)qmap);
	if (gerr != gerrn)
		iso_fail(
			rep,
			"SMMU GERROR 0x%llx != GERRORN 0x%llx after a guest error",
			(unsigned long long)gerr, (unsigned long long)gerrn);
}

/* Run the guest queues to the end, recovering errors as a guest driver
 * does: the failing entry becomes a CMD_SYNC (CS=NONE), GERRORN := GERROR
 * (tegra241-cmdqv.c: tegra241_cmdqv_isr(), arm-smmu-v3.c:
 * __arm_smmu_cmdq_skip_err()). */
static void iso_drive(struct tb_harness *h, const uint32_t prod[2],
		      size_t budget, struct tb_iso_report *rep)
{
	const enum cmdqv_space C = CMDQV_SPACE_CMDQV;
	struct cmd sync;
	uint64_t sdw[2];
	size_t it;

	memset(&sync, 0, sizeof(sync));
	sync.opcode = CMDQ_OP_SYNC;
	cmd_encode(&sync, sdw);
	for (it = 0; it < budget; it++) {
		bool done = true;
		unsigned l;

		tb_harness_run(h, ISO_RUN_STEP);
		for (l = 0; l < 2; l++) {
			uint64_t ge = tb_harness_read(
				h, C, iso_lv(l, T241_VCMDQ_GERROR), 4);
			uint64_t gn = tb_harness_read(
				h, C, iso_lv(l, T241_VCMDQ_GERRORN), 4);
			uint32_t cons = (uint32_t)tb_harness_read(
				h, C, iso_lv(l, T241_VCMDQ_CONS_INDX), 4);

			if (ge != gn) {
				unsigned code = (unsigned)CMDQV_FIELD_EX(
					cons, T241_VCMDQ_CONS_INDX_ERR);
				uint64_t at =
					h->vq[ISO_Q_GUEST + l].base +
					16u * (cons &
					       (TB_ISO_QUEUE_ENTRIES - 1));

				iso_check_maps(h, rep);
				rep->errors++;
				rep->ill_access += code ==
						   T241_CERROR_ILL_ACCESS;
				tb_mem_write64(&h->n.mem, at, sdw[0]);
				tb_mem_write64(&h->n.mem, at + 8, sdw[1]);
				tb_harness_write(h, C,
						 iso_lv(l, T241_VCMDQ_GERRORN),
						 4, ge);
				done = false;
			} else if ((cons & CMDQV_FIELD_MASK(
						   T241_VCMDQ_CONS_INDX_RD)) !=
				   prod[l]) {
				done = false;
			}
		}
		if (done)
			return;
	}
	iso_fail(rep, "guest queues did not drain (no progress)");
}

void tb_iso_config(struct cmdqv_config *cfg)
{
	cmdqv_config_defaults(cfg);
	cfg->vintfs = 4;
	cfg->vcmdqs = 8;
	cfg->sids_per_vintf = TB_ISO_PAIRS;
	cfg->endpoints = 128;
}

bool tb_iso_bringup(struct tb_harness *h, const struct tb_iso_layout *c)
{
	bool ok = true;

	ok &= tb_harness_smmu_up(h, 0x100000, ISO_LOG2SIZE, true);
	ok &= tb_harness_vintf_up(h, ISO_HOST_VINTF, true, 0, ISO_Q_HOST, 2,
				  TB_ISO_QBASE_HOST, ISO_LOG2SIZE);
	ok &= tb_harness_vintf_up(h, ISO_GUEST, false, c->vmid[0], ISO_Q_GUEST,
				  2, TB_ISO_QBASE_GUEST, ISO_LOG2SIZE);
	ok &= tb_harness_vintf_up(h, ISO_OTHER, false, c->vmid[1], ISO_Q_OTHER,
				  2, TB_ISO_QBASE_OTHER, ISO_LOG2SIZE);
	if (ok)
		iso_program_pairs(h, c);
	return ok;
}

static int iso_platform(struct tb_harness *h, const struct tb_iso_layout *c)
{
	struct cmdqv_config cfg;

	tb_iso_config(&cfg);
	if (tb_harness_init(h, &cfg) != CMDQV_OK)
		return CMDQV_ENOMEM;
	if (!tb_iso_bringup(h, c)) {
		tb_harness_deinit(h);
		return CMDQV_ESTATE;
	}
	return CMDQV_OK;
}

int tb_iso_run(uint64_t seed, const uint8_t *data, size_t len,
	       struct tb_iso_report *rep)
{
	struct tb_harness *h = calloc(1, sizeof(*h));
	struct iso_rng r = { seed };
	struct tb_iso_layout c;
	struct tb_iso_allow allow;
	uint32_t prod[2] = { 0, 0 };
	unsigned l, i;
	int rc;

	memset(rep, 0, sizeof(*rep));
	if (!h)
		return CMDQV_ENOMEM;
	iso_layout(&r, &c);
	rc = iso_platform(h, &c);
	if (rc != CMDQV_OK) {
		free(h);
		return rc;
	}
	tb_iso_populate(tb_harness_model(h), &c, rep);

	/* Fill the two guest LVCMDQs. */
	for (l = 0; l < 2; l++) {
		unsigned n;

		if (data) {
			size_t first = (size_t)l * TB_ISO_QUEUE_ENTRIES * 16u;
			size_t avail = len > first ? len - first : 0;

			n = (unsigned)((avail + 15) / 16);
			if (n > TB_ISO_QUEUE_ENTRIES)
				n = TB_ISO_QUEUE_ENTRIES;
		} else {
			n = 1 + iso_below(&r, TB_ISO_QUEUE_ENTRIES);
		}
		for (i = 0; i < n; i++) {
			uint64_t dw[2] = { 0, 0 };
			uint64_t at = h->vq[ISO_Q_GUEST + l].base + 16u * i;

			if (data) {
				size_t off =
					((size_t)l * TB_ISO_QUEUE_ENTRIES + i) *
					16u;
				uint8_t b[16] = { 0 };
				size_t k;

				for (k = 0; k < 16 && off + k < len; k++)
					b[k] = data[off + k];
				tb_cmd_load_le(b, dw);
			} else {
				iso_gen_entry(&r, &c, dw);
			}
			tb_mem_write64(&h->n.mem, at, dw[0]);
			tb_mem_write64(&h->n.mem, at + 8, dw[1]);
		}
		/* n == 64 is a full queue: index 0 with the wrap bit set */
		prod[l] = n;
		rep->commands += n;
	}
	/* Published by the guest through its own VINTF page (no exit). */
	for (l = 0; l < 2; l++)
		tb_harness_write(h, CMDQV_SPACE_CMDQV,
				 iso_lv(l, T241_VCMDQ_PROD_INDX), 4, prod[l]);
	iso_drive(h, prod, 4 * rep->commands + 64, rep);

	iso_allow_guest(&c, &allow);
	tb_iso_check_caches(tb_harness_model(h), &c, &allow, rep);
	iso_check_maps(h, rep);
	if (tb_harness_read(h, CMDQV_SPACE_CMDQV, T241_VINTF_ERR_MAP, 4) != 0)
		iso_fail(rep, "VINTF_ERR_MAP not clear after recovery");
	/* The host's and the other guest's queues are untouched and still run. */
	for (i = 0; i < 2; i++) {
		unsigned q = i ? ISO_Q_OTHER : ISO_Q_HOST;

		if (tb_harness_cons_reg(h, (int)q) != 0)
			iso_fail(rep, "VCMDQ%u CONS moved (0x%x)", q,
				 tb_harness_cons_reg(h, (int)q));
		tb_harness_push(h, (int)q,
				&(struct cmd){ .opcode = CMDQ_OP_SYNC });
		tb_harness_publish(h, (int)q);
		if (!tb_harness_drain(h, (int)q, SIM_MS(1)))
			iso_fail(rep,
				 "VCMDQ%u stopped working after the guest case",
				 q);
	}
	tb_harness_deinit(h);
	free(h);
	return CMDQV_OK;
}

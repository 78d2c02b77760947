/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * drv_cmdqv.c - the Tegra241 CMDQ-V part of the reference driver, after
 * Linux tegra241-cmdqv.c as docs/cmdqv-reference.md section 7;
 * tegra241-cmdqv.c: tegra241_cmdqv_isr() describes it: probe, device reset with
 * CMDQ_ALLOC, VINTF0 hypervisor-owned bring-up, guest VINTFs, queue choice, the
 * error ISR, and teardown in descending order.
 */
#include <stdio.h>
#include <string.h>

#include "drv.h"
#include "drv_int.h"
#include "drv_regs.h"

#define CV CMDQV_SPACE_CMDQV

/* write_config(): CONFIG then poll STATUS bit 0 (tegra241-cmdqv.c:
 * tegra241_cmdqv_write_config()). */
/* Filled at the end of this file; set at probe. */
static const struct drv_impl_ops drv_cmdqv_impl_ops;

static int write_config(struct drv *d, uint64_t config, uint64_t status,
			uint32_t val, const char *who)
{
	drv_wr32(d, CV, config, val);
	if (drv_poll_reg(d, CV, status, 1u, val & 1u)) {
		char m[128];
		snprintf(m, sizeof(m), "%s: failed to %sable, STATUS=0x%08x",
			 who, (val & 1u) ? "en" : "dis",
			 drv_rd32(d, CV, status));
		drv_log(d, m);
		return -1;
	}
	return 0;
}

static void lvcmdq_setup(struct drv *d, unsigned v, unsigned l,
			 struct drv_cmdq *q)
{
	snprintf(q->name, sizeof(q->name), "VINTF%u/LVCMDQ%u", v, l);
	q->space = CV;
	q->page0 = TEGRA241_VINTFi_LVCMDQ_PAGE0(v, l);
	q->prod_off = q->page0 + TEGRA241_VCMDQ_PROD;
	q->cons_off = q->page0 + TEGRA241_VCMDQ_CONS;
	/* VCMDQs take CS=NONE only (docs/cmdqv-reference.md section 6) */
	q->cs_none = true;
	q->vcmdq = (int)(v * d->num_lvcmdqs_per_vintf + l);
	q->q_base = (q->base & VCMDQ_ADDR) |
		    DRV_FIELD_PREP(VCMDQ_LOG2SIZE, q->ring.log2size);
}

static uint64_t page1(const struct drv_cmdq *q)
{
	return q->page0 + (TEGRA241_VINTFi_PAGE1(0) - TEGRA241_VINTFi_PAGE0(0));
}

int drv_cmdqv_probe(struct drv *d)
{
	uint32_t config = drv_rd32(d, CV, TEGRA241_CMDQV_CONFIG);
	uint32_t param = drv_rd32(d, CV, TEGRA241_CMDQV_PARAM);
	(void)config;

	d->num_vintfs = 1u << DRV_FIELD_GET(CMDQV_NUM_VINTF_LOG2, param);
	d->num_vcmdqs = 1u << DRV_FIELD_GET(CMDQV_NUM_VCMDQ_LOG2, param);
	d->num_lvcmdqs_per_vintf = d->num_vcmdqs / d->num_vintfs;
	d->num_sids = 1u << DRV_FIELD_GET(CMDQV_NUM_SID_PER_VM_LOG2, param);
	if (d->num_lvcmdqs_per_vintf == 0 ||
	    d->num_lvcmdqs_per_vintf > DRV_MAX_LVCMDQ) {
		drv_log(d, "CMDQV: unsupported number of LVCMDQs per VINTF");
		return -1;
	}
	if (d->num_sids > DRV_MAX_SIDS)
		d->num_sids = DRV_MAX_SIDS;

	/* init_structures: VINTF0 with all N LVCMDQs pre-allocated
	 * (tegra241-cmdqv.c: tegra241_cmdqv_probe()). */
	struct drv_vintf *vi = &d->vintf[0];
	unsigned log2 = (unsigned)DRV_FIELD_GET(IDR1_CMDQS, d->idr1);
	if (log2 > d->opts.cmdq_max_log2)
		log2 = d->opts.cmdq_max_log2;
	vi->nlvcmdq = d->num_lvcmdqs_per_vintf;
	for (unsigned l = 0; l < vi->nlvcmdq; l++) {
		if (drv_cmdq_alloc(d, &vi->lvcmdq[l], log2))
			return -1;
		lvcmdq_setup(d, 0, l, &vi->lvcmdq[l]);
	}
	d->has_cmdqv = true;
	d->impl = &drv_cmdqv_impl_ops;
	return 0;
}

/* ---- VCMDQ (tegra241-cmdqv.c: tegra241_vcmdq_hw_init(),
 * tegra241_vcmdq_hw_deinit()) ---- */

static int vcmdq_hw_deinit(struct drv *d, struct drv_cmdq *q)
{
	int rc = write_config(d, q->page0 + TEGRA241_VCMDQ_CONFIG,
			      q->page0 + TEGRA241_VCMDQ_STATUS, 0, q->name);
	if (rc) {
		char m[200];
		snprintf(m, sizeof(m), "%s: GERRORN=0x%x GERROR=0x%x CONS=0x%x",
			 q->name,
			 drv_rd32(d, CV, q->page0 + TEGRA241_VCMDQ_GERRORN),
			 drv_rd32(d, CV, q->page0 + TEGRA241_VCMDQ_GERROR),
			 drv_rd32(d, CV, q->cons_off));
		drv_log(d, m);
	}
	q->enabled = false;
	/* tegra241_vcmdq_hw_flush_timeout: a CMD_SYNC on the SMMU CMDQ. */
	drv_issue_cmdlist(d, &d->cmdq, NULL, 0, true);

	drv_wr32(d, CV, q->prod_off, 0);
	drv_wr32(d, CV, q->cons_off, 0);
	drv_wr64(d, CV, page1(q) + TEGRA241_VCMDQ_BASE, 0);
	drv_wr64(d, CV, page1(q) + TEGRA241_VCMDQ_CONS_INDX_BASE, 0);
	q->prod = q->cons = 0;

	uint32_t gerrorn = drv_rd32(d, CV, q->page0 + TEGRA241_VCMDQ_GERRORN);
	uint32_t gerror = drv_rd32(d, CV, q->page0 + TEGRA241_VCMDQ_GERROR);
	if (gerror != gerrorn) {
		drv_log(d, "uncleared error detected, resetting");
		drv_wr32(d, CV, q->page0 + TEGRA241_VCMDQ_GERRORN, gerror);
	}
	return rc;
}

static int vcmdq_hw_init(struct drv *d, struct drv_cmdq *q)
{
	vcmdq_hw_deinit(d, q);
	drv_wr64(d, CV, page1(q) + TEGRA241_VCMDQ_BASE, q->q_base);
	if (write_config(d, q->page0 + TEGRA241_VCMDQ_CONFIG,
			 q->page0 + TEGRA241_VCMDQ_STATUS, VCMDQ_EN, q->name))
		return -1;
	q->enabled = true;
	return 0;
}

/* Map/unmap a LVCMDQ: read CMDQ_ALLOC, write it back with ALLOCATED set/clear
 * (docs/cmdqv-reference.md section 3.1). */
static void vcmdq_alloc_set(struct drv *d, const struct drv_cmdq *q,
			    bool allocated)
{
	uint64_t off = TEGRA241_CMDQV_CMDQ_ALLOC(q->vcmdq);
	uint32_t v = drv_rd32(d, CV, off);
	v = allocated ? v | (uint32_t)CMDQV_CMDQ_ALLOCATED :
			v & ~(uint32_t)CMDQV_CMDQ_ALLOCATED;
	drv_wr32(d, CV, off, v);
}

/* ---- VINTF (tegra241-cmdqv.c: tegra241_vintf_hw_init(),
 * tegra241_vintf_hw_deinit()) ---- */

int drv_vintf_deinit(struct drv *d, unsigned v)
{
	struct drv_vintf *vi = &d->vintf[v];
	char who[16];
	int rc = 0;

	/* LVCMDQs in descending order: deinit, then unmap. */
	for (unsigned l = vi->nlvcmdq; l-- > 0;) {
		if (vcmdq_hw_deinit(d, &vi->lvcmdq[l]))
			rc = -1;
		vcmdq_alloc_set(d, &vi->lvcmdq[l], false);
	}
	snprintf(who, sizeof(who), "VINTF%u", v);
	if (write_config(d, TEGRA241_VINTF(v) + TEGRA241_VINTF_CONFIG,
			 TEGRA241_VINTF(v) + TEGRA241_VINTF_STATUS, 0, who))
		rc = -1;
	vi->enabled = false;
	for (unsigned s = 0; s < d->num_sids; s++) {
		drv_wr32(d, CV, TEGRA241_VINTF(v) + TEGRA241_VINTF_SID_MATCH(s),
			 0);
		drv_wr32(d, CV,
			 TEGRA241_VINTF(v) + TEGRA241_VINTF_SID_REPLACE(s), 0);
	}
	return rc;
}

static int vintf_hw_init(struct drv *d, unsigned v, bool hyp_own, uint16_t vmid)
{
	struct drv_vintf *vi = &d->vintf[v];
	uint64_t cfg_off = TEGRA241_VINTF(v) + TEGRA241_VINTF_CONFIG;
	char who[16];

	drv_vintf_deinit(d, v);
	uint32_t cfg = (uint32_t)(DRV_FIELD_PREP(VINTF_VMID, vmid) |
				  (hyp_own ? VINTF_HYP_OWN : 0));
	drv_wr32(d, CV, cfg_off, cfg);
	snprintf(who, sizeof(who), "VINTF%u", v);
	if (write_config(d, cfg_off, TEGRA241_VINTF(v) + TEGRA241_VINTF_STATUS,
			 cfg | (uint32_t)VINTF_EN, who))
		return -1;
	/* HYP_OWN as the hardware reports it (a guest reads 0). */
	vi->hyp_own = drv_rd32(d, CV, cfg_off) & VINTF_HYP_OWN;
	vi->vmid = vmid;
	vi->enabled = true;

	/* Kernel-owned LVCMDQs: map ascending and bring up. */
	if (v == 0) {
		for (unsigned l = 0; l < vi->nlvcmdq; l++) {
			vcmdq_alloc_set(d, &vi->lvcmdq[l], true);
			vi->lvcmdq[l].guest_only = !vi->hyp_own;
			if (vcmdq_hw_init(d, &vi->lvcmdq[l])) {
				drv_vintf_deinit(d, v);
				return -1;
			}
		}
	}
	return 0;
}

static int drv_cmdqv_reset(struct drv *d)
{
	uint32_t config = drv_rd32(d, CV, TEGRA241_CMDQV_CONFIG);

	/* CONFIG.CMDQV_EN off, then on, keeping the other bits
	 * (tegra241-cmdqv.c: tegra241_cmdqv_hw_reset()). */
	if (write_config(d, TEGRA241_CMDQV_CONFIG, TEGRA241_CMDQV_STATUS,
			 config & ~(uint32_t)CMDQV_EN, "CMDQV"))
		return -1;
	if (write_config(d, TEGRA241_CMDQV_CONFIG, TEGRA241_CMDQV_STATUS,
			 config | (uint32_t)CMDQV_EN, "CMDQV"))
		return -1;

	/* Static CMDQ_ALLOC: q = v*N + l -> (VINTF v, LVCMDQ l), not yet allocated. */
	for (unsigned v = 0; v < d->num_vintfs; v++)
		for (unsigned l = 0; l < d->num_lvcmdqs_per_vintf; l++)
			drv_wr32(d, CV,
				 TEGRA241_CMDQV_CMDQ_ALLOC(
					 v * d->num_lvcmdqs_per_vintf + l),
				 (uint32_t)(DRV_FIELD_PREP(
						    CMDQV_CMDQ_ALLOC_VINTF, v) |
					    DRV_FIELD_PREP(
						    CMDQV_CMDQ_ALLOC_LVCMDQ,
						    l)));
	return vintf_hw_init(d, 0, true, 0);
}

int drv_vintf_guest_init(struct drv *d, unsigned v, uint16_t vmid,
			 unsigned nlvcmdq, const uint32_t *vsid,
			 const uint32_t *psid, unsigned nsids)
{
	struct drv_vintf *vi;
	if (!d->has_cmdqv || v == 0 || v >= DRV_MAX_VINTF ||
	    v >= d->num_vintfs || nlvcmdq > d->num_lvcmdqs_per_vintf ||
	    nsids > d->num_sids) {
		drv_log(d, "guest VINTF: bad arguments");
		return -1;
	}
	vi = &d->vintf[v];
	/* a user-owned VINTF starts with no LVCMDQs (tegra241-cmdqv.c:
	 * tegra241_vintf_hw_init()) */
	vi->nlvcmdq = 0;
	if (vintf_hw_init(d, v, false, vmid))
		return -1;

	/* IOMMU_VDEVICE_ALLOC: vSID -> pSID pairs (docs/cmdqv-reference.md
	 * section 4; tegra241-cmdqv.c: tegra241_vintf_init_vsid()). */
	for (unsigned s = 0; s < nsids; s++) {
		drv_wr32(d, CV,
			 TEGRA241_VINTF(v) + TEGRA241_VINTF_SID_REPLACE(s),
			 psid[s]);
		drv_wr32(d, CV, TEGRA241_VINTF(v) + TEGRA241_VINTF_SID_MATCH(s),
			 (vsid[s] << 1) | 1u);
	}

	/* IOMMU_HW_QUEUE_ALLOC, ascending: map, BASE from the host; then the
         * guest enables the queue through its VINTF page 0 (tegra241-cmdqv.c:
         * tegra241_vcmdq_hw_init(), tegra241_vcmdq_hw_deinit();
         * docs/cmdqv-reference.md section 7.8). */
	unsigned log2 = (unsigned)DRV_FIELD_GET(IDR1_CMDQS, d->idr1);
	if (log2 > d->opts.cmdq_max_log2)
		log2 = d->opts.cmdq_max_log2;
	for (unsigned l = 0; l < nlvcmdq; l++) {
		struct drv_cmdq *q = &vi->lvcmdq[l];
		if (drv_cmdq_alloc(d, q, log2))
			return -1;
		lvcmdq_setup(d, v, l, q);
		q->guest_only = !vi->hyp_own;
		vi->nlvcmdq = l + 1;
		vcmdq_alloc_set(d, q, true);
		/* vcmdq_hw_init_user: registers reset first (Linux patch Msg-ID
		 * 20260129224341.1594785-1-nicolinc@nvidia.com), then BASE */
		drv_wr32(d, CV, q->prod_off, 0);
		drv_wr32(d, CV, q->cons_off, 0);
		drv_wr64(d, CV, page1(q) + TEGRA241_VCMDQ_BASE, q->q_base);
		if (write_config(d, q->page0 + TEGRA241_VCMDQ_CONFIG,
				 q->page0 + TEGRA241_VCMDQ_STATUS, VCMDQ_EN,
				 q->name)) {
			drv_vintf_deinit(d, v);
			return -1;
		}
		q->enabled = true;
	}
	return 0;
}

int drv_shutdown(struct drv *d)
{
	int rc = 0;
	if (d->has_cmdqv) {
		for (unsigned v = DRV_MAX_VINTF; v-- > 0;)
			if (d->vintf[v].enabled && drv_vintf_deinit(d, v))
				rc = -1;
		uint32_t config = drv_rd32(d, CV, TEGRA241_CMDQV_CONFIG);
		if (write_config(d, TEGRA241_CMDQV_CONFIG,
				 TEGRA241_CMDQV_STATUS,
				 config & ~(uint32_t)CMDQV_EN, "CMDQV"))
			rc = -1;
	}
	/* arm_smmu_device_disable */
	drv_wr32(d, CMDQV_SPACE_SMMU, ARM_SMMU_CR0, 0);
	if (drv_poll_reg(d, CMDQV_SPACE_SMMU, ARM_SMMU_CR0ACK, 0xFFFFFFFFu, 0))
		rc = -1;
	return rc;
}

/* ---- queue choice (tegra241-cmdqv.c: tegra241_cmdqv_get_cmdq()) ---- */

static struct drv_cmdq *drv_cmdqv_get_cmdq(struct drv *d, unsigned vintf,
					   uint8_t opcode)
{
	if (d->opts.bypass_vcmdq || vintf >= DRV_MAX_VINTF)
		return NULL;
	struct drv_vintf *vi = &d->vintf[vintf];
	if (!vi->enabled || vi->nlvcmdq == 0)
		return NULL;
	struct drv_cmdq *q = &vi->lvcmdq[d->hal->cpu(d->ctx) % vi->nlvcmdq];
	if (!q->enabled || !drv_supports(q, opcode))
		return NULL;
	return q;
}

/* ---- the CMDQ-V interrupt (tegra241-cmdqv.c: tegra241_cmdqv_isr()) ---- */

static void drv_cmdqv_handler(struct drv *d)
{
	uint64_t vintf_map =
		drv_rd32(d, CV, TEGRA241_CMDQV_VINTF_ERR_MAP) |
		(uint64_t)drv_rd32(d, CV, TEGRA241_CMDQV_VINTF_ERR_MAP + 4)
			<< 32;
	uint32_t cmdq_map[4];
	char m[160];

	for (int i = 3; i >= 0; i--)
		cmdq_map[i] = drv_rd32(d, CV, TEGRA241_CMDQV_CMDQ_ERR_MAP(i));
	snprintf(
		m, sizeof(m),
		"unexpected error reported. vintf_map: %016llx, vcmdq_map %08x:%08x:%08x:%08x",
		(unsigned long long)vintf_map, cmdq_map[3], cmdq_map[2],
		cmdq_map[1], cmdq_map[0]);
	drv_log(d, m);
	if (!vintf_map)
		return;
	d->errs.cmdqv_irqs++;

	/* VINTF0 by the host; a guest VINTF's queue by its guest driver, which
         * recovers the same way after the VMM forwards the vEVENT. */
	for (unsigned v = 0; v < DRV_MAX_VINTF && v < d->num_vintfs; v++) {
		struct drv_vintf *vi = &d->vintf[v];
		if (!(vintf_map & (1ull << v)) || !vi->enabled)
			continue;
		for (unsigned w = 0; w < 2; w++) {
			uint64_t map = drv_rd64(
				d, CV,
				TEGRA241_VINTF(v) +
					TEGRA241_VINTF_LVCMDQ_ERR_MAP_64(w));
			for (unsigned b = 0; b < 64; b++) {
				unsigned l = w * 64 + b;
				if (!(map & (1ull << b)) || l >= vi->nlvcmdq)
					continue;
				struct drv_cmdq *q = &vi->lvcmdq[l];
				uint32_t gerror = drv_rd32(
					d, CV,
					q->page0 + TEGRA241_VCMDQ_GERROR);
				drv_cmdq_skip_err(d, q);
				drv_wr32(d, CV,
					 q->page0 + TEGRA241_VCMDQ_GERRORN,
					 gerror);
			}
		}
	}
}

static const struct drv_impl_ops drv_cmdqv_impl_ops = {
	.device_reset = drv_cmdqv_reset,
	.get_secondary_cmdq = drv_cmdqv_get_cmdq,
	.irq_line = CMDQV_IRQ_CMDQV,
	.irq_handler = drv_cmdqv_handler,
};

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * drv_tests.c - driver-level tests (drv_tests.h): the reference driver
 * brings the platform up as Linux does, submits invalidations on the queue
 * Linux would pick, and recovers from each command error; the checks look
 * at registers (through the HAL) and at the model's caches.
 */
#include "drv_tests.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cmdqv_sim/status.h"
#include "drv_regs.h"
#include "hal_native.h"
#include "tb_harness.h" /* tb_cmd_* command builders */

#define CV CMDQV_SPACE_CMDQV

static bool fail(struct drv_test_result *r, const char *fmt, ...)
{
	va_list ap;
	if (!r->pass)
		return false;
	r->pass = false;
	va_start(ap, fmt);
	vsnprintf(r->msg, sizeof(r->msg), fmt, ap);
	va_end(ap);
	return false;
}

#define CHECK(cond, ...)                        \
	do {                                    \
		if (!(cond)) {                  \
			fail(res, __VA_ARGS__); \
			return;                 \
		}                               \
	} while (0)

static void obs(struct drv_test_result *r, uint64_t v)
{
	if (r->nvalues < DRV_TEST_MAX_OBS)
		r->values[r->nvalues++] = v;
}

static void mark(const struct drv_env *env, struct drv_test_result *r)
{
	if (r->ntimes < DRV_TEST_MAX_OBS)
		r->times[r->ntimes++] = env->hal->now(env->ctx);
}

/* Probe + reset, as every test starts. */
static bool bring_up(const struct drv_env *env, struct drv *d,
		     struct drv_test_result *res)
{
	if (drv_smmu_probe(d, env->hal, env->ctx, NULL))
		return fail(res, "SMMU probe: %s", d->log);
	if (drv_cmdqv_probe(d))
		return fail(res, "CMDQ-V probe: %s", d->log);
	if (drv_device_reset(d))
		return fail(res, "device reset: %s", d->log);
	return true;
}

/*
 * DRV_TEST_UP(t_name) { ... } - a test that starts, as most do, on a
 * driver probed and reset on @env by bring_up(); the body has @env, the
 * driver @d and @res.
 */
#define DRV_TEST_UP(name)                                               \
	static void name##_up(const struct drv_env *env, struct drv *d, \
			      struct drv_test_result *res);             \
	static void name(const struct drv_env *env,                     \
			 struct drv_test_result *res)                   \
	{                                                               \
		struct drv d;                                           \
		if (bring_up(env, &d, res))                             \
			name##_up(env, &d, res);                        \
	}                                                               \
	static void name##_up(const struct drv_env *env, struct drv *d, \
			      struct drv_test_result *res)

/* Hardware state of a queue as an observer sees it (model introspection). */
static struct cmdqv_queue_state queue_state(const struct drv_env *env,
					    int vcmdq)
{
	struct cmdqv_queue_state s;
	cmdqv_queue_get(env->model(env->ctx), (size_t)(vcmdq + 1), &s);
	return s;
}

/* ---- reset: SMMU reset + CMDQ-V reset + VINTF0 bring-up ---- */

DRV_TEST_UP(t_reset)
{
	mark(env, res);
	uint32_t ack =
		env->hal->read32(env->ctx, CMDQV_SPACE_SMMU, ARM_SMMU_CR0ACK);
	obs(res, ack);
	CHECK(ack == (CR0_SMMUEN | CR0_CMDQEN | CR0_EVTQEN),
	      "CR0ACK 0x%x after reset", ack);
	uint32_t st = env->hal->read32(env->ctx, CV, TEGRA241_CMDQV_STATUS);
	CHECK(st & CMDQV_ENABLED, "CMDQ-V STATUS 0x%x after reset", st);
	st = env->hal->read32(env->ctx, CV,
			      TEGRA241_VINTF(0) + TEGRA241_VINTF_STATUS);
	CHECK(st & VINTF_ENABLED, "VINTF0 STATUS 0x%x", st);
	CHECK(d->vintf[0].hyp_own, "VINTF0 not hypervisor-owned");
	for (unsigned l = 0; l < d->vintf[0].nlvcmdq; l++) {
		const struct drv_cmdq *q = &d->vintf[0].lvcmdq[l];
		st = env->hal->read32(env->ctx, CV,
				      q->page0 + TEGRA241_VCMDQ_STATUS);
		CHECK(st & VCMDQ_ENABLED, "%s STATUS 0x%x", q->name, st);
		uint32_t alloc = env->hal->read32(
			env->ctx, CV, TEGRA241_CMDQV_CMDQ_ALLOC(q->vcmdq));
		obs(res, alloc);
		CHECK(alloc == (DRV_FIELD_PREP(CMDQV_CMDQ_ALLOC_LVCMDQ, l) |
				CMDQV_CMDQ_ALLOCATED),
		      "CMDQ_ALLOC(%d) 0x%x", q->vcmdq, alloc);
	}
	/* CFGI_ALL, TLBI_EL2_ALL, TLBI_NSNH_ALL and one flush SYNC per LVCMDQ
         * deinit were consumed: CONS caught up with PROD. */
	uint32_t cons = env->hal->read32(env->ctx, CMDQV_SPACE_SMMU,
					 ARM_SMMU_CMDQ_CONS);
	obs(res, d->cmdq.prod);
	obs(res, cons);
	CHECK((cons & ring_pos_mask(d->cmdq.ring)) == d->cmdq.prod,
	      "SMMU CMDQ CONS 0x%x, PROD 0x%x", cons, d->cmdq.prod);
	CHECK(d->cmdq.prod >= 6, "only %u commands issued during reset",
	      d->cmdq.prod);
}

/* ---- host invalidations on LVCMDQ cpu % N ---- */

DRV_TEST_UP(t_host_tlbi)
{
	struct cmdqv_model *m = env->model(env->ctx);
	cmdqv_tlb_add(m, CMDQV_TLB_NH, 0, 1, 0x100000, 32);
	unsigned n = d->vintf[0].nlvcmdq;
	CHECK(n >= 2, "need 2 LVCMDQs, have %u", n);

	for (unsigned cpu = 0; cpu < 2; cpu++) {
		struct cmd c[8];
		env->set_cpu(env->ctx, cpu);
		for (unsigned i = 0; i < 8; i++)
			c[i] = tb_cmd_tlbi_nh_va(
				0, 1,
				0x100000 + (uint64_t)(cpu * 8 + i) * 0x1000);
		struct drv_cmdq *q = drv_get_cmdq(d, 0, CMDQ_OP_TLBI_NH_VA);
		CHECK(q == &d->vintf[0].lvcmdq[cpu % n], "CPU%u got %s", cpu,
		      q->name);
		CHECK(drv_issue_batch(d, 0, c, 8) == 0, "issue: %s", d->log);
		mark(env, res);
	}
	m = env->model(env->ctx);
	for (unsigned p = 0; p < 32; p++) {
		bool present = cmdqv_tlb_present(m, CMDQV_TLB_NH, 0, 1,
						 0x100000 + p * 0x1000);
		CHECK(present == (p >= 16),
		      "page %u present=%d after the TLBIs", p, present);
	}
	for (unsigned l = 0; l < 2; l++) {
		struct cmdqv_queue_state s =
			queue_state(env, d->vintf[0].lvcmdq[l].vcmdq);
		obs(res, s.cons);
		CHECK(s.cons == 9 && s.used == 0, "%s CONS %u used %u",
		      d->vintf[0].lvcmdq[l].name, s.cons, s.used);
	}

	/* 70 commands: 64 published without SYNC, then 6 + SYNC. */
	struct cmd many[70];
	env->set_cpu(env->ctx, 0);
	for (unsigned i = 0; i < 70; i++)
		many[i] = tb_cmd_tlbi_nh_va(0, 1,
					    0x200000 + (uint64_t)i * 0x1000);
	CHECK(drv_issue_batch(d, 0, many, 70) == 0, "issue 70: %s", d->log);
	mark(env, res);
	struct cmdqv_queue_state s =
		queue_state(env, d->vintf[0].lvcmdq[0].vcmdq);
	obs(res, s.cons);
	CHECK(s.cons == 9 + 71, "LVCMDQ0 CONS %u after a 70-command batch",
	      s.cons);
	obs(res, d->vintf[0].lvcmdq[0].issued);
	CHECK(d->vintf[0].lvcmdq[0].issued == 3, "LVCMDQ0 published %llu lists",
	      (unsigned long long)d->vintf[0].lvcmdq[0].issued);
}

/* ---- strict unmap: range TLBIs, then ATC_INV after the TLBIs completed ---- */

DRV_TEST_UP(t_unmap_strict)
{
	CHECK(d->ril, "IDR3.RIL is 0 on the default platform");
	const uint64_t iova = 0x40000000; /* 64-page aligned */
	const uint32_t sid = 0x50;
	struct cmdqv_model *m = env->model(env->ctx);
	cmdqv_tlb_add(m, CMDQV_TLB_NH, 0, 9, iova, 40);
	cmdqv_tlb_add(m, CMDQV_TLB_NH, 0, 9, iova + 64 * 0x1000, 1);
	cmdqv_atc_add(m, sid, iova, 40);
	cmdqv_atc_add(m, sid, iova + 64 * 0x1000, 1);

	env->set_cpu(env->ctx, 0);
	CHECK(drv_unmap_inv(d, 0, 0, 9, iova, 37 * 0x1000, &sid, 1) == 0,
	      "unmap: %s", d->log);
	mark(env, res);
	m = env->model(env->ctx);
	for (unsigned p = 0; p < 40; p++) {
		bool present = cmdqv_tlb_present(m, CMDQV_TLB_NH, 0, 9,
						 iova + p * 0x1000ull);
		CHECK(present == (p >= 37), "TLB page %u present=%d", p,
		      present);
	}
	/* 37 pages = 5 + 32: two range TLBIs + SYNC, then ATC_INV + SYNC */
	struct cmdqv_queue_state s =
		queue_state(env, d->vintf[0].lvcmdq[0].vcmdq);
	obs(res, s.cons);
	CHECK(s.cons == 5, "LVCMDQ0 consumed %u entries, want 5", s.cons);
	/* ATS span: pages 0..36 -> the aligned 64-page window (over-invalidation) */
	obs(res, cmdqv_atc_count(m, sid));
	CHECK(cmdqv_atc_count(m, sid) == 1 &&
		      cmdqv_atc_present(m, sid, iova + 64 * 0x1000),
	      "ATC holds %zu pages; want only the page outside the 64-page window",
	      cmdqv_atc_count(m, sid));
	CHECK(cmdqv_tlb_present(m, CMDQV_TLB_NH, 0, 9, iova + 64 * 0x1000),
	      "TLB page outside the range removed");
}

/* ---- a guest VINTF: VMID forced, vSID replaced, unsupported -> SMMU CMDQ ---- */

DRV_TEST_UP(t_guest_vintf)
{
	uint32_t vsid = 0x10, psid = 0x200;
	CHECK(drv_vintf_guest_init(d, 1, 5, 2, &vsid, &psid, 1) == 0,
	      "guest init: %s", d->log);
	mark(env, res);
	uint32_t cfg = env->hal->read32(
		env->ctx, CV, TEGRA241_VINTF(1) + TEGRA241_VINTF_CONFIG);
	obs(res, cfg);
	CHECK(cfg == (VINTF_EN | DRV_FIELD_PREP(VINTF_VMID, 5)),
	      "VINTF1 CONFIG 0x%x", cfg);
	CHECK(!d->vintf[1].hyp_own && d->vintf[1].lvcmdq[0].guest_only,
	      "guest queue not guest-owned");

	struct cmdqv_model *m = env->model(env->ctx);
	cmdqv_tlb_add(m, CMDQV_TLB_NH, 5, 3, 0x400000, 4);
	cmdqv_tlb_add(m, CMDQV_TLB_NH, 0, 3, 0x400000,
		      4); /* host VMID 0: must survive */
	cmdqv_atc_add(m, psid, 0x400000, 4);
	cmdqv_atc_add(m, vsid, 0x400000,
		      4); /* a device with the virtual SID: must survive */

	uint64_t smmu_before = d->cmdq.issued;
	struct cmd c[3];
	c[0] = tb_cmd_tlbi_nh_va(
		0, 3, 0x400000); /* guest puts VMID 0; hardware forces 5 */
	c[1] = tb_cmd_atc_inv(vsid, 0x400000, 0);
	memset(&c[2], 0, sizeof(c[2]));
	c[2].opcode = CMDQ_OP_CFGI_CD_ALL; /* not on the allowlist */
	c[2].sid = vsid;
	env->set_cpu(env->ctx, 1);
	CHECK(drv_issue_batch(d, 1, c, 3) == 0, "guest batch: %s", d->log);
	mark(env, res);

	m = env->model(env->ctx);
	CHECK(!cmdqv_tlb_present(m, CMDQV_TLB_NH, 5, 3, 0x400000),
	      "VMID 5 entry survived");
	CHECK(cmdqv_tlb_present(m, CMDQV_TLB_NH, 0, 3, 0x400000),
	      "host VMID 0 entry removed");
	CHECK(!cmdqv_atc_present(m, psid, 0x400000), "pSID ATC entry survived");
	CHECK(cmdqv_atc_present(m, vsid, 0x400000),
	      "vSID device was invalidated");
	obs(res, cmdqv_atc_count(m, psid));
	struct cmdqv_queue_state s =
		queue_state(env, d->vintf[1].lvcmdq[1].vcmdq);
	obs(res, s.cons);
	CHECK(s.cons == 3 && !s.error, "guest LVCMDQ1 CONS %u error %d", s.cons,
	      s.error);
	obs(res, d->cmdq.issued - smmu_before);
	CHECK(d->cmdq.issued - smmu_before == 1,
	      "CFGI_CD_ALL not sent to the SMMU CMDQ");
}

/* ---- CERROR_ILL: the entry is overwritten with a CMD_SYNC ---- */

DRV_TEST_UP(t_recover_ill)
{
	struct cmd bad;
	memset(&bad, 0, sizeof(bad));
	bad.opcode = 0x7F; /* reserved opcode (IHI 0070 4.1.3) */

	/* On LVCMDQ0 (through the CMD-QV interrupt), then the same on the
	 * SMMU CMDQ through GERROR. */
	struct drv_cmdq *q = &d->vintf[0].lvcmdq[0];
	const struct {
		struct drv_cmdq *q;
		const uint64_t *irqs;
		const char *name, *irq;
	} on[] = { { q, &d->errs.cmdqv_irqs, "LVCMDQ0", "irqs" },
		   { &d->cmdq, &d->errs.gerror_irqs, "SMMU CMDQ", "gerror" } };
	for (unsigned i = 0; i < 2; i++) {
		CHECK(drv_issue_cmdlist(d, on[i].q, &bad, 1, true) == 0,
		      "%s: %s", on[i].name, d->log);
		mark(env, res);
		obs(res, d->errs.ill);
		obs(res, *on[i].irqs);
		CHECK(d->errs.ill == i + 1 && *on[i].irqs >= 1,
		      "ILL on %s: ill=%llu %s=%llu", on[i].name,
		      (unsigned long long)d->errs.ill, on[i].irq,
		      (unsigned long long)*on[i].irqs);
		if (on[i].q != q)
			continue;
		uint32_t gerror = env->hal->read32(
			env->ctx, CV, q->page0 + TEGRA241_VCMDQ_GERROR);
		uint32_t gerrorn = env->hal->read32(
			env->ctx, CV, q->page0 + TEGRA241_VCMDQ_GERRORN);
		CHECK(gerror == gerrorn, "LVCMDQ0 error still active");
	}
	/* Both queues still work. */
	struct cmd ok = tb_cmd_tlbi_nh_va(0, 1, 0x1000);
	CHECK(drv_issue_cmdlist(d, q, &ok, 1, true) == 0,
	      "LVCMDQ0 after recovery: %s", d->log);
	CHECK(drv_issue_cmdlist(d, &d->cmdq, &ok, 1, true) == 0,
	      "SMMU CMDQ after: %s", d->log);
	mark(env, res);
}

/* ---- CERROR_ABT: fetch retried after the cause is fixed ---- */

/**
 * struct recover_ctx - a recovery test's error hook: the CERROR it waits
 * for (@cerror), how often it came (@seen), and @fix, which removes its
 * cause (the silent endpoint @sid, where there is one) so the retry works.
 */
struct recover_ctx {
	const struct drv_env *env;
	unsigned cerror;
	uint32_t sid;
	void (*fix)(struct recover_ctx *r);
	unsigned seen;
};

static void recover_hook(void *arg, const struct drv_cmdq *q, unsigned cerror)
{
	struct recover_ctx *r = arg;
	(void)q;
	if (cerror == r->cerror) {
		r->seen++;
		r->fix(r);
	}
}

static void abt_fix(struct recover_ctx *r)
{
	tb_mem_clear_faults(r->env->mem(r->env->ctx)); /* "fix" the memory */
}

DRV_TEST_UP(t_recover_abt)
{
	struct recover_ctx a = { env, CMDQ_ERR_CERROR_ABT_IDX, 0, abt_fix, 0 };
	d->on_error = recover_hook;
	d->on_error_arg = &a;
	struct drv_cmdq *q = &d->vintf[0].lvcmdq[1];
	CHECK(tb_mem_add_fault(env->mem(env->ctx), q->base,
			       16ull << q->ring.log2size) == 0,
	      "cannot add a fault range");
	struct cmd c = tb_cmd_tlbi_nh_va(0, 1, 0x3000);
	CHECK(drv_issue_cmdlist(d, q, &c, 1, true) == 0, "LVCMDQ1: %s", d->log);
	mark(env, res);
	obs(res, d->errs.abt);
	obs(res, a.seen);
	CHECK(d->errs.abt == 1 && a.seen == 1, "abt=%llu hook=%u",
	      (unsigned long long)d->errs.abt, a.seen);
	struct cmdqv_queue_state s = queue_state(env, q->vcmdq);
	obs(res, s.cons);
	CHECK(s.cons == 2 && !s.error, "LVCMDQ1 CONS %u error %d", s.cons,
	      s.error);
}

/* ---- CERROR_ATC_INV_SYNC: SYNC re-run, invalidation re-issued ---- */

static void cfg_short_atc_timeout(struct cmdqv_config *cfg)
{
	cfg->atc_timeout =
		SIM_US(50); /* test setting: 1 minute is too long to poll */
}

static void atc_fix(struct recover_ctx *r)
{
	cmdqv_atc_set_silent(r->env->model(r->env->ctx), r->sid, false);
}

DRV_TEST_UP(t_recover_atc)
{
	struct recover_ctx a = { env, CMDQ_ERR_CERROR_ATC_INV_IDX, 0x300,
				 atc_fix, 0 };
	d->on_error = recover_hook;
	d->on_error_arg = &a;
	struct cmdqv_model *m = env->model(env->ctx);
	cmdqv_atc_add(m, a.sid, 0x500000, 1);
	cmdqv_atc_set_silent(m, a.sid, true);

	struct drv_cmdq *q = &d->vintf[0].lvcmdq[0];
	struct cmd c =
		tb_cmd_atc_inv(a.sid, 0x500000, 0); /* size 0: one 4 KiB page */
	CHECK(drv_issue_cmdlist(d, q, &c, 1, true) == 0, "LVCMDQ0: %s", d->log);
	mark(env, res);
	obs(res, d->errs.atc_timeout);
	CHECK(d->errs.atc_timeout >= 1 && a.seen >= 1,
	      "no ATC_INV_SYNC seen (%llu)",
	      (unsigned long long)d->errs.atc_timeout);
	/* The ATC cannot be trusted after a timeout: invalidate again. */
	CHECK(drv_issue_cmdlist(d, q, &c, 1, true) == 0, "re-issue: %s",
	      d->log);
	mark(env, res);
	m = env->model(env->ctx);
	obs(res, cmdqv_atc_count(m, a.sid));
	CHECK(cmdqv_atc_count(m, a.sid) == 0,
	      "ATC of SID 0x%x still holds %zu pages", a.sid,
	      cmdqv_atc_count(m, a.sid));
}

/* ---- teardown: descending unmap, VINTFs and CMDQ-V off, SMMU off ---- */

/*
 * A HAL wrapper that watches CMDQ_ALLOC writes and checks the hardware's
 * ordering rule as they happen (docs/cmdqv-reference.md section 3.1): LVCMDQ l
 * of a VINTF may be mapped only while every l' < l is mapped, and unmapped only
 * while every l' > l is unmapped.
 */
struct alloc_watch {
	const struct hal_ops *inner;
	void *ictx;
	unsigned per_vintf; /* LVCMDQs per VINTF (from PARAM) */
	bool mapped[128];
	unsigned maps, unmaps;
	char violation[128];
};

static struct alloc_watch *aw(void *ctx)
{
	return ctx;
}

static uint32_t aw_read32(void *ctx, enum cmdqv_space sp, uint64_t off)
{
	return aw(ctx)->inner->read32(aw(ctx)->ictx, sp, off);
}

static uint64_t aw_read64(void *ctx, enum cmdqv_space sp, uint64_t off)
{
	return aw(ctx)->inner->read64(aw(ctx)->ictx, sp, off);
}

static void aw_write32(void *ctx, enum cmdqv_space sp, uint64_t off, uint32_t v)
{
	struct alloc_watch *a = aw(ctx);
	uint64_t first = TEGRA241_CMDQV_CMDQ_ALLOC(0),
		 last = TEGRA241_CMDQV_CMDQ_ALLOC(127);
	if (sp == CV && off >= first && off <= last && a->per_vintf) {
		unsigned q = (unsigned)(off - first) / 4;
		unsigned vi =
			(unsigned)DRV_FIELD_GET(CMDQV_CMDQ_ALLOC_VINTF, v);
		unsigned l =
			(unsigned)DRV_FIELD_GET(CMDQV_CMDQ_ALLOC_LVCMDQ, v);
		bool now = v & CMDQV_CMDQ_ALLOCATED;
		if (q != vi * a->per_vintf + l && !a->violation[0])
			snprintf(
				a->violation, sizeof(a->violation),
				"CMDQ_ALLOC(%u) -> VINTF%u/LVCMDQ%u: not the static layout",
				q, vi, l);
		if (l >= a->per_vintf || q < l) {
			/* outside the layout: already reported */
		} else if (now && !a->mapped[q]) {
			a->maps++;
			for (unsigned k = 0; k < l; k++)
				if (!a->mapped[q - l + k] && !a->violation[0])
					snprintf(
						a->violation,
						sizeof(a->violation),
						"LVCMDQ%u mapped before LVCMDQ%u",
						l, k);
		} else if (!now && a->mapped[q]) {
			a->unmaps++;
			for (unsigned k = l + 1; k < a->per_vintf; k++)
				if (a->mapped[q - l + k] && !a->violation[0])
					snprintf(
						a->violation,
						sizeof(a->violation),
						"LVCMDQ%u unmapped before LVCMDQ%u",
						l, k);
		}
		a->mapped[q] = now;
	}
	a->inner->write32(a->ictx, sp, off, v);
}

static void aw_write64(void *ctx, enum cmdqv_space sp, uint64_t off, uint64_t v)
{
	aw(ctx)->inner->write64(aw(ctx)->ictx, sp, off, v);
}

static void aw_delay(void *ctx, sim_time_t ps)
{
	aw(ctx)->inner->delay(aw(ctx)->ictx, ps);
}

static sim_time_t aw_now(void *ctx)
{
	return aw(ctx)->inner->now(aw(ctx)->ictx);
}

static uint64_t aw_dma_alloc(void *ctx, uint64_t size, uint64_t align)
{
	return aw(ctx)->inner->dma_alloc(aw(ctx)->ictx, size, align);
}

static void aw_mem_write(void *ctx, uint64_t addr, const void *buf, size_t len)
{
	aw(ctx)->inner->mem_write(aw(ctx)->ictx, addr, buf, len);
}

static void aw_mem_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	aw(ctx)->inner->mem_read(aw(ctx)->ictx, addr, buf, len);
}

static bool aw_irq_wait(void *ctx, enum cmdqv_irq line, sim_time_t timeout)
{
	return aw(ctx)->inner->irq_wait(aw(ctx)->ictx, line, timeout);
}

static unsigned aw_cpu(void *ctx)
{
	return aw(ctx)->inner->cpu(aw(ctx)->ictx);
}

static const struct hal_ops alloc_watch_ops = {
	aw_read32,    aw_read64,    aw_write32,	 aw_write64,  aw_delay, aw_now,
	aw_dma_alloc, aw_mem_write, aw_mem_read, aw_irq_wait, aw_cpu,
};

static void t_teardown(const struct drv_env *env, struct drv_test_result *res)
{
	struct drv d;
	struct alloc_watch a;
	memset(&a, 0, sizeof(a));
	a.inner = env->hal;
	a.ictx = env->ctx;
	uint32_t param = env->hal->read32(env->ctx, CV, TEGRA241_CMDQV_PARAM);
	a.per_vintf = (1u << DRV_FIELD_GET(CMDQV_NUM_VCMDQ_LOG2, param)) >>
		      DRV_FIELD_GET(CMDQV_NUM_VINTF_LOG2, param);
	struct drv_env wenv = *env;
	wenv.hal = &alloc_watch_ops;
	wenv.ctx = &a;
	if (!bring_up(&wenv, &d, res))
		return;
	uint32_t vsid = 0x20, psid = 0x400;
	CHECK(drv_vintf_guest_init(&d, 1, 7, 2, &vsid, &psid, 1) == 0,
	      "guest init: %s", d.log);
	CHECK(drv_shutdown(&d) == 0, "shutdown: %s", d.log);
	mark(env, res);
	obs(res, a.maps);
	obs(res, a.unmaps);
	CHECK(a.violation[0] == 0, "CMDQ_ALLOC order: %s", a.violation);
	CHECK(a.maps == 4 && a.unmaps == 4, "%u maps, %u unmaps (want 4 and 4)",
	      a.maps, a.unmaps);
	for (unsigned v = 0; v < 2; v++)
		for (unsigned l = 0; l < d.num_lvcmdqs_per_vintf; l++) {
			unsigned q = v * d.num_lvcmdqs_per_vintf + l;
			uint32_t alloc = env->hal->read32(
				env->ctx, CV, TEGRA241_CMDQV_CMDQ_ALLOC(q));
			CHECK(!(alloc & CMDQV_CMDQ_ALLOCATED),
			      "CMDQ_ALLOC(%u) 0x%x", q, alloc);
		}
	uint32_t st = env->hal->read32(
		env->ctx, CV, TEGRA241_VINTF(1) + TEGRA241_VINTF_STATUS);
	CHECK(!(st & VINTF_ENABLED), "VINTF1 STATUS 0x%x", st);
	uint32_t m0 = env->hal->read32(
		env->ctx, CV, TEGRA241_VINTF(1) + TEGRA241_VINTF_SID_MATCH(0));
	CHECK(m0 == 0, "SID_MATCH(0) 0x%x", m0);
	st = env->hal->read32(env->ctx, CV, TEGRA241_CMDQV_STATUS);
	CHECK(!(st & CMDQV_ENABLED), "CMDQ-V STATUS 0x%x", st);
	uint32_t ack =
		env->hal->read32(env->ctx, CMDQV_SPACE_SMMU, ARM_SMMU_CR0ACK);
	obs(res, ack);
	CHECK(ack == 0, "CR0ACK 0x%x", ack);
}

static const struct drv_test tests[] = {
	{ "reset", NULL, t_reset },
	{ "host_tlbi", NULL, t_host_tlbi },
	{ "unmap_strict", NULL, t_unmap_strict },
	{ "guest_vintf", NULL, t_guest_vintf },
	{ "recover_ill", NULL, t_recover_ill },
	{ "recover_abt", NULL, t_recover_abt },
	{ "recover_atc", cfg_short_atc_timeout, t_recover_atc },
	{ "teardown", NULL, t_teardown },
};

size_t drv_test_count(void)
{
	return sizeof(tests) / sizeof(tests[0]);
}

const struct drv_test *drv_test_get(size_t i)
{
	return i < drv_test_count() ? &tests[i] : NULL;
}

const struct drv_test *drv_test_find(const char *name)
{
	for (size_t i = 0; i < drv_test_count(); i++)
		if (!strcmp(tests[i].name, name))
			return &tests[i];
	return NULL;
}

void drv_test_config(const struct drv_test *t, struct cmdqv_config *cfg)
{
	cmdqv_config_defaults(cfg);
	if (t->config)
		t->config(cfg);
}

/* ---- native environment ---- */

static struct cmdqv_model *nat_model(void *ctx)
{
	struct hal_native *h = ctx;
	hal_native_settle(h);
	return h->model;
}

static struct tb_mem *nat_mem(void *ctx)
{
	return &((struct hal_native *)ctx)->mem;
}

static void nat_set_cpu(void *ctx, unsigned cpu)
{
	((struct hal_native *)ctx)->cpu = cpu;
}

void drv_test_run_native(const struct drv_test *t, struct drv_test_result *res)
{
	struct cmdqv_config cfg;
	struct hal_native h;
	char err[256];

	memset(res, 0, sizeof(*res));
	res->pass = true;
	drv_test_config(t, &cfg);
	if (hal_native_init(&h, &cfg, err, sizeof(err)) != CMDQV_OK) {
		fail(res, "native platform: %s", err);
		return;
	}
	struct drv_env env = { &hal_native_ops, &h, nat_model, nat_mem,
			       nat_set_cpu };
	t->run(&env, res);
	hal_native_deinit(&h);
}

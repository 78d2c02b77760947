/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * wl_run.c - one workload point (paths.h): check the inputs, build the model
 * and its memory, bring the queues up through register writes the way Linux
 * does, create the actors (wl_actor.c), run the event loop, and summarise.
 *
 * Everything is allocated here, before the first event; the actors and the
 * model do not allocate per unmap or per command.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdqv_sim/regmap.h"
#include "cmdqv_sim/status.h"
#include "tb_bringup.h"
#include "tb_util.h"
#include "wl_int.h"

/* ---- register map: cmdqv_sim/regmap.h ---- */

/* ---- memory layout (host physical, tb_mem) ---- */
#define WL_MEM_STRTAB 0x30000000ull
#define WL_MEM_HOSTQ 0x40000000ull
#define WL_MEM_VCMDQ 0x80000000ull
#define WL_MEM_GUESTQ 0x100000000ull
#define WL_STRTAB_LOG2 8

/* ---- ids ---- */
#define WL_GUEST_VSID 0x8u /* the benchmark device as each guest sees it */
#define WL_PSID_BASE 0x100u /* its physical StreamID: WL_PSID_BASE + vm */

/* The ring every queue of the point has (path_params queue_log2size). */
static struct ring wl_ring(const struct wl_ctx *c)
{
	return (struct ring){ .log2size = (uint8_t)c->sw->queue_log2size };
}

/* ---- host callbacks ---- */

static int wl_host_mem_read(void *ctx, uint64_t addr, void *buf, uint32_t len)
{
	struct wl_ctx *c = ctx;

	return tb_mem_dma_read(&c->mem, addr, buf, len);
}

static int wl_host_mem_write(void *ctx, uint64_t addr, const void *buf,
			     uint32_t len)
{
	struct wl_ctx *c = ctx;
	int r = tb_mem_dma_write(&c->mem, addr, buf, len);

	if (r == 0 && c->hwqs)
		wl_msi_written(c, addr, len);
	return r;
}

static void wl_host_sev(void *ctx)
{
	struct wl_ctx *c = ctx;

	if (c->actors)
		wl_sev(c);
}

static void wl_host_trace(void *ctx, const struct cmdqv_trace_rec *rec)
{
	struct wl_ctx *c = ctx;

	if (c->hwqs)
		wl_trace_cmd(c, rec);
	if (c->obs && c->obs->trace)
		c->obs->trace(c->obs->ctx, rec);
}

/* ---- bring-up (the sequences: tb_bringup.h) ---- */

static void wl_hwq_init(struct wl_ctx *c, struct wl_hwq *q, const char *name,
			int32_t qid, enum cmdqv_space sp, uint64_t prod_off,
			uint64_t cons_off, uint64_t base, struct wl_slot *slots)
{
	snprintf(q->name, sizeof(q->name), "%s", name);
	q->qid = qid;
	q->space = sp;
	q->prod_off = prod_off;
	q->cons_off = cons_off;
	q->base = base;
	/* each queue its own Linux state: lock, llq, valid map
	 * (tegra241-cmdqv.c: tegra241_cmdqv_get_cmdq()) */
	wl_llq_init(&q->l, wl_ring(c).log2size,
		    c->valid_store +
			    (size_t)(q - c->hwqs) * ring_entries(wl_ring(c)));
	q->slots = slots;
	if (qid == CMDQV_QUEUE_SMMU) {
		/* arm_smmu_cmdq_build_sync_cmd: MSI polling if the SMMU has MSI and is
                 * coherent, else CS=SEV (IHI 0070 4.7.3; arm-smmu-v3.c:
                 * arm_smmu_cmdq_build_sync_cmd()) */
		q->msipoll = c->sw->host_msipoll && c->hw->msi &&
			     c->hw->coherent;
		q->sync_cs = q->msipoll ? CMD_SYNC_CS_IRQ : CMD_SYNC_CS_SEV;
	} else {
		/* VCMDQs accept only CS=NONE (docs/cmdqv-reference.md section
		 * 6) */
		q->msipoll = false;
		q->sync_cs = CMD_SYNC_CS_NONE;
	}
	if (qid >= 0)
		c->by_vcmdq[qid] = q;
}

static uint64_t wl_qbytes(const struct wl_ctx *c)
{
	return 16ull * ring_entries(wl_ring(c));
}

/* Zero queue memory once so that its pages exist before the first event. */
static int wl_touch(struct wl_ctx *c, uint64_t base, uint64_t bytes)
{
	for (uint64_t a = 0; a < bytes; a += 8)
		if (tb_mem_write64(&c->mem, base + a, 0))
			return -1;
	return 0;
}

/* SMMU reset sequence (arm_smmu_device_reset), CMDQ only + SMMUEN. */
static int wl_bringup_smmu(struct wl_ctx *c, char *err, size_t errlen)
{
	const struct tb_smmu_setup s = {
		.cmdq_base = WL_MEM_HOSTQ,
		.log2size = c->sw->queue_log2size,
		.strtab_base = WL_MEM_STRTAB,
		.strtab_cfg = WL_STRTAB_LOG2,
		.cr1 = TB_SMMU_CR1_LINUX,
		.smmuen = true,
	};

	return tb_bringup_smmu(c->m, &s, err, errlen);
}

/*
 * vintf_hw_init + HW_QUEUE_ALLOC + the guest's VCMDQ enable (tegra241-cmdqv.c:
 * tegra241_vintf_hw_init(), tegra241_vcmdq_hw_init(),
 * tegra241_vcmdq_hw_deinit(); iommufd.h: struct iommu_hw_queue_alloc): VINTF @v
 * with @vmid, owner, one SID pair, then LVCMDQs 0..@nq-1 mapped in ascending
 * order, based, enabled through the VINTF page. Fills @qs[0..nq-1].
 */
static int wl_bringup_vintf(struct wl_ctx *c, uint32_t v, uint16_t vmid,
			    bool hyp_own, uint32_t vsid, uint32_t psid,
			    uint32_t nq, struct wl_hwq *qs,
			    struct wl_slot *slots, char *err, size_t errlen)
{
	uint32_t per = c->hw->vcmdqs / c->hw->vintfs;
	char name[WL_TRACK_LEN];
	int r;

	if ((r = tb_bringup_vintf(c->m, v, vmid, hyp_own, err, errlen)))
		return r;
	if (!hyp_own &&
	    (r = tb_bringup_sid(c->m, v, 0, vsid, psid, err, errlen)))
		return r;
	for (uint32_t l = 0; l < nq; l++) {
		uint32_t q = v * per + l;
		uint64_t base = WL_MEM_VCMDQ + (uint64_t)q * wl_qbytes(c);
		uint64_t p0 = T241_VINTF_PAGE0(v, l);

		if (wl_touch(c, base, wl_qbytes(c))) {
			tb_errf(err, errlen, "out of memory for queue memory");
			return CMDQV_ENOMEM;
		}
		if ((r = tb_bringup_vcmdq(c->m, v, l, q, base,
					  c->sw->queue_log2size, true, err,
					  errlen)))
			return r;
		snprintf(name, sizeof(name), "VINTF%u/LVCMDQ%u", v, l);
		wl_hwq_init(c, &qs[l], name, (int32_t)q, CMDQV_SPACE_CMDQV,
			    p0 + T241_VCMDQ_PROD_INDX,
			    p0 + T241_VCMDQ_CONS_INDX, base,
			    slots + (size_t)l * ring_entries(wl_ring(c)));
	}
	return CMDQV_OK;
}

int wl_map_sid(struct wl_ctx *c, uint32_t v, uint32_t slot, uint32_t vsid,
	       uint32_t psid)
{
	char err[128];

	return tb_bringup_sid(c->m, v, slot, vsid, psid, err, sizeof(err));
}

/* ---- input checks ---- */

int wl_check(const struct cmdqv_config *hw, const struct path_params *sw,
	     const struct wl_point *pt, char *err, size_t errlen)
{
	int r;

	if ((r = wl_params_validate(sw, err, errlen)) != CMDQV_OK)
		return r;
	if ((r = cmdqv_config_validate(hw, err, errlen)) != CMDQV_OK)
		return r;
	if ((unsigned)pt->path >= WL_PATH_COUNT) {
		tb_errf(err, errlen, "path: unknown path %d", (int)pt->path);
		return CMDQV_EINVAL;
	}
	if (!pt->strict) {
		tb_errf(err, errlen,
			"strict: only strict mode (iommu.strict=1) is modelled");
		return CMDQV_EINVAL;
	}
	const struct tb_range range[] = {
		{ "threads", "", pt->threads, 1, 64 },
		{ "granule", " pages (dma_map_benchmark -g)", pt->granule_pages,
		  1, 1024 },
		{ "vms", "", pt->vms, 1, 63 },
		{ "iterations", "", pt->iterations, 1, 10000000 },
	};
	if ((r = tb_check_ranges(range, sizeof(range) / sizeof(range[0]),
				 CMDQV_EINVAL, err, errlen)))
		return r;
	if ((uint64_t)pt->vms * pt->threads * pt->iterations > 50000000ull) {
		tb_errf(err, errlen,
			"vms x threads x iterations: more than 50000000 samples");
		return CMDQV_EINVAL;
	}
	if (pt->path == WL_PATH_HOST && pt->vms != 1) {
		tb_errf(err, errlen,
			"vms: the host path has no VMs (use 1), got %u",
			pt->vms);
		return CMDQV_EINVAL;
	}
	if (pt->ats && !hw->ats) {
		tb_errf(err, errlen,
			"ats: the device has ATS but the SMMU has none (ats=0)");
		return CMDQV_EINVAL;
	}
	if (pt->ril && !hw->ril) {
		tb_errf(err, errlen,
			"ril: range TLBIs need IDR3.RIL (ril=1 in the hardware)");
		return CMDQV_EINVAL;
	}
	if (pt->host_background > 100000000ull) {
		tb_errf(err, errlen,
			"host_background: at most 1e8 submissions per second");
		return CMDQV_EINVAL;
	}
	if (pt->path == WL_PATH_DIRECT ||
	    (pt->path == WL_PATH_HOST && pt->host_queues)) {
		uint32_t per;

		if (!hw->cmdqv) {
			tb_errf(err, errlen, "path %s needs CMDQ-V (cmdqv=1)",
				wl_path_name(pt->path));
			return CMDQV_EINVAL;
		}
		per = hw->vcmdqs / hw->vintfs;
		if (pt->path == WL_PATH_DIRECT && pt->vms + 1 > hw->vintfs) {
			tb_errf(err, errlen,
				"vms: %u VMs need %u VINTFs (VINTF0 is the host's), the "
				"hardware has %u",
				pt->vms, pt->vms + 1, hw->vintfs);
			return CMDQV_EINVAL;
		}
		if (pt->path == WL_PATH_HOST && pt->host_queues > per) {
			tb_errf(err, errlen,
				"host_queues: VINTF0 has %u LVCMDQs, asked for %u",
				per, pt->host_queues);
			return CMDQV_EINVAL;
		}
		if (sw->queue_log2size > hw->vcmdq_log2size_max) {
			tb_errf(err, errlen,
				"queue_log2size %u exceeds vcmdq_log2size_max %u",
				sw->queue_log2size, hw->vcmdq_log2size_max);
			return CMDQV_EINVAL;
		}
	}
	if (sw->queue_log2size > hw->cmdqs) {
		tb_errf(err, errlen,
			"queue_log2size %u exceeds the SMMU's cmdqs %u",
			sw->queue_log2size, hw->cmdqs);
		return CMDQV_EINVAL;
	}
	return CMDQV_OK;
}

/* ---- set-up ---- */

/* Trace batches on direct: what the VCMDQ does not take is trapped (QEMU). */
static bool wl_vmm_on_direct(const struct wl_ctx *c)
{
	return c->feed && !c->feed->rest_smmu && c->pt.path == WL_PATH_DIRECT;
}

void wl_ctx_inputs(struct wl_ctx *c, const struct cmdqv_config *hw,
		   const struct path_params *sw, const struct wl_point *pt,
		   const struct wl_observer *obs, struct wl_result *res,
		   uint64_t total)
{
	c->hw = hw;
	c->sw = sw;
	c->pt = *pt;
	c->obs = obs;
	c->rng = pt->seed;
	c->res = res;
	c->total = total;
	c->progress_step = total / 50 ? total / 50 : 1;
}

int wl_setup(struct wl_ctx *c, char *err, size_t errlen)
{
	const struct wl_point *pt = &c->pt;
	const struct cmdqv_config *hw = c->hw;
	uint32_t entries = ring_entries(wl_ring(c));
	uint32_t per = hw->cmdqv ? hw->vcmdqs / hw->vintfs : 0;
	uint32_t ncpu = pt->vms * pt->threads;
	uint32_t maxq = 1, qi = 1;
	struct wl_slot *slots;
	struct cmdqv_host_ops ops;
	int r;

	if (pt->path == WL_PATH_DIRECT)
		maxq += pt->vms * per;
	if (pt->path == WL_PATH_HOST)
		maxq += pt->host_queues;
	c->nhwq = maxq;
	c->hwqs = calloc(maxq, sizeof(*c->hwqs));
	slots = calloc((size_t)maxq * entries, sizeof(*slots));
	c->by_vcmdq = calloc(hw->vcmdqs ? hw->vcmdqs : 1, sizeof(*c->by_vcmdq));
	c->vms = calloc(pt->vms, sizeof(*c->vms));
	c->nactors = ncpu + pt->vms + 1;
	c->actors = calloc(c->nactors, sizeof(*c->actors));
	c->tlbi_store = calloc((size_t)ncpu * pt->granule_pages,
			       sizeof(*c->tlbi_store));
	c->valid_store = calloc((size_t)(maxq + pt->vms) * entries,
				sizeof(*c->valid_store));
	if (!c->hwqs || !slots || !c->by_vcmdq || !c->vms || !c->actors ||
	    !c->tlbi_store || !c->valid_store) {
		free(slots);
		tb_errf(err, errlen, "out of memory");
		return CMDQV_ENOMEM;
	}
	c->hwqs[0].slots =
		slots; /* owner of the slot storage (freed with hwqs[0]) */

	if (tb_mem_init(&c->mem)) {
		tb_errf(err, errlen, "out of memory");
		return CMDQV_ENOMEM;
	}
	c->mem_ready = true;
	/* a recorder reads published queue entries from here (paths.h) */
	if (c->obs && c->obs->memory)
		c->obs->memory(c->obs->ctx, &c->mem, hw);
	if (c->obs && c->obs->access)
		c->obs->access(c->obs->ctx, "host");
	memset(&ops, 0, sizeof(ops));
	ops.mem_read = wl_host_mem_read;
	ops.mem_write = wl_host_mem_write;
	ops.trace = wl_host_trace;
	ops.sev = wl_host_sev;
	r = cmdqv_model_create(hw, &ops, c, &c->m, err, errlen);
	if (r != CMDQV_OK)
		return r;
	c->k = cmdqv_model_kernel(c->m);

	/* host SMMU CMDQ */
	if (wl_touch(c, WL_MEM_HOSTQ, wl_qbytes(c)) ||
	    wl_touch(c, WL_MEM_STRTAB, 64ull << WL_STRTAB_LOG2)) {
		tb_errf(err, errlen, "out of memory");
		return CMDQV_ENOMEM;
	}
	if ((r = wl_bringup_smmu(c, err, errlen)) != CMDQV_OK)
		return r;
	wl_hwq_init(c, &c->hwqs[0], "SMMU CMDQ", CMDQV_QUEUE_SMMU,
		    CMDQV_SPACE_SMMU, SMMU_CMDQ_PROD, SMMU_CMDQ_CONS,
		    WL_MEM_HOSTQ, slots);

	for (uint32_t v = 0; v < pt->vms; v++) {
		struct wl_vm *vm = &c->vms[v];

		vm->vmid = (uint16_t)(v +
				      1); /* S2 VMID of VM v; 0 is the host's */
		vm->vsid = WL_GUEST_VSID;
		vm->psid = WL_PSID_BASE + v;
		vm->vintf = v + 1;
		wl_llq_init(&vm->gq.l, wl_ring(c).log2size,
			    c->valid_store + (size_t)(maxq + v) *
						     ring_entries(wl_ring(c)));
		vm->gq.base = WL_MEM_GUESTQ + (uint64_t)v * wl_qbytes(c);
		vm->gq.owner = calloc(entries, sizeof(*vm->gq.owner));
		if (!vm->gq.owner) {
			tb_errf(err, errlen, "out of memory");
			return CMDQV_ENOMEM;
		}
		if ((pt->path == WL_PATH_TRAP || pt->path == WL_PATH_EVENTFD ||
		     wl_vmm_on_direct(c)) &&
		    wl_touch(c, vm->gq.base, wl_qbytes(c))) {
			tb_errf(err, errlen, "out of memory");
			return CMDQV_ENOMEM;
		}
	}
	if (pt->path == WL_PATH_DIRECT ||
	    (pt->path == WL_PATH_HOST && pt->host_queues)) {
		/* tegra241_cmdqv_hw_reset: CMDQ-V off, on */
		if ((r = tb_bringup_cmdqv(c->m, true, err, errlen)) != CMDQV_OK)
			return r;
	}
	if (pt->path == WL_PATH_DIRECT) {
		/* each VM: its own guest-owned VINTF, LVCMDQs for min(threads, per) CPUs */
		for (uint32_t v = 0; v < pt->vms; v++) {
			struct wl_vm *vm = &c->vms[v];
			uint32_t nq = pt->threads < per ? pt->threads : per;

			r = wl_bringup_vintf(c, vm->vintf, vm->vmid, false,
					     vm->vsid, vm->psid, nq,
					     &c->hwqs[qi],
					     slots + (size_t)qi * entries, err,
					     errlen);
			if (r != CMDQV_OK)
				return r;
			qi += nq;
		}
	} else if (pt->path == WL_PATH_HOST && pt->host_queues) {
		r = wl_bringup_vintf(c, 0, 0, true, 0, 0, pt->host_queues,
				     &c->hwqs[1], slots + entries, err, errlen);
		if (r != CMDQV_OK)
			return r;
		qi += pt->host_queues;
	}

	/* actors */
	c->ncpus = ncpu;
	for (uint32_t i = 0; i < c->nactors; i++) {
		struct wl_actor *a = &c->actors[i];

		a->ctx = c;
		a->ops = &wl_actor_ops;
		if (sim_event_register(c->k, &a->ev, wl_actor_fire, a)) {
			tb_errf(err, errlen, "out of memory");
			return CMDQV_ENOMEM;
		}
		if (i < ncpu) {
			a->role = WL_ROLE_CPU;
			a->vm = (int)(i / pt->threads);
			a->thread = i % pt->threads;
			a->tlbi = &c->tlbi_store[(size_t)i * pt->granule_pages];
			if (pt->path == WL_PATH_HOST) {
				snprintf(a->track, sizeof(a->track),
					 "host/CPU%u", a->thread);
				/* get_secondary_cmdq: LVCMDQ cpu % n
				 * (tegra241-cmdqv.c:
				 * tegra241_cmdqv_get_cmdq()) */
				a->hwq =
					pt->host_queues ?
						&c->hwqs[1 +
							 a->thread %
								 pt->host_queues] :
						&c->hwqs[0];
			} else {
				snprintf(a->track, sizeof(a->track),
					 "VM%d/vCPU%u", a->vm, a->thread);
				if (pt->path == WL_PATH_DIRECT)
					a->hwq =
						&c->hwqs[1 +
							 (uint32_t)a->vm *
								 (pt->threads < per ?
									  pt->threads :
									  per) +
							 a->thread % per];
			}
			wl_cpu_build_cmds(a);
		} else if (i < ncpu + pt->vms) {
			a->vm = (int)(i - ncpu);
			if (pt->path == WL_PATH_TRAP || wl_vmm_on_direct(c)) {
				a->role = WL_ROLE_VMM;
				snprintf(a->track, sizeof(a->track), "VM%d/VMM",
					 a->vm);
			} else {
				a->role = WL_ROLE_KTHREAD;
				snprintf(a->track, sizeof(a->track),
					 "VM%d/kthread", a->vm);
			}
			c->vms[a->vm].server = a;
		} else {
			a->role = WL_ROLE_BG;
			a->vm = -1;
			snprintf(a->track, sizeof(a->track), "host/background");
		}
	}
	return CMDQV_OK;
}

void wl_teardown(struct wl_ctx *c)
{
	if (c->m)
		cmdqv_model_destroy(c->m);
	if (c->mem_ready)
		tb_mem_deinit(&c->mem);
	if (c->hwqs)
		free(c->hwqs[0].slots);
	free(c->hwqs);
	free(c->by_vcmdq);
	if (c->vms)
		for (uint32_t v = 0; v < c->pt.vms; v++)
			free(c->vms[v].gq.owner);
	free(c->vms);
	free(c->actors);
	free(c->tlbi_store);
	free(c->valid_store);
}

/* ---- results ---- */

static void wl_summarise(struct wl_result *r)
{
	double sum = 0, st[WL_STAGE_COUNT] = { 0 };

	for (size_t i = 0; i < r->count; i++) {
		sum += (double)r->samples[i].latency;
		for (unsigned s = 0; s < WL_STAGE_COUNT; s++)
			st[s] += (double)r->samples[i].stage[s];
	}
	if (r->count) {
		r->mean_latency = sum / (double)r->count;
		for (unsigned s = 0; s < WL_STAGE_COUNT; s++)
			r->stage_mean[s] = st[s] / (double)r->count;
	}
	r->throughput = r->sim_time ?
				(double)r->count * 1e12 / (double)r->sim_time :
				0.0;
}

int wl_run(const struct cmdqv_config *hw, const struct path_params *sw,
	   const struct wl_point *pt, const struct wl_observer *obs,
	   struct wl_result *out, char *err, size_t errlen)
{
	struct wl_ctx *c;
	struct cmdqv_stats st0, st;
	sim_time_t t0, limit;
	int r;

	if (!hw || !sw || !pt || !out) {
		tb_errf(err, errlen, "wl_run: NULL argument");
		return CMDQV_EINVAL;
	}
	memset(out, 0, sizeof(*out));
	if ((r = wl_check(hw, sw, pt, err, errlen)) != CMDQV_OK)
		return r;
	c = calloc(1, sizeof(*c));
	if (!c) {
		tb_errf(err, errlen, "out of memory");
		return CMDQV_ENOMEM;
	}
	wl_ctx_inputs(c, hw, sw, pt, obs, out,
		      (uint64_t)pt->vms * pt->threads * pt->iterations);
	out->point = *pt;
	out->capacity = (size_t)c->total;
	out->samples = calloc(out->capacity, sizeof(*out->samples));
	if (!out->samples) {
		tb_errf(err, errlen, "out of memory for %llu samples",
			(unsigned long long)c->total);
		free(c);
		return CMDQV_ENOMEM;
	}
	r = wl_setup(c, err, errlen);
	if (r != CMDQV_OK)
		goto fail;

	/* Time starts at the end of bring-up; samples keep absolute times. */
	t0 = cmdqv_now(c->m);
	c->t0 = t0;
	cmdqv_stats_get(c->m, &st0);
	out->t_start = t0;
	for (uint32_t i = 0; i < c->nactors; i++) {
		struct wl_actor *a = &c->actors[i];

		if (a->role == WL_ROLE_BG && !pt->host_background)
			continue;
		if ((a->role == WL_ROLE_VMM || a->role == WL_ROLE_KTHREAD) &&
		    pt->path != WL_PATH_TRAP && pt->path != WL_PATH_EVENTFD)
			continue;
		wl_actor_start(a);
	}
	/* A run that has not finished by here is stuck (or absurdly slow). */
	limit = t0 + (pt->duration ? pt->duration : 0) + SIM_MS(1000) +
		(sim_time_t)c->total * SIM_MS(1);
	while (c->cpus_done < c->ncpus) {
		sim_time_t next = cmdqv_next_deadline(c->m);

		if (c->hw_error) {
			tb_errf(err, errlen,
				"queue %d stopped with CERROR %d at %llu ps: the paths issued "
				"a command the hardware rejects",
				(int)c->hw_error_queue, c->hw_error - 1,
				(unsigned long long)cmdqv_now(c->m));
			r = CMDQV_EIO;
			goto fail;
		}
		if (next == SIM_TIME_NEVER || next > limit) {
			tb_errf(err, errlen,
				"no progress: %llu of %llu unmaps done at %llu ps (a queue never "
				"completed)",
				(unsigned long long)out->count,
				(unsigned long long)c->total,
				(unsigned long long)cmdqv_now(c->m));
			r = CMDQV_ETIMEDOUT;
			goto fail;
		}
		cmdqv_run_until(c->m, next);
	}
	out->sim_time = out->sim_time > t0 ? out->sim_time - t0 : 0;
	cmdqv_stats_get(c->m, &st);
	out->ats_queued = st.ats_queued - st0.ats_queued;
	wl_summarise(out);
	wl_teardown(c);
	free(c);
	return CMDQV_OK;
fail:
	wl_teardown(c);
	free(c);
	wl_result_free(out);
	return r;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lx_hostwl.c - the unmap loop of `cmdqv-sim compare` (testbench/paths: a
 * CPU looping dma_map -> dma_unmap, each unmap issuing its TLBI list with a
 * CMD_SYNC, then ATC_INV + CMD_SYNC) on the real driver: every command list
 * goes through the driver's own arm_smmu_cmdq_issue_cmdlist(), on the
 * queue the driver picks for the CPU.  The host path (lx_host_unmaps) runs
 * it on host CPUs through the host driver (lxd_issue_raw); the guest paths
 * (guest/lx_guestwl.c) on vCPUs through the guest driver (lx_unmaps).
 *
 * The commands are the ones the built-in engine issues (tb_linux_cmds.h,
 * the same bytes on both sides), cut into lists of CMDQ_BATCH_ENTRIES as
 * arm_smmu_cmdq_batch_add() cuts them; the CPU work around the driver's
 * calls (dma_map, the unmap's own work, building commands, the domain's
 * devices_lock) is charged with the path_params.def costs the built-in
 * engine charges (wl_actor.c), so only the submission itself differs.
 */
#include "lx.h"

#include <stdlib.h>
#include <string.h>

#include "drv/lx_drv.h"
#include "paths.h"
#include "tb_linux_cmds.h"

#define LX_BATCH 64 /* CMDQ_BATCH_ENTRIES on a 64-bit kernel */
#define LX_PAGE_SHIFT 12
#define LX_PSID 0x100u /* the benchmark device (wl_run.c's WL_PSID_BASE) */

struct host_job {
	const struct lx_host_cfg *c;
	const struct lx_unmap_ops *ops;
	struct lx_host_result *r;
	uint64_t rng[SIMCPU_MAX_CPUS];
	/* the domain's devices_lock (wl_actor.c: wl_devlock) */
	int devlock_last;
	sim_time_t devlock_free;
};

/* splitmix64, per CPU: the jitter of wl_core.c's wl_jitter() */
static uint64_t host_rng(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static sim_time_t host_jitter(struct host_job *j, unsigned cpu, sim_time_t t)
{
	uint64_t p = j->c->sw->cpu_jitter;

	if (!p)
		return t;
	return t * (100 - p + host_rng(&j->rng[cpu]) % (2 * p + 1)) / 100;
}

static void host_charge(sim_time_t t)
{
	if (t)
		simcpu_charge(t);
}

/* One arm_smmu_cmdq_issue_cmdlist() of @n commands (+ SYNC), recorded. */
static void host_issue(struct host_job *j, unsigned cpu,
		       const uint64_t (*cmds)[2], unsigned n, bool sync)
{
	struct lx_host_result *r = j->r;
	const struct kapi_counters *k = j->ops->k;
	uint64_t p0 = k->prod_by_cpu[cpu], f0 = k->cas_fails_by_cpu[cpu];
	sim_time_t t0 = simcpu_now();
	int ret = j->ops->issue(j->ops->ctx, &cmds[0][0], (int)n, sync);
	struct lx_issue_rec *rec;

	r->issues++;
	if (ret)
		r->failed++;
	if (r->niss >= r->cap)
		return;
	rec = &r->iss[r->niss++];
	rec->start = t0;
	rec->latency = simcpu_now() - t0;
	rec->cpu = cpu;
	rec->ncmds = n;
	rec->sync = sync;
	rec->prod_writes = (uint32_t)(k->prod_by_cpu[cpu] - p0);
	rec->cas_fails = (uint32_t)(k->cas_fails_by_cpu[cpu] - f0);
}

/* Thread @t of the workload, on scheduler CPU @cpu. */
static void unmap_fn(unsigned t, unsigned cpu, void *arg)
{
	struct host_job *j = arg;
	const struct wl_point *pt = j->c->pt;
	const struct path_params *sw = j->c->sw;
	uint64_t iova = 0x10000000ull + ((uint64_t)t << 24);
	uint64_t(*tlbi)[2] = j->r->cmds + (size_t)t * pt->granule_pages;
	uint64_t atc[1][2];
	struct tb_tlbi_iter it;
	struct cmd cmd;
	unsigned ntlbi = 0;
	uint64_t i;

	/* the commands of wl_actor.c: wl_cpu_build_cmds() */
	tb_linux_tlbi_begin(&it, iova, pt->granule_pages, pt->ril, 0, 1);
	while (ntlbi < pt->granule_pages && tb_linux_tlbi_next(&it, &cmd))
		cmd_encode(&cmd, tlbi[ntlbi++]);
	cmd = tb_linux_atc_inv(j->ops->sid, iova,
			       (uint64_t)pt->granule_pages << LX_PAGE_SHIFT);
	cmd_encode(&cmd, atc[0]);
	j->r->queue[t] = j->ops->queue(j->ops->ctx);

	for (i = 0; i < pt->iterations; i++) {
		sim_time_t t0;
		unsigned k;

		/* dma_map_single */
		host_charge(host_jitter(j, t,
					sw->cpu_map_base +
						sw->cpu_map_per_page *
							pt->granule_pages));
		/* dma_unmap_single: its own work, then the TLBI lists */
		t0 = simcpu_now();
		host_charge(sw->cpu_unmap_base +
			    sw->cpu_unmap_per_page * pt->granule_pages);
		for (k = 0; k < ntlbi;) {
			unsigned n = ntlbi - k < LX_BATCH ? ntlbi - k :
							    LX_BATCH;

			host_charge(n * sw->cpu_cmd_build + sw->cpu_issue_base);
			host_issue(j, cpu, (const uint64_t(*)[2]) & tlbi[k], n,
				   k + n == ntlbi);
			k += n;
		}
		if (pt->ats) {
			/* arm_smmu_atc_inv_domain: the ATC_INV is built under
			 * the domain's devices_lock */
			sim_time_t now = simcpu_now(), at = now;

			if (j->devlock_free > at) {
				at = j->devlock_free;
				j->r->devlock_spins++;
			}
			if (j->devlock_last >= 0 &&
			    j->devlock_last != (int)cpu) {
				at += sw->cacheline_transfer;
				j->r->devlock_moves++;
			}
			j->devlock_last = (int)cpu;
			j->devlock_free = at + sw->cpu_cmd_build;
			host_charge(j->devlock_free - now + sw->cpu_issue_base);
			host_issue(j, cpu, (const uint64_t(*)[2])atc, 1, true);
		}
		if (j->r->nunmap < j->r->unmap_cap)
			j->r->unmap_lat[j->r->nunmap++] = simcpu_now() - t0;
	}
}

int lx_unmaps(const struct lx_host_cfg *c, const struct lx_unmap_ops *ops,
	      struct lx_host_result *r)
{
	const struct kapi_counters *k = ops->k;
	const struct wl_point *pt = c->pt;
	uint64_t prod0 = k->smmu_prod_writes + k->vcmdq_prod_writes;
	uint64_t cas0 = k->cas_fails;
	size_t lists = (pt->granule_pages + LX_BATCH - 1) / LX_BATCH +
		       (pt->ats ? 1 : 0);
	struct host_job *j;
	size_t n;
	int rc;

	memset(r, 0, sizeof(*r));
	if (pt->threads < 1 || pt->threads > SIMCPU_MAX_CPUS ||
	    pt->granule_pages < 1 || pt->iterations < 1)
		return CMDQV_EINVAL;
	n = (size_t)pt->threads * pt->iterations;
	j = calloc(1, sizeof(*j));
	r->cap = n * lists;
	r->iss = calloc(r->cap, sizeof(*r->iss));
	r->unmap_cap = n;
	r->unmap_lat = calloc(n, sizeof(*r->unmap_lat));
	r->cmds = calloc((size_t)pt->threads * pt->granule_pages,
			 sizeof(*r->cmds));
	if (!j || !r->iss || !r->unmap_lat || !r->cmds) {
		free(j);
		lx_host_result_free(r);
		return CMDQV_ENOMEM;
	}
	j->c = c;
	j->ops = ops;
	j->r = r;
	j->devlock_last = -1;
	for (unsigned cpu = 0; cpu < SIMCPU_MAX_CPUS; cpu++)
		j->rng[cpu] = pt->seed * 0x100000001B3ull + cpu;
	r->t_start = cmdqv_now(ops->model);
	rc = ops->run(ops->ctx, pt->threads, unmap_fn, j);
	r->t_end = cmdqv_now(ops->model);
	r->prod_writes = k->smmu_prod_writes + k->vcmdq_prod_writes - prod0;
	r->cas_fails = k->cas_fails - cas0;
	for (size_t i = 0; i < r->niss; i++)
		if (r->iss[i].prod_writes)
			r->prod_issues++;
	r->gathered = r->issues - r->prod_issues;
	free(j);
	return rc;
}

/* ---- the host path: host CPUs 0..threads-1, the host driver ---- */

struct host_run {
	struct lx *x;
	void (*fn)(unsigned t, unsigned cpu, void *arg);
	void *arg;
};

static int host_issue_raw(void *ctx, const uint64_t *cmds, int n, bool sync)
{
	return lxd_issue_raw(lx_pdev(((struct host_run *)ctx)->x), cmds, n,
			     sync, false);
}

static int host_queue(void *ctx)
{
	return lxd_queue_for_cpu(lx_pdev(((struct host_run *)ctx)->x));
}

static void host_cpu_fn(struct lx *x, unsigned cpu, void *arg)
{
	struct host_run *h = arg;

	(void)x;
	h->fn(cpu, cpu, h->arg);
}

static int host_run_fn(void *ctx, unsigned threads,
		       void (*fn)(unsigned t, unsigned cpu, void *arg),
		       void *arg)
{
	struct host_run *h = ctx;

	h->fn = fn;
	h->arg = arg;
	return lx_run(h->x, threads, host_cpu_fn, h, SIM_TIME_NEVER - 1);
}

int lx_host_unmaps(struct lx *x, const struct lx_host_cfg *c,
		   struct lx_host_result *r)
{
	struct host_run h = { x, NULL, NULL };
	struct lx_unmap_ops ops = { host_run_fn, host_issue_raw, host_queue,
				    &h,		 lx_counters(x), lx_model(x),
				    LX_PSID };

	if (c->pt->threads > simcpu_ncpus(lx_cpus(x))) {
		memset(r, 0, sizeof(*r));
		return CMDQV_EINVAL;
	}
	return lx_unmaps(c, &ops, r);
}

void lx_host_result_free(struct lx_host_result *r)
{
	free(r->iss);
	free(r->unmap_lat);
	free(r->cmds);
	memset(r, 0, sizeof(*r));
}

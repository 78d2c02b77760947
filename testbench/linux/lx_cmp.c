/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lx_cmp.c - one point of the host path run on both engines (lx.h,
 * lx_cmp_point): Linux's own submission on simulated CPUs
 * (lx_host_unmaps) and the built-in re-implementation (testbench/paths
 * wl_run, wl_cmdq.c), on the same hardware parameters and software costs,
 * reduced to the same counters and latency distributions.
 */
#include "lx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdqv_sim/status.h"
#include "paths.h"

const unsigned lx_cmp_edges_ns[LX_CMP_NBINS] = {
	0,    250,  500,  750,	 1000,	1500,  2000,  3000,
	4000, 6000, 8000, 12000, 16000, 32000, 64000,
};

static int lxc_cmp(const void *a, const void *b)
{
	sim_time_t x = *(const sim_time_t *)a, y = *(const sim_time_t *)b;

	return x < y ? -1 : x > y;
}

/* mean, p50, p99 and max of @n latencies (ps) in ns; sorts @v */
static void lxc_dist(sim_time_t *v, size_t n, double *mean, double *p50,
		     double *p99, double *max)
{
	double sum = 0;

	*mean = *p50 = *p99 = 0;
	if (max)
		*max = 0;
	if (!n)
		return;
	qsort(v, n, sizeof(*v), lxc_cmp);
	for (size_t i = 0; i < n; i++)
		sum += (double)v[i];
	*mean = sum / (double)n / 1e3;
	*p50 = (double)v[n / 2] / 1e3;
	*p99 = (double)v[(n * 99) / 100] / 1e3;
	if (max)
		*max = (double)v[n - 1] / 1e3;
}

static void lxc_hist(struct lx_cmp_side *s, const sim_time_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t b = LX_CMP_NBINS - 1;

		while (b > 0 && v[i] < (sim_time_t)lx_cmp_edges_ns[b] * 1000)
			b--;
		s->hist[b]++;
	}
}

/* ---- the built-in engine ---- */

struct lxc_obs {
	sim_time_t *lat;
	size_t n, cap;
	uint64_t owners;
};

static void lxc_on_issue(void *ctx, const char *track, sim_time_t start,
			 sim_time_t end, uint32_t n, bool sync, bool owner)
{
	struct lxc_obs *b = ctx;

	(void)track, (void)n, (void)sync;
	if (owner)
		b->owners++;
	if (b->n < b->cap)
		b->lat[b->n++] = end - start;
}

int lx_cmp_builtin(const struct cmdqv_config *hw, const struct path_params *sw,
		   const struct wl_point *pt, struct lx_cmp_side *s, char *err,
		   size_t errlen)
{
	size_t lists = (pt->granule_pages + 63) / 64 + (pt->ats ? 1 : 0);
	struct wl_observer obs;
	struct lxc_obs b = { 0 };
	struct wl_result res;
	sim_time_t *u;
	char why[256];
	int r;

	b.cap = (size_t)pt->threads * pt->iterations * lists;
	b.lat = calloc(b.cap ? b.cap : 1, sizeof(*b.lat));
	if (!b.lat)
		return CMDQV_ENOMEM;
	memset(&obs, 0, sizeof(obs));
	obs.ctx = &b;
	obs.issue = lxc_on_issue;
	r = wl_run(hw, sw, pt, &obs, &res, why, sizeof(why));
	if (r != CMDQV_OK) {
		snprintf(err, errlen, "built-in: %s", why);
		free(b.lat);
		return r;
	}
	s->issues = res.issues;
	s->prod_writes = res.prod_writes;
	s->prod_issues = b.owners;
	s->gathered = res.gathered;
	if (pt->path != WL_PATH_HOST) {
		/* the guest's submissions only (not the VMM's host ones): an
		 * owner writes PROD once */
		s->issues = b.n;
		s->prod_writes = b.owners;
		s->gathered = b.n - b.owners;
	}
	s->exits = res.exits;
	s->ioctls = res.ioctls;
	s->bql_sleeps = res.bql_sleeps;
	s->bql_wakes = res.bql_wakes;
	s->cas_fails = res.cas_retries;
	s->full_waits = res.full_waits;
	s->owner_waits = res.owner_waits;
	s->throughput = res.throughput;
	s->commands = res.host_cmds;
	s->nlat = b.n;
	s->nunmap = res.count;
	lxc_hist(s, b.lat, b.n);
	lxc_dist(b.lat, b.n, &s->iss_mean, &s->iss_p50, &s->iss_p99,
		 &s->iss_max);
	u = calloc(res.count ? res.count : 1, sizeof(*u));
	if (u) {
		for (size_t i = 0; i < res.count; i++)
			u[i] = res.samples[i].latency;
		lxc_dist(u, res.count, &s->unmap_mean, &s->unmap_p50,
			 &s->unmap_p99, NULL);
		free(u);
	}
	snprintf(s->queue, sizeof(s->queue), "%s",
		 pt->path == WL_PATH_TRAP || pt->path == WL_PATH_EVENTFD ?
			 "emulated vSMMU CMDQ" :
		 pt->path == WL_PATH_DIRECT ? "the VM's LVCMDQs (vcpu % n)" :
		 pt->host_queues	    ? "VINTF0 LVCMDQs (cpu % n)" :
					      "SMMU CMDQ");
	wl_result_free(&res);
	free(b.lat);
	return u ? CMDQV_OK : CMDQV_ENOMEM;
}

/* ---- the driver ---- */

struct lx *lx_cmp_platform(const struct cmdqv_config *hw,
			   const struct path_params *sw, unsigned ncpus,
			   bool cmdqv, char *err, size_t errlen)
{
	struct lx_params p;
	struct simcpu_params cpu;
	struct lx *x;
	int rc;

	/* the CPU costs the built-in engine charges for the same things */
	simcpu_params_default(&cpu);
	cpu.atomic_ps = sw->cmdq_llq_cas;
	cpu.cpu_relax_ps = sw->cpu_relax;
	cpu.wfe_wake_ps = sw->msi_wake;
	cpu.wfe_event_stream_ps = sw->wfe_evtstrm;
	lx_params_default(&p);
	p.ncpus = ncpus;
	p.cmdqv = cmdqv;
	p.cfg = hw;
	p.cpu = &cpu;
	x = lx_create(&p, err, errlen);
	if (!x)
		return NULL;
	rc = lx_probe(x);
	if (rc) {
		snprintf(err, errlen, "the driver's probe returned %d", rc);
		lx_destroy(x);
		return NULL;
	}
	return x;
}

int lx_cmp_reduce(const struct lx_host_result *r, const struct wl_point *pt,
		  struct lx_cmp_side *s)
{
	sim_time_t *v = calloc(r->niss ? r->niss : 1, sizeof(*v));
	sim_time_t *u = calloc(r->nunmap ? r->nunmap : 1, sizeof(*u));

	if (!v || !u) {
		free(v);
		free(u);
		return CMDQV_ENOMEM;
	}
	s->issues = r->issues;
	s->failed += r->failed;
	s->prod_writes = r->prod_writes;
	s->prod_issues = r->prod_issues;
	s->gathered = r->gathered;
	s->cas_fails = r->cas_fails;
	s->throughput = r->t_end > r->t_start ?
				(double)r->nunmap * 1e12 /
					(double)(r->t_end - r->t_start) :
				0.0;
	for (size_t i = 0; i < r->niss; i++) {
		v[i] = r->iss[i].latency;
		s->commands += r->iss[i].ncmds + (r->iss[i].sync ? 1 : 0);
	}
	s->nlat = r->niss;
	lxc_hist(s, v, r->niss);
	lxc_dist(v, r->niss, &s->iss_mean, &s->iss_p50, &s->iss_p99,
		 &s->iss_max);
	s->nunmap = r->nunmap;
	memcpy(u, r->unmap_lat, r->nunmap * sizeof(*u));
	lxc_dist(u, r->nunmap, &s->unmap_mean, &s->unmap_p50, &s->unmap_p99,
		 NULL);
	free(v);
	free(u);
	for (unsigned c = 0; c < pt->threads && c < SIMCPU_MAX_CPUS; c++)
		s->queue_of_cpu[c] = r->queue[c];
	return CMDQV_OK;
}

static int lxc_linux(const struct cmdqv_config *hw,
		     const struct path_params *sw, const struct wl_point *pt,
		     struct lx_cmp_side *s, char *err, size_t errlen)
{
	struct lx_host_cfg c = { pt, sw };
	struct lx_host_result r;
	struct lx *x =
		lx_cmp_platform(hw, sw, pt->threads, hw->cmdqv, err, errlen);
	int rc;

	if (!x)
		return CMDQV_EINVAL;
	rc = lx_host_unmaps(x, &c, &r);
	if (rc != CMDQV_OK) {
		snprintf(err, errlen, "the driver's run did not finish (%d)",
			 rc);
		lx_host_result_free(&r);
		lx_destroy(x);
		return rc;
	}
	if (lx_counters(x)->warnings || lx_counters(x)->unsupported)
		s->failed++;
	rc = lx_cmp_reduce(&r, pt, s);
	if (r.queue[0] < 0)
		snprintf(s->queue, sizeof(s->queue), "SMMU CMDQ");
	else
		snprintf(s->queue, sizeof(s->queue),
			 "VINTF0 LVCMDQs (cpu %% %u)", hw->vcmdqs / hw->vintfs);
	lx_host_result_free(&r);
	lx_destroy(x);
	return rc;
}

int lx_cmp_hw(struct cmdqv_config *hw, const struct path_params *sw,
	      const struct wl_point *pt, char *err, size_t errlen)
{
	/* Linux sizes its queues from IDR1.CMDQS and uses range TLBIs when
	 * IDR3.RIL says so: the hardware both engines run on has the
	 * built-in engine's queue size and the point's RIL choice; CMD-QV
	 * is there when the point uses VINTF0's LVCMDQs */
	if (hw->cmdqs > sw->queue_log2size)
		hw->cmdqs = sw->queue_log2size;
	hw->ril = pt->ril;
	hw->cmdqv = pt->path == WL_PATH_DIRECT ||
		    (pt->path == WL_PATH_HOST && pt->host_queues > 0);
	if (pt->path != WL_PATH_HOST && pt->path != WL_PATH_TRAP &&
	    pt->path != WL_PATH_EVENTFD && pt->path != WL_PATH_DIRECT) {
		snprintf(err, errlen,
			 "the driver runs the host, trap, eventfd "
			 "and direct paths");
		return CMDQV_EINVAL;
	}
	if (pt->path == WL_PATH_HOST && hw->cmdqv &&
	    pt->host_queues != hw->vcmdqs / hw->vintfs) {
		snprintf(err, errlen,
			 "host_queues %u: Linux uses every LVCMDQ of VINTF0, "
			 "%u with vcmdqs=%u vintfs=%u (0 = the SMMU CMDQ)",
			 pt->host_queues, hw->vcmdqs / hw->vintfs, hw->vcmdqs,
			 hw->vintfs);
		return CMDQV_EINVAL;
	}
	if (cmdqv_config_validate(hw, err, errlen) != CMDQV_OK ||
	    wl_params_validate(sw, err, errlen) != CMDQV_OK)
		return CMDQV_EINVAL;
	return CMDQV_OK;
}

int lx_cmp_point(const struct cmdqv_config *hw, const struct path_params *sw,
		 const struct wl_point *pt, struct lx_cmp_side *lxs,
		 struct lx_cmp_side *bis, char *err, size_t errlen)
{
	struct wl_point p = *pt;
	int r;

	memset(lxs, 0, sizeof(*lxs));
	memset(bis, 0, sizeof(*bis));
	p.path = WL_PATH_HOST;
	p.vms = 1;
	p.duration = 0;
	p.host_background = 0;
	if (p.threads < 1 || p.threads > SIMCPU_MAX_CPUS) {
		snprintf(err, errlen, "threads: expected 1..%d, got %u",
			 SIMCPU_MAX_CPUS, p.threads);
		return CMDQV_EINVAL;
	}
	r = lxc_linux(hw, sw, &p, lxs, err, errlen);
	if (r == CMDQV_OK)
		r = lx_cmp_builtin(hw, sw, &p, bis, err, errlen);
	return r;
}

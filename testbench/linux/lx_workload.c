/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lx_workload.c - driver workloads on simulated CPUs: every CPU issues
 * TLBI batches through the driver's own submission code
 * (arm-smmu-v3.c: arm_smmu_cmdq_batch_submit() ->
 * arm_smmu_cmdq_issue_cmdlist()), timing each issue in simulated time.
 */
#include "lx.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "drv/lx_drv.h"

struct issue_job {
	const struct lx_issue_cfg *c;
	struct lx_issue_result *r;
};

static void issue_fn(struct lx *x, unsigned cpu, void *arg)
{
	struct issue_job *j = arg;
	struct platform_device *pdev = lx_pdev(x);
	unsigned i;

	j->r->queue[cpu] = lxd_queue_for_cpu(pdev);
	for (i = 0; i < j->c->iters; i++) {
		sim_time_t t0 = simcpu_now();
		int ret = lxd_tlbi_asid(pdev, (uint16_t)(1 + cpu * 64),
					j->c->batch);

		j->r->lat[(size_t)cpu * j->c->iters + i] = simcpu_now() - t0;
		j->r->issues++;
		j->r->commands += j->c->batch + 1;
		if (ret)
			j->r->failed++;
	}
}

int lx_issue_tlbi(struct lx *x, const struct lx_issue_cfg *c,
		  struct lx_issue_result *r)
{
	const struct kapi_counters *n = lx_counters(x);
	uint64_t prod0 = n->smmu_prod_writes + n->vcmdq_prod_writes;
	struct issue_job j = { c, r };
	struct timespec a, b;
	int rc;

	memset(r, 0, sizeof(*r));
	r->nlat = (size_t)c->ncpus * c->iters;
	r->lat = calloc(r->nlat ? r->nlat : 1, sizeof(*r->lat));
	if (!r->lat)
		return CMDQV_ENOMEM;
	r->t_start = cmdqv_now(lx_model(x));
	clock_gettime(CLOCK_MONOTONIC, &a);
	rc = lx_run(x, c->ncpus, issue_fn, &j, SIM_TIME_NEVER - 1);
	clock_gettime(CLOCK_MONOTONIC, &b);
	r->host_seconds = (double)(b.tv_sec - a.tv_sec) +
			  (double)(b.tv_nsec - a.tv_nsec) * 1e-9;
	r->t_end = cmdqv_now(lx_model(x));
	r->prod_writes = n->smmu_prod_writes + n->vcmdq_prod_writes - prod0;
	return rc;
}

void lx_issue_result_free(struct lx_issue_result *r)
{
	free(r->lat);
	r->lat = NULL;
}

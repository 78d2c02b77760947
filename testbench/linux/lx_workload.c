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
	struct timespec a, b, ca, cb;
	int rc;

	memset(r, 0, sizeof(*r));
	r->nlat = (size_t)c->ncpus * c->iters;
	r->lat = calloc(r->nlat ? r->nlat : 1, sizeof(*r->lat));
	if (!r->lat)
		return CMDQV_ENOMEM;
	r->t_start = cmdqv_now(lx_model(x));
	clock_gettime(CLOCK_MONOTONIC, &a);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ca);
	rc = lx_run(x, c->ncpus, issue_fn, &j, SIM_TIME_NEVER - 1);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cb);
	clock_gettime(CLOCK_MONOTONIC, &b);
	r->host_seconds = (double)(b.tv_sec - a.tv_sec) +
			  (double)(b.tv_nsec - a.tv_nsec) * 1e-9;
	r->cpu_seconds = (double)(cb.tv_sec - ca.tv_sec) +
			 (double)(cb.tv_nsec - ca.tv_nsec) * 1e-9;
	r->t_end = cmdqv_now(lx_model(x));
	r->prod_writes = n->smmu_prod_writes + n->vcmdq_prod_writes - prod0;
	return rc;
}

void lx_issue_result_free(struct lx_issue_result *r)
{
	free(r->lat);
	r->lat = NULL;
}

/* ---- a guest on its VINTF page (7.x) ---- */

struct vm_job {
	struct lxc_vm *vm;
	uint16_t vmid;
	uint32_t psid, vsid;
	const uint64_t *cmds;
	unsigned n;
	int ret;
};

static void vmm_fn(struct lx *x, unsigned cpu, void *arg)
{
	struct vm_job *j = arg;

	(void)cpu;
	j->ret =
		lxc_vmm_attach(lx_pdev(x), j->vmid, j->psid, j->vsid, 8, j->vm);
}

int lx_vmm_attach(struct lx *x, uint16_t vmid, uint32_t psid, uint32_t vsid,
		  struct lxc_vm *vm)
{
	struct vm_job j = { vm, vmid, psid, vsid, NULL, 0, -1 };

	if (lx_run(x, 1, vmm_fn, &j, cmdqv_now(lx_model(x)) + SIM_MS(100)) !=
	    CMDQV_OK)
		return -110; /* -ETIMEDOUT */
	return j.ret;
}

/* VCMDQ page-0 registers (tegra241-cmdqv.c: TEGRA241_VCMDQ_*) */
#define VCMDQ_CONS 0x0
#define VCMDQ_PROD 0x4
#define VCMDQ_CONFIG 0x8
#define VCMDQ_STATUS 0xc

static void guest_fn(struct lx *x, unsigned cpu, void *arg)
{
	struct vm_job *j = arg;
	struct lxc_vm *vm = j->vm;
	uint64_t pg = vm->vcmdq_page0, *q = vm->queue;
	uint32_t mask = (1u << vm->log2size) - 1;
	uint32_t prod, want;
	unsigned i;

	(void)x, (void)cpu;
	if (!(simcpu_mmio_read(CMDQV_SPACE_CMDQV, pg + VCMDQ_STATUS, 4) & 1)) {
		simcpu_mmio_write(CMDQV_SPACE_CMDQV, pg + VCMDQ_CONFIG, 4, 1);
		for (i = 0;
		     i < 100 && !(simcpu_mmio_read(CMDQV_SPACE_CMDQV,
						   pg + VCMDQ_STATUS, 4) &
				  1);
		     i++)
			simcpu_delay(SIM_US(1));
	}
	prod = (uint32_t)simcpu_mmio_read(CMDQV_SPACE_CMDQV, pg + VCMDQ_PROD,
					  4);
	for (i = 0; i < j->n; i++) {
		uint32_t idx = (prod + i) & mask;

		q[2 * idx] = j->cmds[2 * i];
		q[2 * idx + 1] = j->cmds[2 * i + 1];
	}
	/* {wrap, index} advance by n in a queue of 2^log2size entries */
	want = (prod + j->n) & ((mask << 1) | 1);
	simcpu_barrier();
	simcpu_mmio_write(CMDQV_SPACE_CMDQV, pg + VCMDQ_PROD, 4, want);
	j->ret = -110;
	for (i = 0; i < 1000; i++) {
		if ((simcpu_mmio_read(CMDQV_SPACE_CMDQV, pg + VCMDQ_CONS, 4) &
		     ((mask << 1) | 1)) == want) {
			j->ret = 0;
			break;
		}
		simcpu_delay(SIM_US(1));
	}
}

int lx_vm_guest_submit(struct lx *x, struct lxc_vm *vm, const uint64_t *cmds,
		       unsigned n)
{
	struct vm_job j = { vm, 0, 0, 0, cmds, n, -1 };

	if (!vm->queue || n >= (1u << vm->log2size))
		return -22; /* -EINVAL */
	if (lx_run(x, 1, guest_fn, &j, cmdqv_now(lx_model(x)) + SIM_MS(100)) !=
	    CMDQV_OK)
		return -110;
	return j.ret;
}

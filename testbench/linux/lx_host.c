/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lx_host.c - the platform the Linux drivers probe: model, simulated CPUs,
 * DMA arena, ACPI tables (IORT SMMUv3 node, NVDA200C companion) and the
 * platform device; see lx.h.
 */
#include "lx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "drv/lx_drv.h"
#include "kapi/lx_kapi_glue.h"

#define LX_SMMU_PA 0x10000000ull /* SMMU register frame (IORT base) */
#define LX_CMDQV_PA 0x20000000ull /* NVDA200C memory window */
#define LX_ARENA_DMA 0x80000000ull /* bus address of the DMA arena */
#define LX_ARENA_BYTES (64ull << 20) /* queues (4 MiB each), tables */
#define LX_MAX_UNMAPS 256

/** struct lx - one platform instance; see lx.h. */
struct lx {
	struct kapi_host h;
	struct cmdqv_config cfg;
	struct cmdqv_host_ops ops;
	bool cmdqv;
	int probe_ret;
	bool probed;

	struct kapi_fw fw; /* IORT node, platform devices, NVDA200C */

	/* observation */
	uint32_t alloc_val[128]; /* last value written to CMDQ_ALLOC(q) */
	uint32_t unmaps[LX_MAX_UNMAPS];
	size_t nunmaps;
	uint64_t smmu_writes[0x100 / 4]; /* writes per page-0 register < 0x100 */
};

/* ---- model host ops ---- */

static int lx_mem_read(void *ctx, uint64_t addr, void *buf, uint32_t len)
{
	struct lx *x = ctx;
	void *p;

	(void)x;
	p = kapi_dma_to_cpu(addr, len);
	if (!p)
		return -1;
	memcpy(buf, p, len);
	return 0;
}

static int lx_mem_write(void *ctx, uint64_t addr, const void *buf, uint32_t len)
{
	struct lx *x = ctx;
	void *p = kapi_dma_to_cpu(addr, len);

	if (!p)
		return -1;
	memcpy(p, buf, len);
	/* a DMA write clears the exclusive monitors watching the line (the
	 * CMD_SYNC MSI a CPU waits on in smp_cond_load_relaxed()) */
	simcpu_model_store(x->h.cpus, p, len);
	return 0;
}

static void lx_irq(void *ctx, enum cmdqv_irq line, bool level)
{
	struct lx *x = ctx;

	if (x->h.cpus)
		simcpu_model_irq(x->h.cpus, line, level);
}

static void lx_sev(void *ctx)
{
	struct lx *x = ctx;

	if (x->h.cpus)
		simcpu_model_sev(x->h.cpus);
}

static void lx_trace(void *ctx, const struct cmdqv_trace_rec *r)
{
	struct lx *x = ctx;

	if (r->kind != CMDQV_TR_MMIO_WRITE)
		return;
	if (r->space == CMDQV_SPACE_SMMU && r->offset < 0x100)
		x->smmu_writes[r->offset / 4]++;
	if (r->space == CMDQV_SPACE_CMDQV && r->offset >= 0x200 &&
	    r->offset < 0x400) {
		unsigned q = (unsigned)(r->offset - 0x200) / 4;

		if (!(r->value & 1) && (x->alloc_val[q] & 1) &&
		    x->nunmaps < LX_MAX_UNMAPS)
			x->unmaps[x->nunmaps++] = (x->alloc_val[q] >> 1) & 0x7f;
		x->alloc_val[q] = (uint32_t)r->value;
	}
}

/* ---- lifetime ---- */

void lx_params_default(struct lx_params *p)
{
	memset(p, 0, sizeof(*p));
	p->ncpus = 1;
	p->cmdqv = true;
}

static void lx_firmware(struct lx *x)
{
	const struct kapi_fw_desc d = {
		.smmu_name = "arm-smmu-v3.0.auto",
		.cmdqv_name = "NVDA200C:00",
		.smmu_pa = LX_SMMU_PA,
		.gerror_irq = KAPI_IRQ(CMDQV_IRQ_GERROR),
		.coherent = x->cfg.coherent,
		.cmdqv = x->cmdqv,
		.cmdqv_pa = LX_CMDQV_PA,
		.cmdqv_size = x->cmdqv ? cmdqv_space_size(x->h.model,
							  CMDQV_SPACE_CMDQV) :
					 0,
		.cmdqv_irq = KAPI_IRQ(CMDQV_IRQ_CMDQV),
	};

	kapi_fw_build(&x->fw, &d);
}

struct lx *lx_create(const struct lx_params *p, char *err, size_t errlen)
{
	struct lx *x = calloc(1, sizeof(*x));
	char why[160] = "";

	if (!x) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (p->cfg)
		x->cfg = *p->cfg;
	else
		cmdqv_config_defaults(&x->cfg);
	x->cmdqv = p->cmdqv;
	if (!p->cmdqv)
		x->cfg.cmdqv = false;
	x->ops = (struct cmdqv_host_ops){ .mem_read = lx_mem_read,
					  .mem_write = lx_mem_write,
					  .irq = lx_irq,
					  .sev = lx_sev,
					  .trace = lx_trace,
					  .trace_kinds =
						  1u << CMDQV_TR_MMIO_WRITE };
	if (cmdqv_model_create(&x->cfg, &x->ops, x, &x->h.model, why,
			       sizeof(why)) != CMDQV_OK) {
		snprintf(err, errlen, "model: %s", why);
		free(x);
		return NULL;
	}
	x->h.cpus = simcpu_create(x->h.model, p->ncpus, p->cpu, p->seed);
	if (!x->h.cpus) {
		snprintf(err, errlen, "simcpu: cannot create %u CPUs",
			 p->ncpus);
		cmdqv_model_destroy(x->h.model);
		free(x);
		return NULL;
	}
	x->h.arena = mmap(NULL, LX_ARENA_BYTES, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (x->h.arena == MAP_FAILED) {
		snprintf(err, errlen, "cannot map the DMA arena");
		simcpu_destroy(x->h.cpus);
		cmdqv_model_destroy(x->h.model);
		free(x);
		return NULL;
	}
	x->h.arena_size = LX_ARENA_BYTES;
	x->h.arena_dma = LX_ARENA_DMA;
	x->h.ap[0] = (struct kapi_aperture){
		.pa = LX_SMMU_PA,
		.size = cmdqv_space_size(x->h.model, CMDQV_SPACE_SMMU),
		.space = CMDQV_SPACE_SMMU
	};
	x->h.nap = 1;
	if (x->cmdqv) {
		x->h.ap[1] = (struct kapi_aperture){
			.pa = LX_CMDQV_PA,
			.size = cmdqv_space_size(x->h.model, CMDQV_SPACE_CMDQV),
			.space = CMDQV_SPACE_CMDQV
		};
		x->h.nap = 2;
	}
	x->h.echo = p->echo;
	kapi_host_set(&x->h);
	kapi_irq_reset();
	kapi_iommufd_reset();
	lx_firmware(x);
	return x;
}

void lx_destroy(struct lx *x)
{
	if (!x)
		return;
	kapi_acpi_register(NULL);
	kapi_irq_reset();
	kapi_iommufd_reset();
	if (kapi_host_get() == &x->h)
		kapi_host_set(NULL);
	simcpu_destroy(x->h.cpus);
	cmdqv_model_destroy(x->h.model);
	/* what the driver still holds (no remove, or memory remove keeps) */
	devres_forget_all(&x->fw.pdev.dev);
	devres_forget_all(&x->fw.cmdqv_pdev.dev);
	devres_forget_all(&x->fw.adev.dev);
	kapi_free_all();
	munmap(x->h.arena, LX_ARENA_BYTES);
	kapi_host_release(&x->h);
	free(x);
}

/* ---- running ---- */

struct lx_job {
	struct lx *x;
	unsigned cpu;
	void (*fn)(struct lx *, unsigned, void *);
	void *arg;
};

static struct lx_job jobs[SIMCPU_MAX_CPUS];

static void lx_job_run(void *a)
{
	struct lx_job *j = a;

	j->fn(j->x, j->cpu, j->arg);
}

int lx_run(struct lx *x, unsigned ncpus,
	   void (*fn)(struct lx *x, unsigned cpu, void *arg), void *arg,
	   sim_time_t limit)
{
	unsigned c;

	kapi_host_set(&x->h);
	if (ncpus > simcpu_ncpus(x->h.cpus))
		return CMDQV_EINVAL;
	for (c = 0; c < ncpus; c++) {
		jobs[c] = (struct lx_job){ x, c, fn, arg };
		if (simcpu_start(x->h.cpus, c, lx_job_run, &jobs[c]) !=
		    CMDQV_OK)
			return CMDQV_ESTATE;
	}
	return simcpu_run(x->h.cpus, limit);
}

int lx_continue(struct lx *x, sim_time_t limit)
{
	kapi_host_set(&x->h);
	return simcpu_run(x->h.cpus, limit);
}

static void lx_probe_fn(struct lx *x, unsigned cpu, void *arg)
{
	(void)cpu, (void)arg;
	x->probe_ret = lxd_probe(&x->fw.pdev);
	x->probed = x->probe_ret == 0;
}

int lx_probe(struct lx *x)
{
	int rc = lx_run(x, 1, lx_probe_fn, NULL,
			cmdqv_now(x->h.model) + SIM_MS(10000));

	if (rc != CMDQV_OK) {
		kapi_log(NULL, 3, "harness: probe did not finish (%d)\n", rc);
		return -ETIMEDOUT;
	}
	return x->probe_ret;
}

static void lx_remove_fn(struct lx *x, unsigned cpu, void *arg)
{
	(void)cpu, (void)arg;
	lxd_remove(&x->fw.pdev);
	devres_release_all(&x->fw.pdev.dev);
	x->probed = false;
}

void lx_remove(struct lx *x)
{
	if (x->probed)
		lx_run(x, 1, lx_remove_fn, NULL,
		       cmdqv_now(x->h.model) + SIM_MS(10000));
}

/* ---- observation ---- */

bool lx_uses_cmdqv(struct lx *x)
{
	return x->probed && lxd_uses_cmdqv(&x->fw.pdev);
}

struct queue_job {
	unsigned cpu;
	int queue;
};

static void lx_queue_fn(struct lx *x, unsigned cpu, void *arg)
{
	struct queue_job *q = arg;

	if (cpu == q->cpu)
		q->queue = lxd_queue_for_cpu(&x->fw.pdev);
}

int lx_queue_for_cpu(struct lx *x, unsigned cpu)
{
	struct queue_job q = { cpu, -2 };

	lx_run(x, cpu + 1, lx_queue_fn, &q, SIM_TIME_NEVER - 1);
	return q.queue;
}

struct platform_device *lx_pdev(struct lx *x)
{
	return &x->fw.pdev;
}

struct cmdqv_model *lx_model(struct lx *x)
{
	return x->h.model;
}

struct simcpu *lx_cpus(struct lx *x)
{
	return x->h.cpus;
}

const struct kapi_counters *lx_counters(const struct lx *x)
{
	return &x->h.n;
}

const char *lx_log(const struct lx *x)
{
	return x->h.log ? x->h.log : "";
}

unsigned lx_log_count(const struct lx *x, const char *needle)
{
	return kapi_log_count(lx_log(x), needle);
}

int lx_probe_result(const struct lx *x)
{
	return x->probe_ret;
}

uint64_t lx_mmio_writes_at(const struct lx *x, enum cmdqv_space space,
			   uint64_t off)
{
	if (space == CMDQV_SPACE_SMMU && off < 0x100)
		return x->smmu_writes[off / 4];
	return 0;
}

size_t lx_lvcmdq_unmaps(const struct lx *x, uint32_t *lidx, size_t max)
{
	size_t i;

	for (i = 0; i < x->nunmaps && i < max; i++)
		lidx[i] = x->unmaps[i];
	return x->nunmaps;
}

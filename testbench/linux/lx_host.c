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

	/* firmware: IORT node (header + SMMUv3 data), its pointer for
	 * platform_data, the platform device and the NVDA200C device */
	struct {
		struct acpi_iort_node hdr;
		struct acpi_iort_smmu_v3 smmu;
	} __attribute__((packed)) iort;
	struct acpi_iort_node *iort_ptr;
	struct resource res[2];
	struct platform_device pdev;
	struct acpi_resource crs[2];
	struct acpi_device cmdqv_adev;
	/* the platform device the NVDA200C node enumerates (7.x probes the
	 * CMD-QV through it: acpi_get_first_physical_node()) */
	struct resource cmdqv_res[2];
	struct platform_device cmdqv_pdev;

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
	/* IORT SMMUv3 node, identifier 0 (NVDA200C's _UID "0") */
	x->iort.hdr.type = ACPI_IORT_NODE_SMMU_V3;
	x->iort.hdr.length = sizeof(x->iort);
	x->iort.hdr.revision = 4;
	x->iort.hdr.identifier = 0;
	x->iort.smmu.base_address = LX_SMMU_PA;
	x->iort.smmu.flags =
		x->cfg.coherent ? ACPI_IORT_SMMU_V3_COHACC_OVERRIDE : 0;
	x->iort.smmu.model = ACPI_IORT_SMMU_V3_GENERIC;
	x->iort.smmu.gerr_gsiv = KAPI_IRQ(CMDQV_IRQ_GERROR);
	x->iort_ptr = &x->iort.hdr;

	x->res[0] = (struct resource){ .start = LX_SMMU_PA,
				       .end = LX_SMMU_PA + 0x20000 - 1,
				       .flags = IORESOURCE_MEM };
	x->res[1] = (struct resource){ .start = KAPI_IRQ(CMDQV_IRQ_GERROR),
				       .end = KAPI_IRQ(CMDQV_IRQ_GERROR),
				       .name = "gerror",
				       .flags = IORESOURCE_IRQ };
	x->pdev.name = "arm-smmu-v3";
	x->pdev.dev.init_name = "arm-smmu-v3.0.auto";
	x->pdev.dev.platform_data = &x->iort_ptr;
	x->pdev.resource = x->res;
	x->pdev.num_resources = 2;

	kapi_acpi_register(NULL);
	if (!x->cmdqv)
		return;
	x->crs[0] = (struct acpi_resource){
		.kind = KAPI_ACPI_RES_MEM,
		.start = LX_CMDQV_PA,
		.len = cmdqv_space_size(x->h.model, CMDQV_SPACE_CMDQV),
	};
	x->crs[1] = (struct acpi_resource){ .kind = KAPI_ACPI_RES_IRQ,
					    .irq = KAPI_IRQ(CMDQV_IRQ_CMDQV) };
	x->cmdqv_adev.dev.init_name = "NVDA200C:00";
	x->cmdqv_adev.hid = "NVDA200C";
	x->cmdqv_adev.uid = "0";
	x->cmdqv_adev.crs = x->crs;
	x->cmdqv_adev.ncrs = 2;
	x->cmdqv_res[0] = (struct resource){
		.start = LX_CMDQV_PA,
		.end = LX_CMDQV_PA + x->crs[0].len - 1,
		.flags = IORESOURCE_MEM,
	};
	x->cmdqv_res[1] = (struct resource){ .start = KAPI_IRQ(CMDQV_IRQ_CMDQV),
					     .end = KAPI_IRQ(CMDQV_IRQ_CMDQV),
					     .flags = IORESOURCE_IRQ };
	x->cmdqv_pdev.name = "NVDA200C:00";
	x->cmdqv_pdev.dev.init_name = "NVDA200C:00";
	x->cmdqv_pdev.resource = x->cmdqv_res;
	x->cmdqv_pdev.num_resources = 2;
	x->cmdqv_adev.physical_node = &x->cmdqv_pdev.dev;
	kapi_acpi_register(&x->cmdqv_adev);
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
					  .trace = lx_trace };
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
	devres_forget_all(&x->pdev.dev);
	devres_forget_all(&x->cmdqv_pdev.dev);
	devres_forget_all(&x->cmdqv_adev.dev);
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
	x->probe_ret = lxd_probe(&x->pdev);
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
	lxd_remove(&x->pdev);
	devres_release_all(&x->pdev.dev);
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
	return x->probed && lxd_uses_cmdqv(&x->pdev);
}

struct queue_job {
	unsigned cpu;
	int queue;
};

static void lx_queue_fn(struct lx *x, unsigned cpu, void *arg)
{
	struct queue_job *q = arg;

	if (cpu == q->cpu)
		q->queue = lxd_queue_for_cpu(&x->pdev);
}

int lx_queue_for_cpu(struct lx *x, unsigned cpu)
{
	struct queue_job q = { cpu, -2 };

	lx_run(x, cpu + 1, lx_queue_fn, &q, SIM_TIME_NEVER - 1);
	return q.queue;
}

struct platform_device *lx_pdev(struct lx *x)
{
	return &x->pdev;
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

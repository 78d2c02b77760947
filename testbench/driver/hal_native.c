/* SPDX-License-Identifier: BSD-3-Clause */
/* hal_native.c - the driver HAL over a native model instance (hal_native.h). */
#include "hal_native.h"

#include <string.h>

#include "cmdqv_sim/status.h"

uint64_t hal_bump_alloc(uint64_t *next, uint64_t size, uint64_t align)
{
	if (align == 0)
		align = 1;
	uint64_t a = (*next + align - 1) & ~(align - 1);
	*next = a + size;
	return a;
}

int hal_native_init(struct hal_native *h, const struct cmdqv_config *cfg,
		    char *err, size_t errlen)
{
	struct cmdqv_config def;
	memset(h, 0, sizeof(*h));
	if (!cfg) {
		cmdqv_config_defaults(&def);
		cfg = &def;
	}
	if (tb_mem_init(&h->mem))
		return CMDQV_ENOMEM;
	h->ops.mem_read = tb_mem_dma_read;
	h->ops.mem_write = tb_mem_dma_write;
	h->dma_next = HAL_DMA_BASE;
	int rc = cmdqv_model_create(cfg, &h->ops, &h->mem, &h->model, err,
				    errlen);
	if (rc != CMDQV_OK) {
		tb_mem_deinit(&h->mem);
		h->model = NULL;
	}
	return rc;
}

void hal_native_deinit(struct hal_native *h)
{
	if (h->model)
		cmdqv_model_destroy(h->model);
	tb_mem_deinit(&h->mem);
	memset(h, 0, sizeof(*h));
}

void hal_native_settle(struct hal_native *h)
{
	cmdqv_run_until(h->model, h->now);
}

static struct hal_native *hn(void *ctx)
{
	return ctx;
}

static uint64_t rd(void *ctx, enum cmdqv_space sp, uint64_t off, unsigned size)
{
	struct hal_native *h = hn(ctx);
	uint64_t v = 0;
	cmdqv_run_until(h->model, h->now);
	if (cmdqv_mmio_read(h->model, sp, off, size, &v) != CMDQV_OK)
		v = ~0ull; /* a bus error reads as all ones */
	h->now += cmdqv_model_config(h->model)->mmio_read_latency;
	return v;
}

static void wr(void *ctx, enum cmdqv_space sp, uint64_t off, unsigned size,
	       uint64_t v)
{
	struct hal_native *h = hn(ctx);
	cmdqv_run_until(h->model, h->now);
	(void)cmdqv_mmio_write(h->model, sp, off, size, v);
	h->now += cmdqv_model_config(h->model)->mmio_write_latency;
}

HAL_SIZED_ACCESSORS(n, rd, wr)

static void n_delay(void *ctx, sim_time_t ps)
{
	hn(ctx)->now += ps;
}

static sim_time_t n_now(void *ctx)
{
	return hn(ctx)->now;
}

static uint64_t n_dma_alloc(void *ctx, uint64_t size, uint64_t align)
{
	return hal_bump_alloc(&hn(ctx)->dma_next, size, align);
}

static void n_mem_write(void *ctx, uint64_t addr, const void *buf, size_t len)
{
	tb_mem_write(&hn(ctx)->mem, addr, buf, len);
}

static void n_mem_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	struct hal_native *h = hn(ctx);
	cmdqv_run_until(h->model, h->now); /* see DMA writes made by now */
	tb_mem_read(&h->mem, addr, buf, len);
}

static bool raised(struct hal_native *h, enum cmdqv_irq line)
{
	uint64_t e = cmdqv_irq_edges(h->model, line);
	bool r = cmdqv_irq_level(h->model, line) || e != h->edges_seen[line];
	h->edges_seen[line] = e;
	return r;
}

static bool n_irq_wait(void *ctx, enum cmdqv_irq line, sim_time_t timeout)
{
	struct hal_native *h = hn(ctx);
	sim_time_t end = h->now + timeout;
	cmdqv_run_until(h->model, h->now);
	for (;;) {
		if (raised(h, line))
			return true;
		sim_time_t d = cmdqv_next_deadline(h->model);
		if (h->now >= end)
			return false;
		h->now = d < end ? d : end;
		cmdqv_run_until(h->model, h->now);
	}
}

static unsigned n_cpu(void *ctx)
{
	return hn(ctx)->cpu;
}

const struct hal_ops hal_native_ops = {
	.read32 = n_read32,
	.read64 = n_read64,
	.write32 = n_write32,
	.write64 = n_write64,
	.delay = n_delay,
	.now = n_now,
	.dma_alloc = n_dma_alloc,
	.mem_write = n_mem_write,
	.mem_read = n_mem_read,
	.irq_wait = n_irq_wait,
	.cpu = n_cpu,
};

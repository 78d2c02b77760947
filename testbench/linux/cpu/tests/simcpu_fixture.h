/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * simcpu_fixture.h - a host for the simulated-CPU tests and benchmark: one
 * model whose host ops forward interrupts, SEVs and DMA stores to a simcpu
 * scheduler, with the testbench harness's memory and bring-up helpers
 * (tb_harness.h) on the same model.
 */
#ifndef CMDQV_SIMCPU_FIXTURE_H
#define CMDQV_SIMCPU_FIXTURE_H

#include <cstring>
#include <vector>

#include "cmdqv_sim/model.h"
#include "simcpu.h"
#include "tb_harness.h"

/**
 * struct SimcpuHost - the model, its memory and the scheduler.  The harness
 * struct is filled by hand (its memory and our model) so that its bring-up
 * helpers work while the host ops are ours.
 */
struct SimcpuHost {
	struct tb_harness h;
	struct cmdqv_host_ops ops;
	struct simcpu *s = nullptr;
	std::vector<struct cmdqv_trace_rec> mmio; /* MMIO trace records */
	bool record_mmio = false;
	bool traced = true; /* false: no trace observer (benchmarks) */

	SimcpuHost()
	{
		std::memset(&h, 0, sizeof(h));
		std::memset(&ops, 0, sizeof(ops));
	}
	SimcpuHost(const SimcpuHost &) = delete;
	SimcpuHost &operator=(const SimcpuHost &) = delete;

	static void on_irq(void *ctx, enum cmdqv_irq line, bool level)
	{
		SimcpuHost *x = static_cast<SimcpuHost *>(ctx);
		if (x->s)
			simcpu_model_irq(x->s, line, level);
	}
	static void on_sev(void *ctx)
	{
		SimcpuHost *x = static_cast<SimcpuHost *>(ctx);
		if (x->s)
			simcpu_model_sev(x->s);
	}
	static int on_read(void *ctx, uint64_t addr, void *buf, uint32_t len)
	{
		SimcpuHost *x = static_cast<SimcpuHost *>(ctx);
		return tb_mem_dma_read(&x->h.n.mem, addr, buf, len);
	}
	static int on_write(void *ctx, uint64_t addr, const void *buf,
			    uint32_t len)
	{
		SimcpuHost *x = static_cast<SimcpuHost *>(ctx);
		int r = tb_mem_dma_write(&x->h.n.mem, addr, buf, len);
		uint8_t *page = tb_mem_page(&x->h.n.mem, addr);

		if (x->s && page)
			simcpu_model_store(x->s, page + (addr & 0xfff), len);
		return r;
	}
	static void on_trace(void *ctx, const struct cmdqv_trace_rec *rec)
	{
		SimcpuHost *x = static_cast<SimcpuHost *>(ctx);
		if (x->record_mmio && (rec->kind == CMDQV_TR_MMIO_READ ||
				       rec->kind == CMDQV_TR_MMIO_WRITE))
			x->mmio.push_back(*rec);
	}

	/* Returns false if the model could not be built. */
	bool init(const struct cmdqv_config *cfg, unsigned ncpus,
		  const struct simcpu_params *p = nullptr, uint64_t seed = 0)
	{
		char err[256];

		std::memset(&h, 0, sizeof(h));
		std::memset(&ops, 0, sizeof(ops));
		if (tb_mem_init(&h.n.mem) != 0)
			return false;
		h.n.mem_ready = true;
		ops.mem_read = on_read;
		ops.mem_write = on_write;
		ops.irq = on_irq;
		ops.sev = on_sev;
		ops.trace = traced ? on_trace : nullptr;
		if (cmdqv_model_create(cfg, &ops, this, &h.n.model, err,
				       sizeof(err)) != CMDQV_OK)
			return false;
		s = simcpu_create(h.n.model, ncpus, p, seed);
		return s != nullptr;
	}
	void deinit()
	{
		simcpu_destroy(s);
		s = nullptr;
		if (h.n.model)
			cmdqv_model_destroy(h.n.model);
		h.n.model = nullptr;
		if (h.n.mem_ready)
			tb_mem_deinit(&h.n.mem);
		h.n.mem_ready = false;
	}
	struct cmdqv_model *model()
	{
		return h.n.model;
	}
};

#endif /* CMDQV_SIMCPU_FIXTURE_H */

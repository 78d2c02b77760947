/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * hal_native.h - the driver HAL on the native model: register accesses are
 * direct cmdqv_mmio_* calls, DMA memory is a tb_mem, and the CPU's time is a
 * counter that advances with each access (by the configured access latency,
 * as the TLM bridge annotates it) and each delay; the model is run up to the
 * CPU's time before every access, so device work happens "while" it polls.
 */
#ifndef CMDQV_HAL_NATIVE_H
#define CMDQV_HAL_NATIVE_H

#include "drv.h"
#include "tb_mem.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * struct hal_native - one native platform for the driver.
 * @now:       the CPU's time (ps)
 * @dma_next:  bump allocator for dma_alloc, from HAL_DMA_BASE
 * @edges_seen: interrupt edges already reported by irq_wait, per line
 * @cpu:       CPU number the driver runs on (settable)
 */
struct hal_native {
	struct cmdqv_model *model;
	struct tb_mem mem;
	struct cmdqv_host_ops ops;
	sim_time_t now;
	uint64_t dma_next;
	uint64_t edges_seen[CMDQV_IRQ_COUNT];
	unsigned cpu;
};

/** Where DMA-coherent allocations start (both HALs use the same layout). */
#define HAL_DMA_BASE 0x80000000ull

/** Build the platform from @cfg (defaults if NULL). 0 or a CMDQV_* status. */
int hal_native_init(struct hal_native *h, const struct cmdqv_config *cfg,
		    char *err, size_t errlen);
void hal_native_deinit(struct hal_native *h);
/** Run the model up to the CPU's time (before looking at it directly). */
void hal_native_settle(struct hal_native *h);

extern const struct hal_ops hal_native_ops;

/** Bump allocation shared by both HALs: @size bytes aligned to @align at *@next. */
uint64_t hal_bump_alloc(uint64_t *next, uint64_t size, uint64_t align);

#ifdef __cplusplus
}
#endif
#endif /* CMDQV_HAL_NATIVE_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * hal_tlm.h - the driver HAL on the virtual platform: the driver runs in a
 * CPU actor's SC_THREAD; register accesses are b_transport calls through
 * the router to the bridge (the returned delay becomes the CPU's local
 * time, kept by its quantum keeper); delays advance local time; DMA memory
 * is written through DMI pointers; interrupts come from the interrupt
 * controller.  Same DMA layout as the native HAL (HAL_DMA_BASE).
 */
#ifndef CMDQV_HAL_TLM_H
#define CMDQV_HAL_TLM_H

#include <map>

#include "drv.h"
#include "vp_platform.h"

namespace vp
{

/** struct hal_tlm - HAL context for one CPU of a platform. */
struct hal_tlm {
	platform *p = nullptr;
	cpu *c = nullptr;
	unsigned cpu_override = 0;
	uint64_t dma_next = 0;
	uint64_t edges_seen[CMDQV_IRQ_COUNT] = {};
	std::map<uint64_t, unsigned char *> dmi_pages; /* page -> DMI pointer */
	uint64_t dmi_generation = 0; /* memory's, when cached */
	uint64_t bus_errors = 0;

	hal_tlm(platform *pl, cpu *cp);
	/** Bring global time to the CPU and let due processes run. */
	void settle();
};

extern const struct hal_ops hal_tlm_ops;

} // namespace vp

#endif /* CMDQV_HAL_TLM_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kapi_host.h - what the kernel-API shim needs from the harness that hosts
 * the drivers: the model and its simulated CPUs, the DMA arena, the register
 * apertures, the interrupt numbers and the log.  One host is current at a
 * time (the shim is "the kernel": its state is global, as a kernel's is).
 */
#ifndef KAPI_HOST_H
#define KAPI_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmdqv_sim/model.h>

#include "simcpu.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Linux IRQ numbers the harness gives the model's wired lines. */
#define KAPI_IRQ_BASE 64
#define KAPI_IRQ(line) (KAPI_IRQ_BASE + (int)(line))

/**
 * struct kapi_trap - a register window emulated by the harness (a VMM's
 * trapped MMIO) instead of the model: called in the accessing CPU's context
 * with the offset in the window; the handler charges its own time.
 */
struct kapi_trap {
	uint64_t (*read)(void *ctx, uint64_t off, unsigned size);
	void (*write)(void *ctx, uint64_t off, unsigned size, uint64_t v);
	void *ctx;
};

/**
 * struct kapi_aperture - a physical register window: the model's @space
 * from offset @space_off (0 for the host's own windows; a guest's window
 * mapped onto another page of the space sets it), or, with @trap, the
 * harness's emulation.  The first window containing an address wins.
 */
struct kapi_aperture {
	uint64_t pa;
	uint64_t size;
	enum cmdqv_space space;
	uint64_t space_off;
	const struct kapi_trap *trap;
};

#define KAPI_MAX_APERTURES 8

/** struct kapi_counters - what the shim counts as the driver runs. */
struct kapi_counters {
	uint64_t smmu_prod_writes; /* SMMU CMDQ_PROD */
	uint64_t vcmdq_prod_writes; /* any VCMDQ PROD, either view */
	uint64_t mmio_reads, mmio_writes;
	uint64_t warnings; /* WARN_ON() hits */
	uint64_t unsupported; /* calls into paths the shim does not model */
	uint64_t irq_requests; /* successful request_irq()s */
	/* failed cmpxchg()es on a plain integer (not an atomic_t): in
	 * arm-smmu-v3.c only the llq slot reservation of
	 * arm_smmu_cmdq_issue_cmdlist() uses one */
	uint64_t cas_fails;
	uint64_t cas_fails_by_cpu[SIMCPU_MAX_CPUS + 1];
	/* PROD writes (SMMU CMDQ or VCMDQ) by the CPU that made them; the IRQ
	 * context's at [SIMCPU_MAX_CPUS] */
	uint64_t prod_by_cpu[SIMCPU_MAX_CPUS + 1];
};

/** struct kapi_host - the harness state the shim reads. */
struct kapi_host {
	struct cmdqv_model *model;
	struct simcpu *cpus;
	uint8_t *arena; /* coherent DMA memory */
	uint64_t arena_size, arena_used,
		arena_dma; /* bus address of arena[0] */
	struct kapi_aperture ap[KAPI_MAX_APERTURES];
	unsigned nap;
	/* a guest instance: its CPUs are the scheduler's cpu_base ..
	 * cpu_base + ncpus - 1 (0 = every CPU), numbered from 0; its
	 * interrupts are virtual: line n is the scheduler's SIMCPU_VIRQ(n),
	 * which the VMM raises (simcpu_set_irq), not the model's line n */
	unsigned cpu_base, ncpus;
	bool virtual_irqs;
	/* 7.x: iommufd_viommu_report_event() hands each vEVENT here (the
	 * VMM reading its vEVENTQ), if set */
	void (*vevent)(void *ctx, int type, const void *data, size_t len);
	void *vevent_ctx;
	char *log; /* every kernel message, one per line */
	size_t log_len, log_cap;
	struct kapi_counters n;
	bool echo; /* also print messages to stderr */
};

/** Make @h the host every shim call uses (NULL to detach). */
void kapi_host_set(struct kapi_host *h);
struct kapi_host *kapi_host_get(void);
/** The scheduler line @h's interrupt line @line is bound to. */
enum cmdqv_irq kapi_irq_line(const struct kapi_host *h, int line);
/** Resolve a bus address range to arena memory, or NULL. */
void *kapi_dma_to_cpu(uint64_t dma, uint64_t len);
/** Free the host's log. */
void kapi_host_release(struct kapi_host *h);

#ifdef __cplusplus
}
#endif
#endif

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * simcpu.h - deterministic simulated CPUs over one cmdqv_model.
 *
 * N CPU contexts plus one context that takes interrupts run as coroutines on
 * the calling OS thread.  The context with the smallest local time runs
 * next; ties go to the lower id (CPU 0..N-1, then the IRQ context N), or,
 * with a non-zero seed, to a seeded pseudo-random choice among the tied.
 * Model events due at or before that time run first, so every MMIO reaches
 * the model in time order.  A context's local time advances only at the
 * calls below (MMIO, atomics, barriers, cpu_relax, delays, WFE); plain C
 * code between them takes no simulated time and is never preempted.
 *
 * The host that created the model owns it: it forwards the model's irq and
 * sev host-ops callbacks to simcpu_model_irq() / simcpu_model_sev().  Every
 * MMIO from a context goes through simcpu_mmio_read()/simcpu_mmio_write().
 *
 * Same inputs and seed -> the same interleaving, byte for byte.
 */
#ifndef CMDQV_SIMCPU_H
#define CMDQV_SIMCPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmdqv_sim/model.h>

#include "simcpu_self.h"

#ifdef __cplusplus
extern "C" {
#endif

struct simcpu;

/** Most CPU contexts one scheduler runs (the IRQ context is extra). */
#define SIMCPU_MAX_CPUS 64

/**
 * A cost equal to SIMCPU_PS_FROM_MODEL is read from the model's
 * configuration at simcpu_create() (mmio_read_latency, mmio_write_latency).
 */
#define SIMCPU_PS_FROM_MODEL UINT64_MAX

/**
 * struct simcpu_params - every cost the simulated CPUs charge, in
 * picoseconds, and the stack size.  simcpu_params_default() fills the
 * defaults; docs/linux-driver.md ("Simulated CPUs") gives each source.
 * @mmio_read_ps:   an uncached device read, issue to data (default: the
 *                  model's mmio_read_latency)
 * @mmio_write_ps:  a posted device write (default: mmio_write_latency)
 * @atomic_ps:      one atomic read-modify-write / cmpxchg (LSE), 20 ns
 * @barrier_ps:     dmb/dsb (smp_mb, wmb, dma_wmb...), 10 ns
 * @cpu_relax_ps:   one cpu_relax() (yield hint) iteration of a spin, 5 ns
 * @wfe_event_stream_ps: arm64 generic-timer event stream period, 100 us
 *                  (0: no event stream)
 * @wfe_wake_ps:    exit latency of WFE once woken, 0
 * @sev_ps:         cost of executing SEV, 0 (folded into the barrier)
 * @irq_entry_ps:   interrupt line rise -> hard handler runs, 1 us
 * @irq_thread_ps:  hard handler returned WAKE_THREAD -> thread runs, 5 us
 * @stack_bytes:    stack of each context, 256 KiB (a guard page is added
 *                  below it; 0 = the default)
 */
struct simcpu_params {
	uint64_t mmio_read_ps;
	uint64_t mmio_write_ps;
	uint64_t atomic_ps;
	uint64_t barrier_ps;
	uint64_t cpu_relax_ps;
	uint64_t wfe_event_stream_ps;
	uint64_t wfe_wake_ps;
	uint64_t sev_ps;
	uint64_t irq_entry_ps;
	uint64_t irq_thread_ps;
	size_t stack_bytes;
};

/** Fill @p with the defaults. */
void simcpu_params_default(struct simcpu_params *p);

/**
 * Create a scheduler of @ncpus (1..SIMCPU_MAX_CPUS) CPU contexts over @m
 * (borrowed) with costs @p (copied; NULL = defaults) and tie-break @seed
 * (0 = ties by id).  Returns NULL on a bad argument or allocation failure.
 */
struct simcpu *simcpu_create(struct cmdqv_model *m, unsigned ncpus,
			     const struct simcpu_params *p, uint64_t seed);
/** Free every context and stack (suspended contexts are dropped). */
void simcpu_destroy(struct simcpu *s);
/** The costs in force (SIMCPU_PS_FROM_MODEL resolved). */
const struct simcpu_params *simcpu_params(const struct simcpu *s);
unsigned simcpu_ncpus(const struct simcpu *s);
struct cmdqv_model *simcpu_model(const struct simcpu *s);

/* ---- from the host's cmdqv_host_ops callbacks ---- */

/** The model changed interrupt @line to @level (forward host_ops.irq). */
void simcpu_model_irq(struct simcpu *s, enum cmdqv_irq line, bool level);
/** The model signalled an event (forward host_ops.sev): wakes every WFE. */
void simcpu_model_sev(struct simcpu *s);
/**
 * The model wrote [@addr, @addr + @len) by DMA (forward host_ops.mem_write,
 * e.g. a CMD_SYNC MSI): wakes contexts in simcpu_wfe_on() on those 64-byte
 * granules.  @addr is a host pointer, in the space the waiters pass to
 * simcpu_wfe_on() (the host translates the DMA address).
 */
void simcpu_model_store(struct simcpu *s, const volatile void *addr,
			size_t len);

/* ---- from the host, outside any context ---- */

/**
 * Make CPU @cpu run @fn(@arg) from its current local time (at least the
 * model's now).  The CPU must be idle (never started, or its last fn
 * returned).  Also callable from inside a context.  Returns CMDQV_OK,
 * CMDQV_EINVAL (bad cpu) or CMDQV_ESTATE (CPU busy).
 */
int simcpu_start(struct simcpu *s, unsigned cpu, void (*fn)(void *), void *arg);

/**
 * Run contexts until every started fn has returned and the IRQ context is
 * idle (CMDQV_OK), or until the next context to run would start after
 * @limit (CMDQV_ETIMEDOUT; call again to continue), or CMDQV_ESTATE when
 * every live context sleeps in a WFE nothing can end (event stream off and
 * no model event pending) or when called from inside a context.  Model
 * events later than the last context are left for the host to run.
 */
int simcpu_run(struct simcpu *s, sim_time_t limit);

/** Return values of a hard IRQ handler (Linux irqreturn_t values). */
enum simcpu_irqreturn {
	SIMCPU_IRQ_NONE = 0,
	SIMCPU_IRQ_HANDLED = 1,
	SIMCPU_IRQ_WAKE_THREAD = 2,
};

/** Interrupt lines: the model's (enum cmdqv_irq), then SIMCPU_VIRQS
 * virtual lines a VMM raises for a guest kernel (simcpu_set_irq). */
#define SIMCPU_VIRQS 4
#define SIMCPU_VIRQ(n) ((enum cmdqv_irq)(CMDQV_IRQ_COUNT + (n)))
#define SIMCPU_IRQ_LINES (CMDQV_IRQ_COUNT + SIMCPU_VIRQS)

/**
 * Attach handlers to @line: when the line rises the IRQ context runs
 * @hard(@arg) (NULL: as if it returned WAKE_THREAD), then @thread(@arg) if
 * @hard returned SIMCPU_IRQ_WAKE_THREAD and @thread is not NULL.  While the
 * line stays high after the handlers (a level line not yet cleared) they run
 * again.  One handler set per line; returns CMDQV_OK, CMDQV_EINVAL or
 * CMDQV_ESTATE (line taken).
 */
int simcpu_request_irq(struct simcpu *s, enum cmdqv_irq line,
		       int (*hard)(void *), void (*thread)(void *), void *arg);
/** Detach @line's handlers (free_irq). */
void simcpu_free_irq(struct simcpu *s, enum cmdqv_irq line);
/**
 * Set a virtual line (SIMCPU_VIRQ(n)) to @level, from a context (at its
 * time) or from outside (at the model's time): a rising edge makes the
 * IRQ context run its handlers.  Pending lines are served in turn, so a
 * level line that stays high cannot keep another from being served.
 */
void simcpu_set_irq(struct simcpu *s, enum cmdqv_irq line, bool level);

/* ---- from inside a context (CPU or IRQ) ---- */

/** The running scheduler, or NULL outside every context. */
struct simcpu *simcpu_self(void);
/* simcpu_cpu_id(), simcpu_now(), costs, WFE/SEV, local_irq_*: simcpu_self.h */

/** Device register access at the context's time; charges mmio_*_ps. */
uint64_t simcpu_mmio_read(enum cmdqv_space sp, uint64_t off, unsigned size);
void simcpu_mmio_write(enum cmdqv_space sp, uint64_t off, unsigned size,
		       uint64_t v);

/**
 * Counters by name: "switches", "mmio_reads", "mmio_writes", "mmio_errors"
 * (accesses the model refused: reads return all ones), "atomics",
 * "barriers", "relaxes", "delays", "charges", "wfe", "wfe_immediate",
 * "wfe_sev_wakes", "wfe_notify_wakes", "wfe_stream_wakes", "sevs",
 * "model_sevs", "model_stores", "irqs", "irq_threads", "irq_unhandled",
 * "irq_unclaimed".  Unknown names read UINT64_MAX.
 */
uint64_t simcpu_stat(const struct simcpu *s, const char *name);

/**
 * Optional observer: called for every context switch and every MMIO, in
 * order, for event logs (determinism tests, traces).  @what is "run",
 * "mmio_r", "mmio_w", "irq"...; may be NULL to detach.
 */
typedef void (*simcpu_log_fn)(void *ctx, sim_time_t t, unsigned id,
			      const char *what, uint64_t a, uint64_t b);
void simcpu_set_log(struct simcpu *s, simcpu_log_fn fn, void *ctx);

#ifdef __cplusplus
}
#endif
#endif /* CMDQV_SIMCPU_H */

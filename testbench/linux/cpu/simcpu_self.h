/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * simcpu_self.h - the simulated-CPU calls made from inside a context (CPU or
 * IRQ) that need nothing of the model's headers: time, costs, WFE/SEV and
 * the interrupt mask.  simcpu.h includes it; the kernel API shim includes it
 * alone (the model's CMDQ_OP_* names collide with the driver's).
 */
#ifndef CMDQV_SIMCPU_SELF_H
#define CMDQV_SIMCPU_SELF_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** 0..ncpus-1 on a CPU; ncpus in the IRQ context. */
unsigned simcpu_cpu_id(void);
/** True while the IRQ context runs a hard handler. */
bool simcpu_in_irq(void);
/** True anywhere in the IRQ context (hard or threaded handler). */
bool simcpu_in_irq_context(void);
/** The running context's local time (a sim_time_t). */
uint64_t simcpu_now(void);

/** udelay/ndelay/usleep: @ps pass; a preemption point. */
void simcpu_delay(uint64_t ps);
/** Charge an arbitrary cost (driver computation worth counting). */
void simcpu_charge(uint64_t ps);
/** Charge cpu_relax_ps / atomic_ps / barrier_ps; each a preemption point. */
void simcpu_cpu_relax(void);
void simcpu_atomic(void);
void simcpu_barrier(void);

/**
 * WFE: returns at once (clearing it) if this context's event register is
 * set; otherwise sleeps until a SEV (model or another context), the next
 * event-stream tick (multiples of wfe_event_stream_ps), or, for
 * simcpu_wfe_on(), a simcpu_notify() of @addr's 64-byte granule by another
 * context (a store that clears the exclusive monitor, as arm64's
 * __cmpwait does with LDXR + WFE).
 */
void simcpu_wfe(void);
void simcpu_wfe_on(const volatile void *addr);
/** A store to @addr: wakes contexts waiting in simcpu_wfe_on() on it. */
void simcpu_notify(const volatile void *addr);
/** SEV: sets the event register of every context, waking their WFE. */
void simcpu_sev(void);

/**
 * Per-context interrupt mask (local_irq_*).  Interrupts are taken by the
 * IRQ context, so a CPU with IRQs off never delays them; the flag is kept
 * for the shim's irqs_disabled() and assertions.
 */
void simcpu_local_irq_disable(void);
void simcpu_local_irq_enable(void);
unsigned long simcpu_local_irq_save(void);
void simcpu_local_irq_restore(unsigned long flags);
bool simcpu_irqs_disabled(void);

#ifdef __cplusplus
}
#endif

#endif /* CMDQV_SIMCPU_SELF_H */

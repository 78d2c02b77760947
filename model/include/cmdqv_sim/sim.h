/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim.h - the event kernel: picosecond time, an intrusive min-heap of events
 * ordered by (deadline, insertion sequence), run_until / next_deadline.
 *
 * Events are embedded in their owners (queues, endpoints, actors) and
 * registered once at create time; registering may grow the heap's storage,
 * scheduling never allocates.  Equal-deadline events run in the order they
 * were scheduled (libuv's timer rule), so runs are deterministic.
 */
#ifndef CMDQV_SIM_SIM_H
#define CMDQV_SIM_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Simulated time in picoseconds. */
typedef uint64_t sim_time_t;

#define SIM_TIME_NEVER UINT64_MAX
#define SIM_PS(x) ((sim_time_t)(x))
#define SIM_NS(x) ((sim_time_t)(x)*1000ull)
#define SIM_US(x) ((sim_time_t)(x)*1000000ull)
#define SIM_MS(x) ((sim_time_t)(x)*1000000000ull)

/** @a + @b, or SIM_TIME_NEVER if that does not fit: a latency too long to
 * represent never ends instead of wrapping round to a short one. */
static inline sim_time_t sim_time_add(sim_time_t a, sim_time_t b)
{
	return b > SIM_TIME_NEVER - a ? SIM_TIME_NEVER : a + b;
}

struct sim_kernel;
struct sim_event;

/** Callback run when an event's deadline is reached; k->now == deadline. */
typedef void (*sim_event_fn)(struct sim_kernel *k, struct sim_event *ev);

/**
 * struct sim_event - one schedulable event, embedded in its owner.
 * @deadline:   when it fires (valid while pending)
 * @seq:        insertion sequence, breaks deadline ties
 * @heap_index: position in the heap, UINT32_MAX when not pending
 * @fn, @arg:   callback and its argument (use container_of or @arg)
 */
struct sim_event {
	sim_time_t deadline;
	uint64_t seq;
	uint32_t heap_index;
	sim_event_fn fn;
	void *arg;
};

/**
 * struct sim_kernel - simulated time and the pending-event heap.
 * @now:        current time; only advances inside sim_run_until()
 * @next_seq:   next insertion sequence number
 * @heap:       array of pending events, capacity == number registered
 * @count:      pending events
 * @capacity:   registered events (heap storage size)
 * @dispatched: total events run so far (statistics)
 */
struct sim_kernel {
	sim_time_t now;
	uint64_t next_seq;
	struct sim_event **heap;
	uint32_t count;
	uint32_t capacity;
	uint64_t dispatched;
};

/** Initialise an empty kernel at time 0. Returns 0. */
int sim_kernel_init(struct sim_kernel *k);
/**
 * Back to time 0 with nothing pending and the sequence counter at 0, keeping
 * every registered event (and the heap storage): no allocation.
 */
void sim_kernel_reset(struct sim_kernel *k);
/** Free the heap storage. Pending events are dropped. */
void sim_kernel_deinit(struct sim_kernel *k);

/**
 * Register @ev with @k (create time only): reserves heap room so that
 * scheduling it later never allocates. Returns 0, or -1 on allocation failure.
 */
int sim_event_register(struct sim_kernel *k, struct sim_event *ev,
		       sim_event_fn fn, void *arg);

/** Schedule @ev at absolute time @t (clamped to now). Reschedules if pending. */
void sim_schedule_at(struct sim_kernel *k, struct sim_event *ev, sim_time_t t);
/** Schedule @ev at now + @delta. */
void sim_schedule_in(struct sim_kernel *k, struct sim_event *ev,
		     sim_time_t delta);
/** Remove @ev if pending; no-op otherwise. */
void sim_cancel(struct sim_kernel *k, struct sim_event *ev);
/** True while @ev is scheduled and has not fired. */
static inline bool sim_event_pending(const struct sim_event *ev)
{
	return ev->heap_index != UINT32_MAX;
}

/** Deadline of the earliest pending event, or SIM_TIME_NEVER. */
sim_time_t sim_next_deadline(const struct sim_kernel *k);

/**
 * Run every event whose deadline is <= @t, in (deadline, seq) order, then set
 * now = max(now, @t). Events scheduled by callbacks at or before @t also run.
 * @t == SIM_TIME_NEVER runs until no event is pending and leaves now at the
 * last event's time. Returns the number of events run.
 */
uint64_t sim_run_until(struct sim_kernel *k, sim_time_t t);

/** Convert @cycles of a clock at @mhz to picoseconds (rounded to nearest). */
static inline sim_time_t sim_cycles_to_ps(uint64_t cycles, uint32_t mhz)
{
	return (sim_time_t)((cycles * 1000000ull + mhz / 2) / mhz);
}

#ifdef __cplusplus
}
#endif
#endif /* CMDQV_SIM_SIM_H */

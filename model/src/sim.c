/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim.c - the event kernel (sim.h): an intrusive binary min-heap of
 * struct sim_event pointers ordered by (deadline, seq).
 *
 * Why a heap of pointers with the index stored in the event: cancel and
 * reschedule are O(log n) without searching, and the owner keeps the event
 * inside its own struct (libuv's timer heap does the same).  Heap storage is
 * sized by sim_event_register() at create time, one slot per registered
 * event, so the heap can never hold more than the capacity and scheduling
 * never allocates (docs/performance.md).
 *
 * Determinism: ties on deadline are broken by the insertion sequence, which
 * is renewed every time an event is (re)scheduled, so equal-time events run
 * in the order they were last scheduled (libuv's timer rule).
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "cmdqv_sim/sim.h"

#define SIM_NOT_PENDING UINT32_MAX

/*
 * Latest deadline an event may have.  SIM_TIME_NEVER is reserved for "nothing
 * pending" (sim_next_deadline) so that a far-future event is never mistaken
 * for an empty heap; deadlines saturate one picosecond before it.
 */
#define SIM_DEADLINE_MAX (SIM_TIME_NEVER - 1)

/* True if @a must run before @b. */
static bool sim_event_before(const struct sim_event *a,
			     const struct sim_event *b)
{
	if (a->deadline != b->deadline)
		return a->deadline < b->deadline;
	return a->seq < b->seq;
}

static void sim_heap_set(struct sim_kernel *k, uint32_t i, struct sim_event *ev)
{
	k->heap[i] = ev;
	ev->heap_index = i;
}

static void sim_heap_sift_up(struct sim_kernel *k, uint32_t i)
{
	struct sim_event *ev = k->heap[i];

	while (i > 0) {
		uint32_t parent = (i - 1) / 2;

		if (!sim_event_before(ev, k->heap[parent]))
			break;
		sim_heap_set(k, i, k->heap[parent]);
		i = parent;
	}
	sim_heap_set(k, i, ev);
}

static void sim_heap_sift_down(struct sim_kernel *k, uint32_t i)
{
	struct sim_event *ev = k->heap[i];

	for (;;) {
		uint32_t l = 2 * i + 1, r = l + 1, best;

		if (l >= k->count)
			break;
		best = l;
		if (r < k->count && sim_event_before(k->heap[r], k->heap[l]))
			best = r;
		if (!sim_event_before(k->heap[best], ev))
			break;
		sim_heap_set(k, i, k->heap[best]);
		i = best;
	}
	sim_heap_set(k, i, ev);
}

/* Remove the event at heap slot @i and restore the heap property. */
static void sim_heap_remove(struct sim_kernel *k, uint32_t i)
{
	struct sim_event *ev = k->heap[i];
	struct sim_event *last;

	assert(i < k->count && ev->heap_index == i);
	k->count--;
	ev->heap_index = SIM_NOT_PENDING;
	if (i == k->count)
		return;
	last = k->heap[k->count];
	sim_heap_set(k, i, last);
	/* The moved element may belong either above or below slot i. */
	if (i > 0 && sim_event_before(last, k->heap[(i - 1) / 2]))
		sim_heap_sift_up(k, i);
	else
		sim_heap_sift_down(k, i);
}

int sim_kernel_init(struct sim_kernel *k)
{
	memset(k, 0, sizeof(*k));
	return 0;
}

void sim_kernel_reset(struct sim_kernel *k)
{
	for (uint32_t i = 0; i < k->count; i++)
		k->heap[i]->heap_index = SIM_NOT_PENDING;
	k->count = 0;
	k->now = 0;
	k->next_seq = 0;
	k->dispatched = 0;
}

void sim_kernel_deinit(struct sim_kernel *k)
{
	for (uint32_t i = 0; i < k->count; i++)
		k->heap[i]->heap_index = SIM_NOT_PENDING;
	free(k->heap);
	memset(k, 0, sizeof(*k));
}

int sim_event_register(struct sim_kernel *k, struct sim_event *ev,
		       sim_event_fn fn, void *arg)
{
	struct sim_event **heap;

	if (k->capacity == UINT32_MAX - 1)
		return -1;
	/* One slot per registered event; grown by one each time (create time
	 * only, so the quadratic worst case of realloc does not matter). */
	heap = realloc(k->heap, (size_t)(k->capacity + 1) * sizeof(*heap));
	if (!heap)
		return -1;
	k->heap = heap;
	k->capacity++;

	memset(ev, 0, sizeof(*ev));
	ev->heap_index = SIM_NOT_PENDING;
	ev->fn = fn;
	ev->arg = arg;
	return 0;
}

void sim_schedule_at(struct sim_kernel *k, struct sim_event *ev, sim_time_t t)
{
	if (t < k->now)
		t = k->now;
	if (t > SIM_DEADLINE_MAX)
		t = SIM_DEADLINE_MAX;

	if (sim_event_pending(ev)) {
		/* Reschedule: new deadline and a fresh sequence number, as if it
		 * had been cancelled and scheduled again. */
		uint32_t i = ev->heap_index;

		assert(i < k->count && k->heap[i] == ev);
		ev->deadline = t;
		ev->seq = k->next_seq++;
		if (i > 0 && sim_event_before(ev, k->heap[(i - 1) / 2]))
			sim_heap_sift_up(k, i);
		else
			sim_heap_sift_down(k, i);
		return;
	}

	/* An unregistered event would overflow the storage: a host-program
	 * bug, not something software running on the model can cause. */
	assert(k->count < k->capacity);
	ev->deadline = t;
	ev->seq = k->next_seq++;
	k->heap[k->count] = ev;
	ev->heap_index = k->count;
	k->count++;
	sim_heap_sift_up(k, ev->heap_index);
}

void sim_schedule_in(struct sim_kernel *k, struct sim_event *ev,
		     sim_time_t delta)
{
	sim_time_t t = delta > SIM_DEADLINE_MAX - k->now ? SIM_DEADLINE_MAX :
							   k->now + delta;

	sim_schedule_at(k, ev, t);
}

void sim_cancel(struct sim_kernel *k, struct sim_event *ev)
{
	if (!sim_event_pending(ev))
		return;
	sim_heap_remove(k, ev->heap_index);
}

sim_time_t sim_next_deadline(const struct sim_kernel *k)
{
	return k->count ? k->heap[0]->deadline : SIM_TIME_NEVER;
}

uint64_t sim_run_until(struct sim_kernel *k, sim_time_t t)
{
	uint64_t ran = 0;

	while (k->count && k->heap[0]->deadline <= t) {
		struct sim_event *ev = k->heap[0];

		sim_heap_remove(k, 0);
		k->now = ev->deadline;
		k->dispatched++;
		ran++;
		/* The callback may schedule (even @ev itself) or cancel events;
		 * the loop re-reads the heap top every iteration. */
		ev->fn(k, ev);
	}
	if (t != SIM_TIME_NEVER && t > k->now)
		k->now = t;
	return ran;
}

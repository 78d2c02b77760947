/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * simcpu.c - the deterministic scheduler of simulated CPUs (simcpu.h).
 *
 * Each context keeps a local time.  The one with the smallest time runs;
 * it keeps running until a preemption point (any call that charges time)
 * leaves its time at or past the smallest time of the others or the
 * model's next deadline.  Then simcpu_pick() runs the model events that
 * are due first (they may wake contexts: an IRQ line, a SEV, a DMA store a
 * WFE monitor watches) and switches straight to the next context.  So the
 * model sees every access in time order and a context that is ahead never
 * runs before one that is behind.
 *
 * The running context caches the smallest time of the others
 * (other_min), so a preemption point that does not switch costs two
 * compares; whatever wakes another context lowers the cache.
 *
 * WFE follows the Armv8 event register: SEV (from a CPU or the model)
 * sets it on every PE, a WFE with it set returns at once and clears it,
 * and the generic timer's event stream sets it on every tick (multiples of
 * wfe_event_stream_ps, as a free-running counter bit toggles), also while
 * the CPU is not waiting.  A WFE after LDXR (arm64's __cmpwait) also wakes
 * when a store clears the exclusive monitor: simcpu_wfe_on() and
 * simcpu_notify() / simcpu_model_store(), on 64-byte granules.
 */
#include "simcpu.h"

#include <stdlib.h>
#include <string.h>

#include "simcpu_ctx.h"

/* Leaves of the run-queue tree: a power of two above SIMCPU_MAX_CPUS. */
#define SIMCPU_TREE_LEAVES 128
_Static_assert(SIMCPU_MAX_CPUS + 1 <= SIMCPU_TREE_LEAVES &&
		       SIMCPU_TREE_LEAVES <= 256,
	       "run-queue tree leaves");

/* X(name): every counter, in simcpu_stat() name order. */
#define SIMCPU_STATS(X)     \
	X(switches)         \
	X(mmio_reads)       \
	X(mmio_writes)      \
	X(mmio_errors)      \
	X(atomics)          \
	X(barriers)         \
	X(relaxes)          \
	X(delays)           \
	X(charges)          \
	X(wfe)              \
	X(wfe_immediate)    \
	X(wfe_sev_wakes)    \
	X(wfe_notify_wakes) \
	X(wfe_stream_wakes) \
	X(sevs)             \
	X(model_sevs)       \
	X(model_stores)     \
	X(irqs)             \
	X(irq_threads)      \
	X(irq_unhandled)    \
	X(irq_unclaimed)

struct simcpu_stats {
#define SIMCPU_STAT_FIELD(name) uint64_t name;
	SIMCPU_STATS(SIMCPU_STAT_FIELD)
#undef SIMCPU_STAT_FIELD
};

/* Exclusive reservation granule assumed for WFE monitors (a cache line). */
#define SIMCPU_GRANULE 64u

enum simcpu_state {
	SIMCPU_IDLE, /* CPU: no fn (never started, or it returned) */
	SIMCPU_RUNNABLE,
	SIMCPU_WFE, /* sleeping in WFE; time = the next event-stream tick */
	SIMCPU_IRQ_WAIT, /* IRQ context: no line pending */
};

enum simcpu_wake {
	SIMCPU_WAKE_NONE,
	SIMCPU_WAKE_STREAM,
	SIMCPU_WAKE_SEV,
	SIMCPU_WAKE_NOTIFY,
};

/**
 * struct simcpu_context - one CPU or the IRQ context.
 * @hw:          stack and saved registers
 * @s:           owner
 * @id:          0..ncpus-1, ncpus for the IRQ context
 * @state:       enum simcpu_state
 * @time:        local time (while in WFE: when the event stream wakes it)
 * @wfe_start:   when the current WFE began
 * @evt_cleared: when the event register was last cleared (event-stream
 *               ticks after this have set it again)
 * @event_reg:   event register set by a SEV
 * @wake:        why the current WFE ended
 * @monitoring:  in simcpu_wfe_on(), watching granule @monitor
 * @irq_off:     local_irq_disable() state
 * @in_hard:     running a hard IRQ handler
 * @fn, @arg:    the CPU's current function
 */
struct simcpu_context {
	struct simcpu_ctx hw;
	struct simcpu *s;
	unsigned id;
	enum simcpu_state state;
	sim_time_t time;
	sim_time_t wfe_start;
	sim_time_t evt_cleared;
	bool event_reg;
	enum simcpu_wake wake;
	bool monitoring;
	uintptr_t monitor;
	bool irq_off;
	bool in_hard;
	void (*fn)(void *);
	void *arg;
};

/** struct simcpu_irq_handler - what simcpu_request_irq() attached. */
struct simcpu_irq_handler {
	int (*hard)(void *);
	void (*thread)(void *);
	void *arg;
	bool used;
};

/**
 * struct simcpu - the scheduler.
 * @m:         the model (borrowed)
 * @ncpus:     CPU contexts; ctx[ncpus] is the IRQ context
 * @p:         costs (FROM_MODEL resolved)
 * @seed:      tie-break seed (0 = by id); @rng its state
 * @ctx:       ncpus + 1 contexts
 * @main:      the context of the thread in simcpu_run()
 * @cur:       running context, NULL while @main runs
 * @other_min: smallest time of the runnable contexts other than @cur
 * @limit:     simcpu_run()'s limit
 * @live:      CPU fns started and not returned
 * @monitors:  contexts in simcpu_wfe_on()
 * @deadlock:  everything sleeps with no way to wake (no event stream)
 * @key:       per context, its time if runnable or in WFE, else NEVER; the
 *             running context's entry is refreshed when it reschedules;
 *             entries past ncpus stay NEVER
 * @leaves:    leaves of the tournament tree over @key (a power of two)
 * @nd:        the tree: nd[n] is the smallest (key, id) under node n, the
 *             key kept beside the id (leaves at @leaves + id, root at 1),
 *             so the next context is nd[1].id and a key change costs at
 *             most log2(@leaves) steps, fewer when it stops changing winners
 */
struct simcpu {
	struct cmdqv_model *m;
	unsigned ncpus;
	struct simcpu_params p;
	uint64_t seed;
	uint64_t rng;
	struct simcpu_context *ctx;
	struct simcpu_ctx main;
	struct simcpu_context *cur;
	sim_time_t other_min;
	sim_time_t limit;
	unsigned live;
	unsigned monitors;
	bool deadlock;
	sim_time_t key[SIMCPU_TREE_LEAVES];
	unsigned leaves;
	struct simcpu_node {
		sim_time_t k;
		unsigned id;
	} nd[2 * SIMCPU_TREE_LEAVES];
	uint32_t irq_pending;
	unsigned irq_next; /* the line served next when several pend */
	bool irq_level[SIMCPU_IRQ_LINES];
	struct simcpu_irq_handler irq[SIMCPU_IRQ_LINES];
	struct simcpu_stats st;
	simcpu_log_fn log;
	void *log_ctx;
};

/* The scheduler whose simcpu_run() is active on this thread. */
static _Thread_local struct simcpu *simcpu_running;

void simcpu_params_default(struct simcpu_params *p)
{
	memset(p, 0, sizeof(*p));
	p->mmio_read_ps = SIMCPU_PS_FROM_MODEL;
	p->mmio_write_ps = SIMCPU_PS_FROM_MODEL;
	p->atomic_ps = SIM_NS(20);
	p->barrier_ps = SIM_NS(10);
	p->cpu_relax_ps = SIM_NS(5);
	p->wfe_event_stream_ps = SIM_US(100);
	p->wfe_wake_ps = 0;
	p->sev_ps = 0;
	p->irq_entry_ps = SIM_US(1);
	p->irq_thread_ps = SIM_US(5);
	p->stack_bytes = 256 * 1024;
}

/* splitmix64: a small, well-known generator; only for tie-breaks. */
static uint64_t simcpu_rand(struct simcpu *s)
{
	uint64_t z = (s->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void simcpu_log(struct simcpu *s, sim_time_t t, unsigned id,
		       const char *what, uint64_t a, uint64_t b)
{
	if (s->log)
		s->log(s->log_ctx, t, id, what, a, b);
}

/* The winner of node @n's two children: the smaller key; on a tie the
 * left child, whose ids are all smaller. */
static inline const struct simcpu_node *simcpu_min2(const struct simcpu *s,
						    unsigned n)
{
	const struct simcpu_node *a = &s->nd[2 * n], *b = &s->nd[2 * n + 1];

	return b->k < a->k ? b : a;
}

/* Replay the matches from context @id's leaf up, until a node's winner
 * does not change (its ancestors then do not either). */
static inline void simcpu_tree_update(struct simcpu *s, unsigned id)
{
	unsigned n = s->leaves + id;

	s->nd[n].k = s->key[id];
	for (n >>= 1; n; n >>= 1) {
		const struct simcpu_node *w = simcpu_min2(s, n);

		if (s->nd[n].k == w->k && s->nd[n].id == w->id)
			break;
		s->nd[n] = *w;
	}
}

/* Refresh @c's run-queue key: its time if it can run, else NEVER. */
static inline void simcpu_key(struct simcpu *s, const struct simcpu_context *c)
{
	sim_time_t k = c->state == SIMCPU_RUNNABLE || c->state == SIMCPU_WFE ?
			       c->time :
			       SIM_TIME_NEVER;

	if (s->key[c->id] == k)
		return;
	s->key[c->id] = k;
	simcpu_tree_update(s, c->id);
}

/* Build the tree over @key (every entry NEVER or set). */
static void simcpu_tree_init(struct simcpu *s)
{
	unsigned n;

	s->leaves = 1;
	while (s->leaves < s->ncpus + 1)
		s->leaves <<= 1;
	for (n = 0; n < s->leaves; n++)
		s->nd[s->leaves + n] = (struct simcpu_node){ s->key[n], n };
	for (n = s->leaves - 1; n; n--)
		s->nd[n] = *simcpu_min2(s, n);
}

/* The smallest key other than the winner's: the winners of the siblings
 * along the winner's path (equal to the winner's key on a tie). */
static inline sim_time_t simcpu_second(const struct simcpu *s, unsigned best)
{
	sim_time_t second = SIM_TIME_NEVER;
	unsigned n;

	for (n = s->leaves + best; n > 1; n >>= 1) {
		sim_time_t t = s->nd[n ^ 1].k;

		if (t < second)
			second = t;
	}
	return second;
}

/* Seeded choice among the contexts whose key is @t (reservoir: the k-th
 * of them wins with probability 1/k). */
static unsigned simcpu_tie(struct simcpu *s, sim_time_t t)
{
	unsigned i, k = 0, pick = 0;

	for (i = 0; i <= s->ncpus; i++)
		if (s->key[i] == t && simcpu_rand(s) % ++k == 0)
			pick = i;
	return pick;
}

/*
 * The next context to run, after running the model events due at or
 * before its time (they may wake others, so look again).  NULL: nothing
 * left to run, the limit is reached, or a deadlock.  Sets other_min for
 * the chosen context.  The winner is the tournament tree's root; the
 * runner-up time is read along its path (log2 of the contexts).
 */
static struct simcpu_context *simcpu_pick(struct simcpu *s)
{
	if (s->cur)
		simcpu_key(s, s->cur);
	for (;;) {
		/* Smallest (time, id), and the smallest time of the rest. */
		unsigned bi = s->nd[1].id;
		sim_time_t best_t = s->nd[1].k, second, d;
		struct simcpu_context *best;

		d = cmdqv_next_deadline(s->m);
		/* the runner-up only matters once no model event comes first */
		second = d <= best_t && best_t != SIM_TIME_NEVER ?
				 SIM_TIME_NEVER :
				 simcpu_second(s, bi);
		if (s->seed && second == best_t && best_t != SIM_TIME_NEVER)
			bi = simcpu_tie(s, best_t);
		if (best_t == SIM_TIME_NEVER) {
			/* Done, or every live context sleeps in a WFE that
			 * only a model event could end (no event stream). */
			if (!s->live &&
			    s->ctx[s->ncpus].state == SIMCPU_IRQ_WAIT)
				return NULL;
			if (d == SIM_TIME_NEVER) {
				s->deadlock = true;
				return NULL;
			}
		}
		if (d <= best_t) {
			if (d > s->limit)
				return NULL;
			cmdqv_run_until(s->m, d);
			continue;
		}
		if (best_t > s->limit)
			return NULL;
		best = &s->ctx[bi];
		if (best->state == SIMCPU_WFE) {
			best->state = SIMCPU_RUNNABLE;
			best->wake = SIMCPU_WAKE_STREAM;
		}
		s->other_min = second;
		return best;
	}
}

/* Leave @c (NULL: the main context) for the next context, if another. */
static void simcpu_resched(struct simcpu *s, struct simcpu_context *c)
{
	struct simcpu_context *n = simcpu_pick(s);
	struct simcpu_ctx *from = c ? &c->hw : &s->main;

	if (n == c)
		return;
	s->cur = n;
	if (n) {
		s->st.switches++;
		simcpu_log(s, n->time, n->id, "run", 0, 0);
		simcpu_ctx_switch(from, &n->hw);
	} else {
		simcpu_ctx_switch(from, &s->main);
	}
}

/* A preemption point after @dt of @c's time. */
static inline void simcpu_advance(struct simcpu *s, struct simcpu_context *c,
				  uint64_t dt)
{
	c->time += dt;
	if (c->time < s->other_min && c->time < cmdqv_next_deadline(s->m) &&
	    c->time <= s->limit)
		return;
	simcpu_resched(s, c);
}

/* @c (not running) becomes runnable at @t. */
static void simcpu_make_runnable(struct simcpu *s, struct simcpu_context *c,
				 sim_time_t t)
{
	c->state = SIMCPU_RUNNABLE;
	c->time = t;
	simcpu_key(s, c);
	if (c != s->cur && t < s->other_min)
		s->other_min = t;
}

/* An event (SEV) reaches @c at @t: wake its WFE or set its register. */
static void simcpu_signal(struct simcpu *s, struct simcpu_context *c,
			  sim_time_t t, enum simcpu_wake why)
{
	if (c->state != SIMCPU_WFE) {
		c->event_reg = true;
		return;
	}
	c->wake = why;
	simcpu_make_runnable(s, c, t > c->wfe_start ? t : c->wfe_start);
}

/* A store to [@addr, @addr + @len) at @t clears matching monitors. */
static void simcpu_store(struct simcpu *s, uintptr_t addr, size_t len,
			 sim_time_t t)
{
	uintptr_t lo = addr & ~(uintptr_t)(SIMCPU_GRANULE - 1);
	uintptr_t hi = (addr + (len ? len : 1) - 1) &
		       ~(uintptr_t)(SIMCPU_GRANULE - 1);
	unsigned i;

	if (!s->monitors)
		return;
	for (i = 0; i <= s->ncpus; i++) {
		struct simcpu_context *c = &s->ctx[i];

		/* The running context is never in WFE, except the one whose
		 * simcpu_pick() runs the model: that one may be woken. */
		if (c->state != SIMCPU_WFE || !c->monitoring ||
		    c->monitor < lo || c->monitor > hi)
			continue;
		simcpu_signal(s, c, t, SIMCPU_WAKE_NOTIFY);
	}
}

/* ---- context bodies ---- */

static void simcpu_cpu_main(void *arg)
{
	struct simcpu_context *c = arg;
	struct simcpu *s = c->s;

	for (;;) {
		c->fn(c->arg);
		c->fn = NULL;
		c->state = SIMCPU_IDLE;
		s->live--;
		/* Resumed here only after simcpu_start() gave a new fn. */
		simcpu_resched(s, c);
	}
}

static void simcpu_irq_main(void *arg)
{
	struct simcpu_context *c = arg;
	struct simcpu *s = c->s;

	for (;;) {
		struct simcpu_irq_handler h;
		sim_time_t t0 = c->time;
		int r = SIMCPU_IRQ_WAKE_THREAD;
		unsigned line;

		if (!s->irq_pending) {
			c->state = SIMCPU_IRQ_WAIT;
			simcpu_resched(s, c);
			continue;
		}
		/* the first pending line at or after irq_next, in turn */
		{
			uint32_t later = s->irq_pending &
					 ~((1u << s->irq_next) - 1u);

			line = (unsigned)__builtin_ctz(later ? later :
							       s->irq_pending);
		}
		s->irq_pending &= ~(1u << line);
		s->irq_next = (line + 1) % SIMCPU_IRQ_LINES;
		h = s->irq[line];
		if (!h.used) {
			s->st.irq_unclaimed++;
			continue;
		}
		s->st.irqs++;
		simcpu_log(s, c->time, c->id, "irq", line, 0);
		simcpu_advance(s, c, s->p.irq_entry_ps);
		if (h.hard) {
			c->in_hard = true;
			r = h.hard(h.arg);
			c->in_hard = false;
		}
		if (r == SIMCPU_IRQ_NONE)
			s->st.irq_unhandled++;
		if (r == SIMCPU_IRQ_WAKE_THREAD && h.thread) {
			simcpu_advance(s, c, s->p.irq_thread_ps);
			s->st.irq_threads++;
			h.thread(h.arg);
		}
		/* A level line the handlers left high fires again (only if
		 * time passed, so a zero-cost handler cannot spin forever). */
		if (s->irq_level[line] && c->time > t0)
			s->irq_pending |= 1u << line;
	}
}

/* ---- lifetime ---- */

struct simcpu *simcpu_create(struct cmdqv_model *m, unsigned ncpus,
			     const struct simcpu_params *p, uint64_t seed)
{
	const struct cmdqv_config *cfg;
	struct simcpu *s;
	unsigned i;

	if (!m || ncpus == 0 || ncpus > SIMCPU_MAX_CPUS)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->ctx = calloc(ncpus + 1, sizeof(*s->ctx));
	if (!s->ctx) {
		free(s);
		return NULL;
	}
	s->m = m;
	s->ncpus = ncpus;
	if (p)
		s->p = *p;
	else
		simcpu_params_default(&s->p);
	cfg = cmdqv_model_config(m);
	if (s->p.mmio_read_ps == SIMCPU_PS_FROM_MODEL)
		s->p.mmio_read_ps = cfg->mmio_read_latency;
	if (s->p.mmio_write_ps == SIMCPU_PS_FROM_MODEL)
		s->p.mmio_write_ps = cfg->mmio_write_latency;
	if (!s->p.stack_bytes)
		s->p.stack_bytes = 256 * 1024;
	s->seed = seed;
	s->rng = seed;
	s->other_min = SIM_TIME_NEVER;
	for (i = 0; i < SIMCPU_TREE_LEAVES; i++)
		s->key[i] = SIM_TIME_NEVER;
	simcpu_tree_init(s);
	for (i = 0; i <= ncpus; i++) {
		struct simcpu_context *c = &s->ctx[i];

		c->s = s;
		c->id = i;
		c->state = i < ncpus ? SIMCPU_IDLE : SIMCPU_IRQ_WAIT;
		if (simcpu_ctx_init(&c->hw, s->p.stack_bytes,
				    i < ncpus ? simcpu_cpu_main :
						simcpu_irq_main,
				    c) != 0) {
			while (i--)
				simcpu_ctx_deinit(&s->ctx[i].hw);
			free(s->ctx);
			free(s);
			return NULL;
		}
	}
	return s;
}

void simcpu_destroy(struct simcpu *s)
{
	unsigned i;

	if (!s)
		return;
	for (i = 0; i <= s->ncpus; i++)
		simcpu_ctx_deinit(&s->ctx[i].hw);
	free(s->ctx);
	free(s);
}

const struct simcpu_params *simcpu_params(const struct simcpu *s)
{
	return &s->p;
}

unsigned simcpu_ncpus(const struct simcpu *s)
{
	return s->ncpus;
}

struct cmdqv_model *simcpu_model(const struct simcpu *s)
{
	return s->m;
}

/* ---- host side ---- */

static void simcpu_line(struct simcpu *s, unsigned line, bool level,
			sim_time_t t)
{
	struct simcpu_context *ic;
	bool was = s->irq_level[line];

	s->irq_level[line] = level;
	if (!level || was)
		return;
	s->irq_pending |= 1u << line;
	ic = &s->ctx[s->ncpus];
	if (ic->state == SIMCPU_IRQ_WAIT)
		simcpu_make_runnable(s, ic, t > ic->time ? t : ic->time);
}

void simcpu_model_irq(struct simcpu *s, enum cmdqv_irq line, bool level)
{
	if ((unsigned)line < CMDQV_IRQ_COUNT)
		simcpu_line(s, line, level, cmdqv_now(s->m));
}

void simcpu_set_irq(struct simcpu *s, enum cmdqv_irq line, bool level)
{
	if ((unsigned)line < CMDQV_IRQ_COUNT ||
	    (unsigned)line >= SIMCPU_IRQ_LINES)
		return;
	simcpu_line(s, line, level, s->cur ? s->cur->time : cmdqv_now(s->m));
}

void simcpu_model_sev(struct simcpu *s)
{
	sim_time_t t = cmdqv_now(s->m);
	unsigned i;

	s->st.model_sevs++;
	for (i = 0; i <= s->ncpus; i++)
		simcpu_signal(s, &s->ctx[i], t, SIMCPU_WAKE_SEV);
}

void simcpu_model_store(struct simcpu *s, const volatile void *addr, size_t len)
{
	s->st.model_stores++;
	simcpu_store(s, (uintptr_t)addr, len, cmdqv_now(s->m));
}

int simcpu_start(struct simcpu *s, unsigned cpu, void (*fn)(void *), void *arg)
{
	struct simcpu_context *c;
	sim_time_t t;

	if (!s || cpu >= s->ncpus || !fn)
		return CMDQV_EINVAL;
	c = &s->ctx[cpu];
	if (c->state != SIMCPU_IDLE)
		return CMDQV_ESTATE;
	t = cmdqv_now(s->m);
	if (c->time > t)
		t = c->time;
	if (s->cur && s->cur->time > t)
		t = s->cur->time;
	c->fn = fn;
	c->arg = arg;
	s->live++;
	simcpu_make_runnable(s, c, t);
	return CMDQV_OK;
}

int simcpu_run(struct simcpu *s, sim_time_t limit)
{
	sim_time_t now;
	unsigned i;

	if (!s)
		return CMDQV_EINVAL;
	if (simcpu_running)
		return CMDQV_ESTATE;
	s->limit = limit;
	s->deadlock = false;
	now = cmdqv_now(s->m);
	for (i = 0; i <= s->ncpus; i++) {
		if (s->ctx[i].state == SIMCPU_RUNNABLE && s->ctx[i].time < now)
			s->ctx[i].time = now;
		simcpu_key(s, &s->ctx[i]);
	}
	simcpu_running = s;
	s->cur = NULL;
	simcpu_resched(s, NULL);
	simcpu_running = NULL;
	s->cur = NULL;
	if (s->deadlock)
		return CMDQV_ESTATE;
	if (!s->live && s->ctx[s->ncpus].state == SIMCPU_IRQ_WAIT)
		return CMDQV_OK;
	return CMDQV_ETIMEDOUT;
}

int simcpu_request_irq(struct simcpu *s, enum cmdqv_irq line,
		       int (*hard)(void *), void (*thread)(void *), void *arg)
{
	struct simcpu_irq_handler *h;

	if (!s || (unsigned)line >= SIMCPU_IRQ_LINES || (!hard && !thread))
		return CMDQV_EINVAL;
	h = &s->irq[line];
	if (h->used)
		return CMDQV_ESTATE;
	h->hard = hard;
	h->thread = thread;
	h->arg = arg;
	h->used = true;
	return CMDQV_OK;
}

void simcpu_free_irq(struct simcpu *s, enum cmdqv_irq line)
{
	if (s && (unsigned)line < SIMCPU_IRQ_LINES)
		memset(&s->irq[line], 0, sizeof(s->irq[line]));
}

uint64_t simcpu_stat(const struct simcpu *s, const char *name)
{
#define SIMCPU_STAT_GET(field)         \
	if (strcmp(name, #field) == 0) \
		return s->st.field;
	SIMCPU_STATS(SIMCPU_STAT_GET)
#undef SIMCPU_STAT_GET
	return UINT64_MAX;
}

void simcpu_set_log(struct simcpu *s, simcpu_log_fn fn, void *ctx)
{
	s->log = fn;
	s->log_ctx = ctx;
}

/* ---- inside a context ---- */

struct simcpu *simcpu_self(void)
{
	return simcpu_running && simcpu_running->cur ? simcpu_running : NULL;
}

/* The running context; calling these outside one is a host bug. */
static inline struct simcpu_context *simcpu_cur(struct simcpu **sp)
{
	struct simcpu *s = simcpu_running;

	*sp = s;
	return s->cur;
}

unsigned simcpu_cpu_id(void)
{
	struct simcpu *s;

	return simcpu_cur(&s)->id;
}

bool simcpu_in_irq(void)
{
	struct simcpu *s;

	return simcpu_cur(&s)->in_hard;
}

bool simcpu_in_irq_context(void)
{
	struct simcpu *s;

	return simcpu_cur(&s)->id == s->ncpus;
}

sim_time_t simcpu_now(void)
{
	struct simcpu *s;

	return simcpu_cur(&s)->time;
}

/* Bring the model to @c's time before an access (no event is due). */
static inline void simcpu_sync_model(struct simcpu *s, struct simcpu_context *c)
{
	if (cmdqv_now(s->m) < c->time)
		cmdqv_run_until(s->m, c->time);
}

uint64_t simcpu_mmio_read(enum cmdqv_space sp, uint64_t off, unsigned size)
{
	struct simcpu *s;
	struct simcpu_context *c = simcpu_cur(&s);
	uint64_t v = 0;

	simcpu_sync_model(s, c);
	if (cmdqv_mmio_read(s->m, sp, off, size, &v) != CMDQV_OK) {
		/* Outside every aperture: all ones, as a bus error reads. */
		v = size == 8 ? UINT64_MAX : UINT32_MAX;
		s->st.mmio_errors++;
	}
	s->st.mmio_reads++;
	simcpu_log(s, c->time, c->id, "mmio_r", (uint64_t)sp << 32 | off, v);
	simcpu_advance(s, c, s->p.mmio_read_ps);
	return v;
}

void simcpu_mmio_write(enum cmdqv_space sp, uint64_t off, unsigned size,
		       uint64_t v)
{
	struct simcpu *s;
	struct simcpu_context *c = simcpu_cur(&s);

	simcpu_sync_model(s, c);
	if (cmdqv_mmio_write(s->m, sp, off, size, v) != CMDQV_OK)
		s->st.mmio_errors++;
	s->st.mmio_writes++;
	simcpu_log(s, c->time, c->id, "mmio_w", (uint64_t)sp << 32 | off, v);
	simcpu_advance(s, c, s->p.mmio_write_ps);
}

void simcpu_delay(uint64_t ps)
{
	struct simcpu *s;
	struct simcpu_context *c = simcpu_cur(&s);

	s->st.delays++;
	simcpu_advance(s, c, ps);
}

void simcpu_charge(uint64_t ps)
{
	struct simcpu *s;
	struct simcpu_context *c = simcpu_cur(&s);

	s->st.charges++;
	simcpu_advance(s, c, ps);
}

void simcpu_cpu_relax(void)
{
	struct simcpu *s;
	struct simcpu_context *c = simcpu_cur(&s);

	s->st.relaxes++;
	simcpu_advance(s, c, s->p.cpu_relax_ps);
}

void simcpu_atomic(void)
{
	struct simcpu *s;
	struct simcpu_context *c = simcpu_cur(&s);

	s->st.atomics++;
	simcpu_advance(s, c, s->p.atomic_ps);
}

void simcpu_barrier(void)
{
	struct simcpu *s;
	struct simcpu_context *c = simcpu_cur(&s);

	s->st.barriers++;
	simcpu_advance(s, c, s->p.barrier_ps);
}

static void simcpu_wfe_common(const volatile void *addr)
{
	struct simcpu *s;
	struct simcpu_context *c = simcpu_cur(&s);
	uint64_t period = s->p.wfe_event_stream_ps;

	s->st.wfe++;
	if (c->event_reg ||
	    (period && c->time / period > c->evt_cleared / period)) {
		/* A SEV or an event-stream tick since the last clear. */
		c->event_reg = false;
		c->evt_cleared = c->time;
		s->st.wfe_immediate++;
		simcpu_advance(s, c, 0);
		return;
	}
	c->state = SIMCPU_WFE;
	c->wake = SIMCPU_WAKE_NONE;
	c->wfe_start = c->time;
	c->time = period ? (c->time / period + 1) * period : SIM_TIME_NEVER;
	if (addr) {
		c->monitoring = true;
		c->monitor = (uintptr_t)addr & ~(uintptr_t)(SIMCPU_GRANULE - 1);
		s->monitors++;
	}
	simcpu_log(s, c->wfe_start, c->id, "wfe", (uintptr_t)addr, 0);
	simcpu_resched(s, c);
	/* Woken: simcpu_pick() or a signal made us runnable at c->time. */
	if (c->monitoring) {
		c->monitoring = false;
		s->monitors--;
	}
	c->event_reg = false;
	c->evt_cleared = c->time;
	if (c->wake == SIMCPU_WAKE_SEV)
		s->st.wfe_sev_wakes++;
	else if (c->wake == SIMCPU_WAKE_NOTIFY)
		s->st.wfe_notify_wakes++;
	else
		s->st.wfe_stream_wakes++;
	simcpu_advance(s, c, s->p.wfe_wake_ps);
}

void simcpu_wfe(void)
{
	simcpu_wfe_common(NULL);
}

void simcpu_wfe_on(const volatile void *addr)
{
	simcpu_wfe_common(addr);
}

void simcpu_notify(const volatile void *addr)
{
	struct simcpu *s = simcpu_running;

	if (!s || !s->cur)
		return;
	simcpu_store(s, (uintptr_t)addr, 1, s->cur->time);
}

void simcpu_sev(void)
{
	struct simcpu *s;
	struct simcpu_context *c = simcpu_cur(&s);
	unsigned i;

	s->st.sevs++;
	for (i = 0; i <= s->ncpus; i++)
		simcpu_signal(s, &s->ctx[i], c->time, SIMCPU_WAKE_SEV);
	simcpu_advance(s, c, s->p.sev_ps);
}

void simcpu_local_irq_disable(void)
{
	struct simcpu *s;

	simcpu_cur(&s)->irq_off = true;
}

void simcpu_local_irq_enable(void)
{
	struct simcpu *s;

	simcpu_cur(&s)->irq_off = false;
}

unsigned long simcpu_local_irq_save(void)
{
	struct simcpu *s;
	struct simcpu_context *c = simcpu_cur(&s);
	unsigned long flags = c->irq_off;

	c->irq_off = true;
	return flags;
}

void simcpu_local_irq_restore(unsigned long flags)
{
	struct simcpu *s;

	simcpu_cur(&s)->irq_off = flags != 0;
}

bool simcpu_irqs_disabled(void)
{
	struct simcpu *s;

	return simcpu_cur(&s)->irq_off;
}

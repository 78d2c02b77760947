/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sync.h - atomics, barriers, WFE, interrupts masking and locks, over the
 * simulated CPUs.  Every atomic, barrier and lock spin is a preemption point
 * that charges its cost (simcpu.h); the operation itself happens after the
 * charge, so it is atomic with respect to every other simulated CPU (they
 * are coroutines on one OS thread).  Waits of the smp_cond_load_*() family
 * sleep in WFE on the watched word, as arm64's __cmpwait does; atomic writes
 * wake them (simcpu_notify).
 */
#ifndef KAPI_SYNC_H
#define KAPI_SYNC_H

#include "base.h"

/* The simulated-CPU calls kernel code makes (not simcpu.h, which pulls in
 * the model's headers, whose CMDQ_OP_* names collide with the driver's). */
#include "simcpu_self.h"

/* ---- barriers ---- */
#define mb() simcpu_barrier()
#define rmb() simcpu_barrier()
#define wmb() simcpu_barrier()
#define dma_mb() simcpu_barrier()
#define dma_rmb() simcpu_barrier()
#define dma_wmb() simcpu_barrier()
#define smp_mb() simcpu_barrier()
#define smp_rmb() simcpu_barrier()
#define smp_wmb() simcpu_barrier()
#define __iomb() simcpu_barrier()
#define smp_mb__before_atomic() ((void)0)
#define smp_mb__after_atomic() ((void)0)
#define cpu_relax() simcpu_cpu_relax()
#define wfe() simcpu_wfe()
#define sev() simcpu_sev()

/* ---- atomics: charge, then operate ---- */
#define KAPI_AT(ptr) (simcpu_atomic(), (ptr))
#define KAPI_WAKE(ptr) simcpu_notify(ptr)

/* arm64's smp_cond_load_*(): load, test, then __cmpwait_relaxed(), which
 * arms the monitor with a load-exclusive and sleeps only if the word still
 * holds the value tested (arch/arm64/include/asm/cmpxchg.h:
 * __cmpwait_case_*()): a store that landed while @cond was evaluated (its
 * cpu_relax() or udelay() let other CPUs and the model run) ends the wait
 * at once instead of being missed */
#define kapi_cond_load(ptr, cond)                     \
	({                                            \
		typeof(*(ptr)) VAL;                   \
		for (;;) {                            \
			VAL = READ_ONCE(*(ptr));      \
			if (cond)                     \
				break;                \
			if (READ_ONCE(*(ptr)) == VAL) \
				simcpu_wfe_on(ptr);   \
		}                                     \
		VAL;                                  \
	})
#define smp_cond_load_relaxed(ptr, cond) kapi_cond_load(ptr, cond)
#define smp_cond_load_acquire(ptr, cond) kapi_cond_load(ptr, cond)
#define smp_load_acquire(p) READ_ONCE(*(p))
#define smp_store_release(p, v)      \
	do {                         \
		simcpu_barrier();    \
		WRITE_ONCE(*(p), v); \
		KAPI_WAKE(p);        \
	} while (0)

/* pfx_op(v, a): @builtin(counter, @val) returning the old value, then a
 * wake of the waiters on the counter */
#define KAPI_ATOMIC_RMW(pfx, T, V, op, builtin, val)                        \
	static inline V pfx##_##op(V v, T *a)                               \
	{                                                                   \
		V o = builtin(&KAPI_AT(a)->counter, val, __ATOMIC_SEQ_CST); \
		KAPI_WAKE(&a->counter);                                     \
		return o;                                                   \
	}

/* one family per counter type; @T is the struct, @V its value type */
#define KAPI_ATOMIC_OPS(pfx, T, V)                                             \
	static inline V pfx##_read(const T *a)                                 \
	{                                                                      \
		return READ_ONCE(a->counter);                                  \
	}                                                                      \
	static inline void pfx##_set(T *a, V v)                                \
	{                                                                      \
		WRITE_ONCE(a->counter, v);                                     \
		KAPI_WAKE(&a->counter);                                        \
	}                                                                      \
	KAPI_ATOMIC_RMW(pfx, T, V, fetch_add, __atomic_fetch_add, v)           \
	KAPI_ATOMIC_RMW(pfx, T, V, fetch_or, __atomic_fetch_or, v)             \
	KAPI_ATOMIC_RMW(pfx, T, V, fetch_andnot, __atomic_fetch_and, ~v)       \
	KAPI_ATOMIC_RMW(pfx, T, V, fetch_xor, __atomic_fetch_xor, v)           \
	static inline V pfx##_cmpxchg(T *a, V old, V new)                      \
	{                                                                      \
		V o = old;                                                     \
		if (__atomic_compare_exchange_n(&KAPI_AT(a)->counter, &o, new, \
						false, __ATOMIC_SEQ_CST,       \
						__ATOMIC_SEQ_CST))             \
			KAPI_WAKE(&a->counter);                                \
		return o;                                                      \
	}                                                                      \
	static inline bool pfx##_try_cmpxchg(T *a, V *old, V new)              \
	{                                                                      \
		V o = pfx##_cmpxchg(a, *old, new);                             \
		bool ok = o == *old;                                           \
		*old = o;                                                      \
		return ok;                                                     \
	}                                                                      \
	static inline V pfx##_xchg(T *a, V v)                                  \
	{                                                                      \
		V o = __atomic_exchange_n(&KAPI_AT(a)->counter, v,             \
					  __ATOMIC_SEQ_CST);                   \
		KAPI_WAKE(&a->counter);                                        \
		return o;                                                      \
	}                                                                      \
	static inline V pfx##_add_return(V v, T *a)                            \
	{                                                                      \
		return pfx##_fetch_add(v, a) + v;                              \
	}                                                                      \
	static inline void pfx##_add(V v, T *a)                                \
	{                                                                      \
		pfx##_fetch_add(v, a);                                         \
	}                                                                      \
	static inline void pfx##_inc(T *a)                                     \
	{                                                                      \
		pfx##_fetch_add(1, a);                                         \
	}                                                                      \
	static inline void pfx##_dec(T *a)                                     \
	{                                                                      \
		pfx##_fetch_add(-1, a);                                        \
	}                                                                      \
	static inline V pfx##_inc_return(T *a)                                 \
	{                                                                      \
		return pfx##_add_return(1, a);                                 \
	}                                                                      \
	static inline V pfx##_dec_return(T *a)                                 \
	{                                                                      \
		return pfx##_add_return(-1, a);                                \
	}                                                                      \
	static inline bool pfx##_dec_and_test(T *a)                            \
	{                                                                      \
		return pfx##_add_return(-1, a) == 0;                           \
	}                                                                      \
	static inline void pfx##_xor(V v, T *a)                                \
	{                                                                      \
		pfx##_fetch_xor(v, a);                                         \
	}                                                                      \
	static inline void pfx##_or(V v, T *a)                                 \
	{                                                                      \
		pfx##_fetch_or(v, a);                                          \
	}                                                                      \
	static inline void pfx##_andnot(V v, T *a)                             \
	{                                                                      \
		pfx##_fetch_andnot(v, a);                                      \
	}

KAPI_ATOMIC_OPS(atomic, atomic_t, int)
KAPI_ATOMIC_OPS(atomic_long, atomic_long_t, long)
KAPI_ATOMIC_OPS(atomic64, atomic64_t, s64)

#define atomic_fetch_inc_relaxed(a) atomic_fetch_add(1, a)
#define atomic_fetch_add_relaxed atomic_fetch_add
#define atomic_fetch_andnot_relaxed atomic_fetch_andnot
#define atomic_set_release atomic_set
#define atomic_dec_return_release atomic_dec_return
#define atomic_fetch_andnot_release atomic_fetch_andnot
#define atomic_fetch_inc_release(a) atomic_fetch_add(1, a)
#define atomic_read_acquire atomic_read
#define atomic_cmpxchg_relaxed atomic_cmpxchg
#define atomic_long_fetch_andnot_relaxed atomic_long_fetch_andnot
#define atomic_long_xor_relaxed atomic_long_xor
#define atomic64_cmpxchg_relaxed atomic64_cmpxchg
#define atomic_cond_read_relaxed(a, c) kapi_cond_load(&(a)->counter, c)
#define atomic_cond_read_acquire(a, c) kapi_cond_load(&(a)->counter, c)
#define atomic_long_cond_read_relaxed(a, c) kapi_cond_load(&(a)->counter, c)
#define ATOMIC_INIT(v) \
	{              \
		(v)    \
	}

/* cmpxchg on a plain integer (type-generic); a failure is counted
 * (kapi_counters.cas_fails) */
void kapi_note_cas_fail(void);
#define cmpxchg_relaxed(p, o, n)                                           \
	({                                                                 \
		typeof(*(p)) kapi_o_ = (o);                                \
		if (__atomic_compare_exchange_n(KAPI_AT(p), &kapi_o_, (n), \
						false, __ATOMIC_SEQ_CST,   \
						__ATOMIC_SEQ_CST))         \
			KAPI_WAKE(p);                                      \
		else                                                       \
			kapi_note_cas_fail();                              \
		kapi_o_;                                                   \
	})
#define cmpxchg cmpxchg_relaxed
#define try_cmpxchg(p, po, n)                                          \
	({                                                             \
		typeof(*(p)) kapi_w_ = *(po);                          \
		typeof(*(p)) kapi_g_ = cmpxchg_relaxed(p, kapi_w_, n); \
		*(po) = kapi_g_;                                       \
		kapi_g_ == kapi_w_;                                    \
	})
#define xchg(p, v) __atomic_exchange_n(KAPI_AT(p), (v), __ATOMIC_SEQ_CST)
#define cmpxchg128(p, o, n) kapi_cmpxchg128(p, o, n)
#define system_has_cmpxchg128() 0

static inline void refcount_set(refcount_t *r, int v)
{
	atomic_set(&r->refs, v);
}
static inline void refcount_inc(refcount_t *r)
{
	atomic_inc(&r->refs);
}
static inline bool refcount_dec_and_test(refcount_t *r)
{
	return atomic_dec_and_test(&r->refs);
}
static inline unsigned int refcount_read(const refcount_t *r)
{
	return atomic_read(&r->refs);
}
#define REFCOUNT_INIT(n)               \
	{                              \
		.refs = ATOMIC_INIT(n) \
	}

/* ---- interrupt masking ---- */
#define local_irq_save(f) ((f) = simcpu_local_irq_save())
#define local_irq_restore(f) simcpu_local_irq_restore(f)
#define local_irq_disable() simcpu_local_irq_disable()
#define local_irq_enable() simcpu_local_irq_enable()
#define irqs_disabled() simcpu_irqs_disabled()
#define in_interrupt() simcpu_in_irq_context()
#define in_task() (!simcpu_in_irq_context())
#define preempt_disable() ((void)0)
#define preempt_enable() ((void)0)
unsigned int kapi_cpu_id(void);
#define raw_smp_processor_id() ((int)kapi_cpu_id())
#define smp_processor_id() ((int)kapi_cpu_id())
#define get_cpu() smp_processor_id()
#define put_cpu() ((void)0)
unsigned int kapi_nr_cpus(void);
#define nr_cpu_ids kapi_nr_cpus()
#define num_possible_cpus() kapi_nr_cpus()

/* ---- locks: test-and-set with a relax between attempts ---- */
typedef struct {
	int locked;
} spinlock_t;
typedef spinlock_t raw_spinlock_t;
#define __SPIN_LOCK_UNLOCKED(n) \
	{                       \
		0               \
	}
#define DEFINE_SPINLOCK(n) spinlock_t n = __SPIN_LOCK_UNLOCKED(n)
#define spin_lock_init(l) ((l)->locked = 0)
#define raw_spin_lock_init spin_lock_init
static inline bool spin_trylock(spinlock_t *l)
{
	int z = 0;

	return __atomic_compare_exchange_n(&KAPI_AT(l)->locked, &z, 1, false,
					   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}
static inline void spin_lock(spinlock_t *l)
{
	while (!spin_trylock(l))
		simcpu_cpu_relax();
}
static inline void spin_unlock(spinlock_t *l)
{
	smp_store_release(&l->locked, 0);
}
#define spin_lock_irqsave(l, f)    \
	do {                       \
		local_irq_save(f); \
		spin_lock(l);      \
	} while (0)
#define spin_unlock_irqrestore(l, f)  \
	do {                          \
		spin_unlock(l);       \
		local_irq_restore(f); \
	} while (0)
#define spin_lock_irq(l) (local_irq_disable(), spin_lock(l))
#define spin_unlock_irq(l) (spin_unlock(l), local_irq_enable())
#define raw_spin_lock_irqsave spin_lock_irqsave
#define raw_spin_unlock_irqrestore spin_unlock_irqrestore
#define raw_spin_lock spin_lock
#define raw_spin_unlock spin_unlock
#define assert_spin_locked(l) ((void)(l))

struct mutex {
	spinlock_t l;
};
#define DEFINE_MUTEX(n) struct mutex n = { { 0 } }
#define mutex_init(m) spin_lock_init(&(m)->l)
#define mutex_destroy(m) ((void)(m))
#define mutex_lock(m) spin_lock(&(m)->l)
#define mutex_unlock(m) spin_unlock(&(m)->l)
#define mutex_trylock(m) spin_trylock(&(m)->l)
#define mutex_is_locked(m) ((m)->l.locked != 0)
#define lockdep_assert_irqs_disabled() ((void)0)

/* the kernel's guard()/scoped_guard() cleanup helpers, for mutexes */
static inline void kapi_mutex_unlock_cleanup(struct mutex **m)
{
	if (*m)
		mutex_unlock(*m);
}
#define KAPI_CAT2(a, b) a##b
#define KAPI_CAT(a, b) KAPI_CAT2(a, b)
#define guard(kind) KAPI_GUARD_##kind
#define KAPI_GUARD_mutex(m)                                                \
	struct mutex *KAPI_CAT(kapi_guard_, __LINE__)                      \
		__attribute__((cleanup(kapi_mutex_unlock_cleanup))) = (m); \
	mutex_lock(KAPI_CAT(kapi_guard_, __LINE__))

/* reader-writer locks: exclusive (a reader waits for a reader too; the
 * drivers hold them briefly and never nest them) */
typedef spinlock_t rwlock_t;
#define rwlock_init spin_lock_init
#define read_lock_irqsave spin_lock_irqsave
#define read_unlock_irqrestore spin_unlock_irqrestore
#define write_lock_irqsave spin_lock_irqsave
#define write_unlock_irqrestore spin_unlock_irqrestore
#define read_lock spin_lock
#define read_unlock spin_unlock
#define write_lock spin_lock
#define write_unlock spin_unlock
struct rw_semaphore {
	spinlock_t l;
};
#define init_rwsem(s) spin_lock_init(&(s)->l)
#define down_read(s) spin_lock(&(s)->l)
#define up_read(s) spin_unlock(&(s)->l)
#define down_write(s) spin_lock(&(s)->l)
#define up_write(s) spin_unlock(&(s)->l)

/* static keys: a plain flag */
struct static_key_false {
	bool enabled;
};
#define DEFINE_STATIC_KEY_FALSE(n) struct static_key_false n = { false }
#define static_branch_unlikely(k) unlikely((k)->enabled)
#define static_branch_likely(k) likely((k)->enabled)
#define static_branch_enable(k) ((k)->enabled = true)
#define static_branch_disable(k) ((k)->enabled = false)

/* RCU readers are never preempted by a writer here */
#define rcu_read_lock() ((void)0)
#define rcu_read_unlock() ((void)0)
#define synchronize_rcu() ((void)0)
#define rcu_dereference(p) (p)
#define rcu_dereference_protected(p, c) (p)
#define rcu_assign_pointer(p, v) WRITE_ONCE(p, v)
#define RCU_INIT_POINTER(p, v) ((p) = (v))
#define kfree_rcu(p, f) kfree(p)

#endif

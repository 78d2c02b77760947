/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * base.h - kernel types, compiler attributes, bit and field helpers, error
 * pointers, min/max, lists and logging, as documented in the kernel's
 * Documentation/ and kernel-doc comments.  Written for this project; no
 * kernel code.
 */
#ifndef KAPI_BASE_H
#define KAPI_BASE_H

#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <stdarg.h>
#include <sys/types.h>
#include <endian.h>

/* glibc's <endian.h> defines __BIG_ENDIAN as a byte-order value; the driver
 * tests "#ifdef __BIG_ENDIAN" to mean "this CPU is big-endian" (it would set
 * the CD's ENDI bit).  The simulated CPU is little-endian. */
#undef __BIG_ENDIAN
#undef BIG_ENDIAN
#ifndef __LITTLE_ENDIAN
#define __LITTLE_ENDIAN 1234

/* ---- search trees: the <linux/rbtree.h> find/add/erase API over a sorted
 * singly linked list (a few StreamIDs per test) ---- */
struct rb_node {
	struct rb_node *kapi_next;
};
struct rb_root {
	struct rb_node *rb_node;
};
#define RB_ROOT ((struct rb_root){ NULL })
#define rb_entry(p, t, m) container_of(p, t, m)
static inline struct rb_node *
rb_find(const void *key, const struct rb_root *root,
	int (*cmp)(const void *key, const struct rb_node *))
{
	struct rb_node *n;

	for (n = root->rb_node; n; n = n->kapi_next)
		if (!cmp(key, n))
			return n;
	return NULL;
}
static inline struct rb_node *
rb_find_add(struct rb_node *node, struct rb_root *root,
	    int (*cmp)(struct rb_node *, const struct rb_node *))
{
	struct rb_node **pp = &root->rb_node;

	for (; *pp; pp = &(*pp)->kapi_next) {
		int c = cmp(node, *pp);

		if (!c)
			return *pp;
		if (c < 0)
			break;
	}
	node->kapi_next = *pp;
	*pp = node;
	return NULL;
}
static inline void rb_erase(struct rb_node *node, struct rb_root *root)
{
	struct rb_node **pp;

	for (pp = &root->rb_node; *pp; pp = &(*pp)->kapi_next)
		if (*pp == node) {
			*pp = node->kapi_next;
			return;
		}
}
#endif

/* ---- types (u64 is unsigned long long, as on arm64) ---- */
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed char s8;
typedef short s16;
typedef int s32;
typedef long long s64;
typedef u8 __u8;
typedef u16 __u16;
typedef u32 __u32;
typedef u64 __u64;
typedef s8 __s8;
typedef s16 __s16;
typedef s32 __s32;
typedef s64 __s64;
typedef u16 __le16;
typedef u32 __le32;
typedef u64 __le64;
typedef u16 __be16;
typedef u32 __be32;
typedef u64 __be64;
typedef u64 __aligned_u64 __attribute__((aligned(8)));
typedef u64 __aligned_le64 __attribute__((aligned(8)));
typedef u64 phys_addr_t;
typedef u64 dma_addr_t;
typedef u64 resource_size_t;
typedef unsigned int gfp_t;
typedef unsigned int fmode_t;
typedef s64 ktime_t;
typedef unsigned int slab_flags_t;
typedef struct {
	int counter;
} atomic_t;
typedef struct {
	long counter;
} atomic_long_t;
typedef struct {
	s64 counter;
} atomic64_t;
typedef struct {
	atomic_t refs;
} refcount_t;
typedef unsigned long irq_hw_number_t;

/* ---- compiler ---- */
#define __iomem
#define __force
#define __user
#define __rcu
#define __percpu
#define __must_check __attribute__((warn_unused_result))
#undef __always_inline
#define __always_inline inline __attribute__((always_inline))
#define noinline __attribute__((noinline))
#define __maybe_unused __attribute__((unused))
#define __always_unused __attribute__((unused))
#define __used __attribute__((used))
#define __aligned(x) __attribute__((aligned(x)))
#define __packed __attribute__((packed))
#define __cold __attribute__((cold))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define __init
#define __exit
#define __initdata
#define __ro_after_init
#define __read_mostly
#define __counted_by(m)
#define __nonstring
#define __randomize_layout
#define __must_hold(x)
#define __acquires(x)
#define __releases(x)
#define __cacheline_aligned __attribute__((aligned(64)))
#define ____cacheline_aligned_in_smp __attribute__((aligned(64)))
#define fallthrough __attribute__((fallthrough))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define unreachable() __builtin_unreachable()
#define barrier() __asm__ __volatile__("" ::: "memory")
#define __stringify_1(x) #x
#define __stringify(x) __stringify_1(x)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BUILD_BUG_ON(c) _Static_assert(!(c), "BUILD_BUG_ON " #c)
#define BUILD_BUG_ON_ZERO(c) 0
#define static_assert(c, ...) _Static_assert(c, #c)
#define typeof_member(T, m) typeof(((T *)0)->m)
#define sizeof_field(T, m) sizeof(((T *)0)->m)
#define offsetofend(T, m) (offsetof(T, m) + sizeof_field(T, m))
#define cmp_int(l, r) (((l) > (r)) - ((l) < (r)))
#define str_read_write(v) ((v) ? "read" : "write")
#define str_true_false(v) ((v) ? "true" : "false")
#define str_enabled_disabled(v) ((v) ? "enabled" : "disabled")
#define __same_type(a, b) __builtin_types_compatible_p(typeof(a), typeof(b))
#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr)-offsetof(type, member)))
#define container_of_const container_of
#define READ_ONCE(x) (*(const volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile typeof(x) *)&(x) = (v))
#define EXPORT_SYMBOL(s)
#define EXPORT_SYMBOL_GPL(s)
#define EXPORT_SYMBOL_IF_KUNIT(s)
#define struct_size(p, member, n) \
	(sizeof(*(p)) + sizeof((p)->member[0]) * (size_t)(n))
#define flex_array_size(p, member, n) (sizeof((p)->member[0]) * (size_t)(n))

/* ---- numbers ---- */
#define BITS_PER_LONG 64
#define BITS_PER_BYTE 8
#define BIT(n) (1UL << (n))
#define BIT_ULL(n) (1ULL << (n))
#define BIT_WORD(n) ((n) / BITS_PER_LONG)
#define BIT_MASK(n) (1UL << ((n) % BITS_PER_LONG))
#define BITS_TO_LONGS(n) (((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)
/* a mask of bits l..h; both forms evaluate in 64 bits */
#define GENMASK(h, l) \
	((unsigned long)((~0UL << (l)) & (~0UL >> (BITS_PER_LONG - 1 - (h)))))
#define GENMASK_U64(h, l) GENMASK_ULL(h, l)
#define GENMASK_U32(h, l) ((u32)GENMASK(h, l))
#define GENMASK_ULL(h, l) ((~0ULL << (l)) & (~0ULL >> (63 - (h))))
#define KAPI_MASK_SHIFT(m) __builtin_ctzll((u64)(m))
#define FIELD_GET(m, v) \
	((typeof(m))(((u64)(v) & (u64)(m)) >> KAPI_MASK_SHIFT(m)))
#define FIELD_PREP(m, v) \
	((typeof(m))(((u64)(v) << KAPI_MASK_SHIFT(m)) & (u64)(m)))
#define FIELD_MAX(m) ((typeof(m))((u64)(m) >> KAPI_MASK_SHIFT(m)))
#define FIELD_FIT(m, v) (!(((u64)(v) << KAPI_MASK_SHIFT(m)) & ~(u64)(m)))
#define DIV_ROUND_UP(n, d) (((n) + (d)-1) / (d))
#define ALIGN(x, a) (((x) + ((a)-1)) & ~((typeof(x))(a)-1))
#define IS_ALIGNED(x, a) (((x) & ((typeof(x))(a)-1)) == 0)
#define PTR_ALIGN(p, a) ((typeof(p))ALIGN((uintptr_t)(p), (a)))
#define round_up(x, y) ALIGN(x, y)
#define round_down(x, y) ((x) & ~((typeof(x))(y)-1))
#define lower_32_bits(n) ((u32)((n)&0xffffffff))
#define upper_32_bits(n) ((u32)(((u64)(n)) >> 32))
#define U8_MAX 0xffU
#define U16_MAX 0xffffU
#define U32_MAX 0xffffffffU
#define U64_MAX 0xffffffffffffffffULL
#define S32_MAX 0x7fffffff
#define INT_MIN (-INT_MAX - 1)
#define PHYS_ADDR_MAX (~(phys_addr_t)0)
#define SMP_CACHE_BYTES 64
#define VA_BITS 48
#define INT_MAX 0x7fffffff
#define UINT_MAX 0xffffffffU
#define LONG_MAX 0x7fffffffffffffffL
#define ULONG_MAX (~0UL)
#define SIZE_MAX_KAPI (~(size_t)0)
#define min(a, b) ((a) < (b) ? (a) : (b))
#define max(a, b) ((a) > (b) ? (a) : (b))
#define min_t(t, a, b) ((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b) ((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define clamp(v, lo, hi) min(max(v, lo), hi)
#define swap(a, b)                         \
	do {                               \
		typeof(a) kapi_tmp_ = (a); \
		(a) = (b);                 \
		(b) = kapi_tmp_;           \
	} while (0)
#define check_add_overflow(a, b, d) __builtin_add_overflow(a, b, d)
#define check_mul_overflow(a, b, d) __builtin_mul_overflow(a, b, d)
#define size_add(a, b) ((a) + (b))
#define size_mul(a, b) ((a) * (b))
#define ilog2(n) ((int)(63 - __builtin_clzll((u64)(n))))
#define order_base_2(n) ((n) <= 1 ? 0 : ilog2((u64)(n)-1) + 1)
#define is_power_of_2(n) ((n) != 0 && (((n) & ((n)-1)) == 0))
#define roundup_pow_of_two(n) (1UL << order_base_2(n))
#define rounddown_pow_of_two(n) (1UL << ilog2(n))
#define __ffs(x) ((unsigned long)__builtin_ctzl(x))
#define __ffs64(x) ((unsigned long)__builtin_ctzll(x))
#define __fls(x) ((unsigned long)(63 - __builtin_clzl(x)))
#define ffs(x) __builtin_ffs(x)
#define fls(x) ((x) ? 32 - __builtin_clz(x) : 0)
#define fls64(x) ((x) ? 64 - __builtin_clzll(x) : 0)
#define fls_long(x) fls64(x)
#define hweight8(x) __builtin_popcount((u8)(x))
#define hweight32(x) __builtin_popcount(x)
#define hweight64(x) __builtin_popcountll(x)
#define hweight_long(x) __builtin_popcountl(x)
#define cpu_to_le64(x) ((u64)(x))
#define le64_to_cpu(x) ((u64)(x))
#define cpu_to_le32(x) ((u32)(x))
#define le32_to_cpu(x) ((u32)(x))
#define cpu_to_le16(x) ((u16)(x))
#define le16_to_cpu(x) ((u16)(x))
#define le64_to_cpus(p) ((void)(p))
#define cpu_to_le64s(p) ((void)(p))
#define SZ_1K 0x400
#define SZ_4K 0x1000
#define SZ_16K 0x4000
#define SZ_64K 0x10000
#define SZ_128K 0x20000
#define SZ_256K 0x40000
#define SZ_1M 0x100000
#define SZ_2M 0x200000
#define SZ_32M 0x2000000
#define SZ_512M 0x20000000
#define SZ_1G 0x40000000
#define SZ_4G 0x100000000ULL
#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define MAX_PAGE_ORDER 10
#define NSEC_PER_USEC 1000L
#define NSEC_PER_MSEC 1000000L
#define NSEC_PER_SEC 1000000000L
#define USEC_PER_MSEC 1000L
#define USEC_PER_SEC 1000000L
#define HZ 250

/* the <linux/bitfield.h> typed helpers the driver uses */
#define u64_get_bits(v, m) FIELD_GET(m, v)
#define u32_get_bits(v, m) FIELD_GET(m, v)
#define u64_encode_bits(v, m) FIELD_PREP(m, v)
#define u32_encode_bits(v, m) FIELD_PREP(m, v)
#define u64p_replace_bits(p, v, m) \
	(*(p) = (*(p) & ~(u64)(m)) | ((u64)FIELD_PREP(m, v) & (u64)(m)))
#define u32p_replace_bits(p, v, m) \
	(*(p) = (*(p) & ~(u32)(m)) | ((u32)FIELD_PREP(m, v) & (u32)(m)))
#define VISIBLE_IF_KUNIT static
#define EXPORT_SYMBOL_NS_GPL(s, ns)

/* ---- bitmaps (plain, non-atomic) ---- */
static inline void __set_bit(unsigned long n, volatile unsigned long *a)
{
	a[BIT_WORD(n)] |= BIT_MASK(n);
}
static inline void __clear_bit(unsigned long n, volatile unsigned long *a)
{
	a[BIT_WORD(n)] &= ~BIT_MASK(n);
}
static inline bool test_bit(unsigned long n, const volatile unsigned long *a)
{
	return (a[BIT_WORD(n)] >> (n % BITS_PER_LONG)) & 1;
}
#define set_bit __set_bit
#define clear_bit __clear_bit
unsigned long find_first_bit(const unsigned long *a, unsigned long size);
unsigned long find_next_bit(const unsigned long *a, unsigned long size,
			    unsigned long off);
unsigned long find_first_zero_bit(const unsigned long *a, unsigned long size);
#define for_each_set_bit(bit, addr, size)                            \
	for ((bit) = find_first_bit((addr), (size)); (bit) < (size); \
	     (bit) = find_next_bit((addr), (size), (bit) + 1))
unsigned long *bitmap_zalloc(unsigned int nbits, gfp_t flags);
void bitmap_free(unsigned long *b);
static inline void bitmap_zero(unsigned long *b, unsigned int nbits)
{
	memset(b, 0, BITS_TO_LONGS(nbits) * sizeof(long));
}

/* ---- error pointers ---- */
#define MAX_ERRNO 4095
#define IS_ERR_VALUE(x) ((unsigned long)(x) >= (unsigned long)-MAX_ERRNO)
static inline void *ERR_PTR(long e)
{
	return (void *)e;
}
static inline long PTR_ERR(const void *p)
{
	return (long)p;
}
static inline bool IS_ERR(const void *p)
{
	return IS_ERR_VALUE((unsigned long)p);
}
static inline bool IS_ERR_OR_NULL(const void *p)
{
	return !p || IS_ERR(p);
}
static inline void *ERR_CAST(const void *p)
{
	return (void *)p;
}
static inline int PTR_ERR_OR_ZERO(const void *p)
{
	return IS_ERR(p) ? (int)PTR_ERR(p) : 0;
}

/* ---- logging: into the harness's log (kapi_log) ---- */
#define KERN_SOH "\001"
#define KERN_EMERG KERN_SOH "0"
#define KERN_ERR KERN_SOH "3"
#define KERN_WARNING KERN_SOH "4"
#define KERN_NOTICE KERN_SOH "5"
#define KERN_INFO KERN_SOH "6"
#define KERN_DEBUG KERN_SOH "7"
struct device;
__printf(3, 4) void kapi_log(const struct device *dev, int level,
			     const char *fmt, ...);
void kapi_warn(const char *file, int line, const char *cond);
#define printk(fmt, ...) kapi_log(NULL, 6, fmt, ##__VA_ARGS__)
#define pr_err(fmt, ...) kapi_log(NULL, 3, fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...) kapi_log(NULL, 4, fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...) kapi_log(NULL, 6, fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...) ((void)0)
#define dev_err(d, fmt, ...) kapi_log(d, 3, fmt, ##__VA_ARGS__)
#define dev_warn(d, fmt, ...) kapi_log(d, 4, fmt, ##__VA_ARGS__)
#define dev_notice(d, fmt, ...) kapi_log(d, 5, fmt, ##__VA_ARGS__)
#define dev_info(d, fmt, ...) kapi_log(d, 6, fmt, ##__VA_ARGS__)
#define dev_dbg(d, fmt, ...) ((void)(d))
#define dev_err_ratelimited dev_err
#define dev_warn_ratelimited dev_warn
#define dev_info_ratelimited dev_info
#define dev_err_once dev_err
#define dev_warn_once dev_warn
#define dev_info_once dev_info
#define pr_err_ratelimited pr_err
#define pr_warn_ratelimited pr_warn
#define pr_warn_once pr_warn
#define dev_err_probe(d, e, fmt, ...) (kapi_log(d, 3, fmt, ##__VA_ARGS__), (e))
#define WARN_ON(c)                                         \
	({                                                 \
		bool kapi_c_ = !!(c);                      \
		if (kapi_c_)                               \
			kapi_warn(__FILE__, __LINE__, #c); \
		kapi_c_;                                   \
	})
#define WARN_ON_ONCE(c) WARN_ON(c)
#define WARN(c, fmt, ...) WARN_ON(c)
#define WARN_ONCE(c, fmt, ...) WARN_ON(c)
#define BUG_ON(c) ((void)WARN_ON(c))
#define BUG() kapi_warn(__FILE__, __LINE__, "BUG")
#define might_sleep() ((void)0)
#define lockdep_assert_held(l) ((void)(l))
#define lockdep_assert_not_held(l) ((void)(l))

/* rate limiting: never limits (every message reaches the log) */
struct ratelimit_state {
	int unused;
};
#define DEFAULT_RATELIMIT_INTERVAL 0
#define DEFAULT_RATELIMIT_BURST 0
#define DEFINE_RATELIMIT_STATE(n, i, b) struct ratelimit_state n = { 0 }
#define __ratelimit(rs) ((void)(rs), 1)

/* ---- strings and formatting ---- */
void sort(void *base, size_t num, size_t size,
	  int (*cmp)(const void *, const void *),
	  void (*swap)(void *, void *, int));
__printf(2, 3) char *kasprintf(gfp_t gfp, const char *fmt, ...);
char *kstrdup(const char *s, gfp_t gfp);
int kstrtoint(const char *s, unsigned int base, int *res);
#define scnprintf snprintf
#include <stdio.h>

/* ---- doubly linked lists (the documented <linux/list.h> API) ---- */
struct list_head {
	struct list_head *next, *prev;
};
struct hlist_node {
	struct hlist_node *next, **pprev;
};
#define LIST_HEAD_INIT(name)     \
	{                        \
		&(name), &(name) \
	}
#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)
static inline void INIT_LIST_HEAD(struct list_head *l)
{
	l->next = l;
	l->prev = l;
}
static inline void kapi_list_link(struct list_head *n, struct list_head *prev,
				  struct list_head *next)
{
	next->prev = n;
	n->next = next;
	n->prev = prev;
	prev->next = n;
}
static inline void list_add(struct list_head *n, struct list_head *h)
{
	kapi_list_link(n, h, h->next);
}
static inline void list_add_tail(struct list_head *n, struct list_head *h)
{
	kapi_list_link(n, h->prev, h);
}
static inline void list_del(struct list_head *e)
{
	e->prev->next = e->next;
	e->next->prev = e->prev;
	e->next = e->prev = NULL;
}
static inline void list_del_init(struct list_head *e)
{
	e->prev->next = e->next;
	e->next->prev = e->prev;
	INIT_LIST_HEAD(e);
}
static inline int list_empty(const struct list_head *h)
{
	return h->next == h;
}
static inline int list_is_singular(const struct list_head *h)
{
	return !list_empty(h) && h->next == h->prev;
}
#define list_add_rcu list_add
#define list_add_tail_rcu list_add_tail
#define list_del_rcu list_del
#define list_entry(p, t, m) container_of(p, t, m)
#define list_first_entry(h, t, m) list_entry((h)->next, t, m)
#define list_last_entry(h, t, m) list_entry((h)->prev, t, m)
#define list_first_entry_or_null(h, t, m) \
	(list_empty(h) ? NULL : list_first_entry(h, t, m))
#define list_next_entry(p, m) list_entry((p)->m.next, typeof(*(p)), m)
#define list_entry_is_head(p, h, m) (&(p)->m == (h))
#define list_for_each(p, h) for ((p) = (h)->next; (p) != (h); (p) = (p)->next)
#define list_for_each_entry(p, h, m)                     \
	for ((p) = list_first_entry(h, typeof(*(p)), m); \
	     !list_entry_is_head(p, h, m); (p) = list_next_entry(p, m))
#define list_for_each_entry_rcu(p, h, m, ...) list_for_each_entry(p, h, m)
#define list_for_each_entry_safe(p, n, h, m)             \
	for ((p) = list_first_entry(h, typeof(*(p)), m), \
	    (n) = list_next_entry(p, m);                 \
	     !list_entry_is_head(p, h, m);               \
	     (p) = (n), (n) = list_next_entry(n, m))

/* ---- search trees: the <linux/rbtree.h> find/add/erase API over a sorted
 * singly linked list (a few StreamIDs per test) ---- */
struct rb_node {
	struct rb_node *kapi_next;
};
struct rb_root {
	struct rb_node *rb_node;
};
#define RB_ROOT ((struct rb_root){ NULL })
#define rb_entry(p, t, m) container_of(p, t, m)
static inline struct rb_node *
rb_find(const void *key, const struct rb_root *root,
	int (*cmp)(const void *key, const struct rb_node *))
{
	struct rb_node *n;

	for (n = root->rb_node; n; n = n->kapi_next)
		if (!cmp(key, n))
			return n;
	return NULL;
}
static inline struct rb_node *
rb_find_add(struct rb_node *node, struct rb_root *root,
	    int (*cmp)(struct rb_node *, const struct rb_node *))
{
	struct rb_node **pp = &root->rb_node;

	for (; *pp; pp = &(*pp)->kapi_next) {
		int c = cmp(node, *pp);

		if (!c)
			return *pp;
		if (c < 0)
			break;
	}
	node->kapi_next = *pp;
	*pp = node;
	return NULL;
}
static inline void rb_erase(struct rb_node *node, struct rb_root *root)
{
	struct rb_node **pp;

	for (pp = &root->rb_node; *pp; pp = &(*pp)->kapi_next)
		if (*pp == node) {
			*pp = node->kapi_next;
			return;
		}
}
#endif

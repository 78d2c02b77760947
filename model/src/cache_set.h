/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cache_set.h - the fixed-capacity entry set behind the TLB, the config cache
 * (cache.c) and the endpoint ATCs (ats.c).  Private to model/src.
 *
 * An open-addressing hash table with linear probing and backward-shift
 * deletion (no tombstones), sized at init to a power of two >= 2 x capacity
 * so the load factor never exceeds 1/2.  Nothing allocates after init.
 *
 * Each user chooses which key fields feed the hash (@hash_mode).  Entries
 * whose hashed fields are equal sit in one probe cluster, so an invalidation
 * that knows those fields (e.g. TLB kind + VMID + page) visits only that
 * cluster and may still match on the un-hashed fields (any ASID) with a
 * predicate.  Invalidations that know less scan the whole table.
 */
#ifndef CMDQV_CACHE_SET_H
#define CMDQV_CACHE_SET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * struct cache_ent - one cached entry (16 bytes).
 * @page: 4 KiB page number (TLB, ATC) or SubstreamID (config cache)
 * @tag:  VMID (TLB) or StreamID (config cache, ATC)
 * @asid: ASID (TLB), else 0
 * @kind: enum cmdqv_tlb_kind (TLB), else 0
 * @used: slot holds an entry
 */
struct cache_ent {
	uint64_t page;
	uint32_t tag;
	uint16_t asid;
	uint8_t kind;
	uint8_t used;
};

/* Key fields that feed the hash (kind always does). */
#define CACHE_HASH_TAG 1u
#define CACHE_HASH_PAGE 2u

/**
 * struct cache_set - the table.
 * @slots:    2^n slots, n chosen at init
 * @mask:     slot count - 1
 * @capacity: entries accepted before inserts fail
 * @live:     entries held
 * @hash_mode: CACHE_HASH_* bits
 */
struct cache_set {
	struct cache_ent *slots;
	uint32_t mask;
	uint32_t capacity;
	uint32_t live;
	unsigned hash_mode;
};

/** Predicate applied to entries of a cluster or of the whole table. */
typedef bool (*cache_match_fn)(const struct cache_ent *e, const void *arg);

/** Allocate the table. Returns CMDQV_OK or CMDQV_ENOMEM. */
int cache_set_init(struct cache_set *s, uint32_t capacity, unsigned hash_mode);
void cache_set_deinit(struct cache_set *s);
/** Remove every entry. */
void cache_set_clear(struct cache_set *s);
/**
 * Insert @key (its @used is ignored).  Returns CMDQV_OK (*added tells whether
 * it was new) or CMDQV_ENOMEM when the set is full and @key is not present.
 */
int cache_set_insert(struct cache_set *s, const struct cache_ent *key,
		     bool *added);
/** True if an entry equal to @key in every field is present. */
bool cache_set_find(const struct cache_set *s, const struct cache_ent *key);
/**
 * Remove the entries whose hashed fields equal @key's and for which @match
 * returns true (NULL matches all).  Visits only @key's probe cluster.
 * Returns the number removed; adds the entries examined to *scanned.
 * @on_remove (may be NULL) sees each entry before it goes.
 */
size_t cache_set_remove_cluster(struct cache_set *s,
				const struct cache_ent *key,
				cache_match_fn match, const void *arg,
				void (*on_remove)(const struct cache_ent *e,
						  void *ctx),
				void *ctx, size_t *scanned);
/** Same over the whole table. */
size_t
cache_set_remove_all(struct cache_set *s, cache_match_fn match, const void *arg,
		     void (*on_remove)(const struct cache_ent *e, void *ctx),
		     void *ctx, size_t *scanned);
/** Slots in the table (the cost of a full scan). */
static inline size_t cache_set_slots(const struct cache_set *s)
{
	return (size_t)s->mask + 1;
}

#endif /* CMDQV_CACHE_SET_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cache.c - TLB and config cache with the invalidation scope of every TLBI
 * and CFGI command (IHI 0070 4.3, 4.4, 4.4.1.1), plus the fixed-capacity
 * entry set (cache_set.h) they and the ATCs are built on.
 *
 * The model caches only what makes an invalidation observable: 4 KiB leaf
 * TLB entries tagged (kind, VMID, ASID, page) and config entries tagged
 * (SID, SSID).  Walk-cache/table entries are not modelled, so the Leaf and
 * TTL hints of a by-address TLBI never narrow its scope: over-invalidation
 * is permitted (IHI 0070 4.3, 4.4 (over-invalidation permitted)),
 * under-invalidation is not.
 *
 * Legality (ILL for S2 TLBIs without stage 2, EL2 TLBIs without HYP, range
 * fields with RIL=0 ...) is the engine's business (cmdq.c); the functions
 * here apply the scope of whatever command they are given.
 */
#include <stdlib.h>
#include <string.h>

#include "cache_set.h"
#include "internal.h"

/* ------------------------------------------------------------------ */
/* cache_set: open addressing, linear probing, backward-shift delete    */
/* ------------------------------------------------------------------ */

/* The probe loops (hash, compare, find, insert, delete) carry no coverage
 * feedback in fuzz builds (MODEL_NO_COVERAGE): their branches follow hash
 * collisions, not model behaviour, and they run for every cache check.  The
 * invalidation scopes and matchers above them stay instrumented. */

/* Minimum table size, so that a zero-capacity set still has an empty slot. */
#define CACHE_SET_MIN_SLOTS 8u

MODEL_NO_COVERAGE static uint64_t cache_mix(uint64_t x)
{
	/* splitmix64 finaliser: cheap and spreads consecutive pages. */
	x ^= x >> 30;
	x *= UINT64_C(0xbf58476d1ce4e5b9);
	x ^= x >> 27;
	x *= UINT64_C(0x94d049bb133111eb);
	x ^= x >> 31;
	return x;
}

MODEL_NO_COVERAGE static uint32_t cache_home(const struct cache_set *s,
					     const struct cache_ent *e)
{
	uint64_t h = (uint64_t)e->kind * UINT64_C(0x9e3779b97f4a7c15);

	if (s->hash_mode & CACHE_HASH_TAG)
		h ^= cache_mix((uint64_t)e->tag + UINT64_C(0x632be59bd9b4e019));
	if (s->hash_mode & CACHE_HASH_PAGE)
		h ^= cache_mix(e->page);
	return (uint32_t)cache_mix(h) & s->mask;
}

MODEL_NO_COVERAGE static bool cache_same_hashed(const struct cache_set *s,
						const struct cache_ent *a,
						const struct cache_ent *b)
{
	if (a->kind != b->kind)
		return false;
	if ((s->hash_mode & CACHE_HASH_TAG) && a->tag != b->tag)
		return false;
	if ((s->hash_mode & CACHE_HASH_PAGE) && a->page != b->page)
		return false;
	return true;
}

MODEL_NO_COVERAGE static bool cache_same(const struct cache_ent *a,
					 const struct cache_ent *b)
{
	return a->page == b->page && a->tag == b->tag && a->asid == b->asid &&
	       a->kind == b->kind;
}

int cache_set_init(struct cache_set *s, uint32_t capacity, unsigned hash_mode)
{
	uint64_t want = (uint64_t)capacity * 2u;
	uint64_t n = CACHE_SET_MIN_SLOTS;

	memset(s, 0, sizeof(*s));
	while (n < want)
		n <<= 1;
	if (n > UINT32_MAX)
		return CMDQV_ENOMEM;
	s->slots = calloc((size_t)n, sizeof(*s->slots));
	if (!s->slots)
		return CMDQV_ENOMEM;
	s->mask = (uint32_t)(n - 1);
	s->capacity = capacity;
	s->hash_mode = hash_mode;
	return CMDQV_OK;
}

void cache_set_deinit(struct cache_set *s)
{
	free(s->slots);
	memset(s, 0, sizeof(*s));
}

void cache_set_clear(struct cache_set *s)
{
	memset(s->slots, 0, cache_set_slots(s) * sizeof(*s->slots));
	s->live = 0;
}

MODEL_NO_COVERAGE int cache_set_insert(struct cache_set *s,
				       const struct cache_ent *key, bool *added)
{
	uint32_t i = cache_home(s, key);

	if (added)
		*added = false;
	while (s->slots[i].used) {
		if (cache_same(&s->slots[i], key))
			return CMDQV_OK;
		i = (i + 1) & s->mask;
	}
	if (s->live >= s->capacity)
		return CMDQV_ENOMEM;
	s->slots[i] = *key;
	s->slots[i].used = 1;
	s->live++;
	if (added)
		*added = true;
	return CMDQV_OK;
}

MODEL_NO_COVERAGE bool cache_set_find(const struct cache_set *s,
				      const struct cache_ent *key)
{
	uint32_t i = cache_home(s, key);

	while (s->slots[i].used) {
		if (cache_same(&s->slots[i], key))
			return true;
		i = (i + 1) & s->mask;
	}
	return false;
}

/*
 * Delete slot @i and close the gap (Knuth 6.4 algorithm R): later entries of
 * the cluster whose home is not cyclically in (i, j] move back into the hole.
 * Entries only ever move backwards into the slot being deleted, so a caller
 * walking forward re-examines slot @i and never misses an entry.
 */
MODEL_NO_COVERAGE static void cache_set_delete_at(struct cache_set *s,
						  uint32_t i)
{
	uint32_t j = i;

	for (;;) {
		uint32_t k;

		j = (j + 1) & s->mask;
		if (!s->slots[j].used)
			break;
		k = cache_home(s, &s->slots[j]);
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		s->slots[i] = s->slots[j];
		i = j;
	}
	s->slots[i].used = 0;
	s->live--;
}

size_t cache_set_remove_cluster(struct cache_set *s,
				const struct cache_ent *key,
				cache_match_fn match, const void *arg,
				void (*on_remove)(const struct cache_ent *e,
						  void *ctx),
				void *ctx, size_t *scanned)
{
	uint32_t i = cache_home(s, key);
	size_t removed = 0, seen = 0;

	while (s->slots[i].used) {
		struct cache_ent *e = &s->slots[i];

		seen++;
		if (cache_same_hashed(s, e, key) && (!match || match(e, arg))) {
			if (on_remove)
				on_remove(e, ctx);
			cache_set_delete_at(s, i);
			removed++;
			continue; /* slot i now holds a later entry, or is empty */
		}
		i = (i + 1) & s->mask;
	}
	if (scanned)
		*scanned += seen;
	return removed;
}

size_t
cache_set_remove_all(struct cache_set *s, cache_match_fn match, const void *arg,
		     void (*on_remove)(const struct cache_ent *e, void *ctx),
		     void *ctx, size_t *scanned)
{
	uint32_t start = 0, n = s->mask + 1, visited;
	uint32_t i;
	size_t removed = 0, seen = 0;

	if (s->live == 0)
		return 0;
	/* Start just after an empty slot (one exists: load <= 1/2) so that no
	 * cluster wraps across the start of the walk; deletions then only
	 * pull entries back into the slot being examined. */
	while (s->slots[start].used)
		start = (start + 1) & s->mask;
	i = (start + 1) & s->mask;
	for (visited = 0; visited < n; visited++) {
		while (s->slots[i].used) {
			struct cache_ent *e = &s->slots[i];

			seen++;
			if (match && !match(e, arg))
				break;
			if (on_remove)
				on_remove(e, ctx);
			cache_set_delete_at(s, i);
			removed++;
		}
		i = (i + 1) & s->mask;
	}
	if (scanned)
		*scanned += seen;
	return removed;
}

/* ------------------------------------------------------------------ */
/* TLB                                                                 */
/* ------------------------------------------------------------------ */

#define TLB_PAGE_SHIFT 12 /* entries are 4 KiB leaves (docs/caches.md) */
#define TLB_VMIDS 65536u

/**
 * struct tlb - the TLB model.
 * @set:       entries: tag = VMID (0 for EL2), asid (0 for S2), page = addr >> 12;
 *             hashed on (kind, VMID, page) so a by-address command for one
 *             VMID visits one cluster per page, whatever the ASID
 * @vmid_live: NH + S2 entries per VMID, so VMID-scoped commands on an
 *             absent VMID cost nothing
 */
struct tlb {
	struct cache_set set;
	uint32_t vmid_live[TLB_VMIDS];
};

/**
 * struct tlb_scope - what one TLBI removes.
 * @kinds:      bit per enum cmdqv_tlb_kind
 * @vmid, @asid: matched when @match_vmid / @match_asid
 * @first, @last: page range, matched when @match_range
 */
struct tlb_scope {
	unsigned kinds;
	bool match_vmid;
	bool match_asid;
	bool match_range;
	uint16_t vmid;
	uint16_t asid;
	uint64_t first;
	uint64_t last;
};

#define TLB_KIND_BIT(k) (1u << (k))

static bool tlb_scope_match(const struct cache_ent *e, const void *arg)
{
	const struct tlb_scope *sc = arg;

	if (!(sc->kinds & TLB_KIND_BIT(e->kind)))
		return false;
	if (sc->match_vmid && e->tag != sc->vmid)
		return false;
	if (sc->match_asid && e->asid != sc->asid)
		return false;
	if (sc->match_range && (e->page < sc->first || e->page > sc->last))
		return false;
	return true;
}

static void tlb_on_remove(const struct cache_ent *e, void *ctx)
{
	struct tlb *t = ctx;

	if (e->kind != CMDQV_TLB_EL2)
		t->vmid_live[e->tag]--;
}

/* Normalise an entry key: EL2 entries carry no VMID, S2 entries no ASID. */
static struct cache_ent tlb_key(enum cmdqv_tlb_kind kind, uint16_t vmid,
				uint16_t asid, uint64_t page)
{
	struct cache_ent k = { .page = page, .kind = (uint8_t)kind };

	k.tag = kind == CMDQV_TLB_EL2 ? 0 : vmid;
	k.asid = kind == CMDQV_TLB_S2 ? 0 : asid;
	return k;
}

int tlb_create(uint32_t capacity, struct tlb **out)
{
	struct tlb *t = calloc(1, sizeof(*t));
	int rc;

	*out = NULL;
	if (!t)
		return CMDQV_ENOMEM;
	rc = cache_set_init(&t->set, capacity,
			    CACHE_HASH_TAG | CACHE_HASH_PAGE);
	if (rc) {
		free(t);
		return rc;
	}
	*out = t;
	return CMDQV_OK;
}

static void cache_set_state_walk(struct cache_set *s, model_mem_fn fn,
				 void *ctx)
{
	fn(ctx, s->slots, cache_set_slots(s) * sizeof(*s->slots));
}

/* @vmid_live is the count of the entries in the table: not copied (256 KiB),
 * recounted after a restore (tlb_state_recount). */
void tlb_state_walk(struct tlb *t, model_mem_fn fn, void *ctx)
{
	fn(ctx, &t->set, sizeof(t->set));
	cache_set_state_walk(&t->set, fn, ctx);
}

/* @sign -1: the counts of the VMIDs in the table back to 0 (before the
 * table is overwritten); +1: count the table's entries again. */
MODEL_NO_COVERAGE static void tlb_state_count(struct tlb *t, int sign)
{
	for (size_t i = 0; i < cache_set_slots(&t->set); i++) {
		const struct cache_ent *e = &t->set.slots[i];

		if (!e->used || e->kind == CMDQV_TLB_EL2)
			continue;
		if (sign < 0)
			t->vmid_live[e->tag] = 0;
		else
			t->vmid_live[e->tag]++;
	}
}

MODEL_NO_COVERAGE void tlb_state_forget(struct tlb *t)
{
	tlb_state_count(t, -1);
}

MODEL_NO_COVERAGE void tlb_state_recount(struct tlb *t)
{
	tlb_state_count(t, +1);
}

MODEL_NO_COVERAGE bool tlb_state_consistent(struct tlb *t)
{
	bool zero = true;

	/* every entry taken off its count leaves every count at 0 exactly
	 * when the counts match; putting them back restores the counts */
	for (size_t i = 0; i < cache_set_slots(&t->set); i++) {
		const struct cache_ent *e = &t->set.slots[i];

		if (e->used && e->kind != CMDQV_TLB_EL2)
			t->vmid_live[e->tag]--;
	}
	for (size_t v = 0; v < TLB_VMIDS; v++)
		zero = zero && t->vmid_live[v] == 0;
	tlb_state_recount(t);
	return zero;
}

void tlb_reset(struct tlb *t)
{
	cache_set_clear(&t->set);
	memset(t->vmid_live, 0, sizeof(t->vmid_live));
}

void tlb_destroy(struct tlb *t)
{
	if (!t)
		return;
	cache_set_deinit(&t->set);
	free(t);
}

int tlb_insert(struct tlb *t, enum cmdqv_tlb_kind kind, uint16_t vmid,
	       uint16_t asid, uint64_t addr, uint64_t pages)
{
	uint64_t first = addr >> TLB_PAGE_SHIFT, p;

	if ((unsigned)kind > CMDQV_TLB_S2)
		return CMDQV_EINVAL;
	/* Pages beyond the top of the address space do not exist. */
	if (pages > (UINT64_MAX >> TLB_PAGE_SHIFT) - first + 1)
		return CMDQV_EINVAL;
	for (p = 0; p < pages; p++) {
		struct cache_ent k = tlb_key(kind, vmid, asid, first + p);
		bool added;
		int rc = cache_set_insert(&t->set, &k, &added);

		if (rc)
			return rc; /* full: the pages before this one stay */
		if (added && kind != CMDQV_TLB_EL2)
			t->vmid_live[k.tag]++;
	}
	return CMDQV_OK;
}

bool tlb_present(const struct tlb *t, enum cmdqv_tlb_kind kind, uint16_t vmid,
		 uint16_t asid, uint64_t addr)
{
	struct cache_ent k = tlb_key(kind, vmid, asid, addr >> TLB_PAGE_SHIFT);

	return cache_set_find(&t->set, &k);
}

size_t tlb_count(const struct tlb *t, int vmid)
{
	if (vmid < 0)
		return t->set.live;
	if ((unsigned)vmid >= TLB_VMIDS)
		return 0;
	return t->vmid_live[vmid];
}

/*
 * Page range of a by-address TLBI: TG=0 is the single entry containing
 * Address; TG!=0 is (NUM+1) x 2^SCALE granules from Address, clipped at the
 * top of the address space ("no wrap") (IHI 0070 4.4.1.1).
 */
static void tlb_cmd_pages(const struct cmd *c, uint64_t *first, uint64_t *last)
{
	uint64_t bytes = c->tg == 0 ? 1 : cmd_range_bytes(c);
	uint64_t end = c->addr + (bytes - 1);

	if (end < c->addr)
		end = UINT64_MAX;
	*first = c->addr >> TLB_PAGE_SHIFT;
	*last = end >> TLB_PAGE_SHIFT;
}

/* Build the scope of TLBI @c; false if it removes nothing from this model. */
static bool tlb_cmd_scope(const struct cmd *c, bool s2, struct tlb_scope *sc)
{
	const unsigned nh = TLB_KIND_BIT(CMDQV_TLB_NH);
	const unsigned el2 = TLB_KIND_BIT(CMDQV_TLB_EL2);
	const unsigned st2 = TLB_KIND_BIT(CMDQV_TLB_S2);

	memset(sc, 0, sizeof(*sc));
	sc->vmid = c->vmid;
	sc->asid = c->asid;
	/* IHI 0070 4.4: NH_* match the VMID only when stage 2 is
	 * implemented; a stage-1-only SMMU need not check it.  The model then
	 * ignores the VMID (every VMID's entries in scope): the permitted
	 * over-invalidation rather than the "UNKNOWN VMID" reading. */
	switch (c->opcode) {
	case CMDQ_OP_TLBI_NH_ALL:
		sc->kinds = nh;
		sc->match_vmid = s2;
		break;
	case CMDQ_OP_TLBI_NH_ASID:
		sc->kinds = nh;
		sc->match_vmid = s2;
		sc->match_asid = true;
		break;
	case CMDQ_OP_TLBI_NH_VA:
		sc->kinds = nh;
		sc->match_vmid = s2;
		sc->match_asid = true;
		sc->match_range = true;
		break;
	case CMDQ_OP_TLBI_NH_VAA:
		sc->kinds = nh;
		sc->match_vmid = s2;
		sc->match_range = true;
		break;
	case CMDQ_OP_TLBI_EL2_ALL:
		sc->kinds = el2;
		break;
	case CMDQ_OP_TLBI_EL2_ASID:
		sc->kinds = el2;
		sc->match_asid = true;
		break;
	case CMDQ_OP_TLBI_EL2_VA:
		sc->kinds = el2;
		sc->match_asid = true;
		sc->match_range = true;
		break;
	case CMDQ_OP_TLBI_EL2_VAA:
		sc->kinds = el2;
		sc->match_range = true;
		break;
	case CMDQ_OP_TLBI_S12_VMALL:
		/* every stage-1+2 and stage-2 entry of the VMID (IHI 0070 4.3,
		 * 4.4) */
		sc->kinds = nh | st2;
		sc->match_vmid = true;
		break;
	case CMDQ_OP_TLBI_S2_IPA:
		/* stage-2 entries only: combined S1+S2 (NH) entries stay
		 * (IHI 0070 4.3, 4.4, gem5) */
		sc->kinds = st2;
		sc->match_vmid = true;
		sc->match_range = true;
		break;
	case CMDQ_OP_TLBI_NSNH_ALL:
		/* everything non-secure, non-hyp: NH and S2, all VMIDs */
		sc->kinds = nh | st2;
		break;
	default:
		/* TLBI_EL3_*: Secure state is not modelled (nothing cached);
		 * other opcodes are not TLB invalidations. */
		return false;
	}
	if (sc->match_range)
		tlb_cmd_pages(c, &sc->first, &sc->last);
	return true;
}

size_t tlb_invalidate(struct tlb *t, const struct cmd *c, bool s2,
		      size_t *scanned)
{
	struct tlb_scope sc;
	size_t removed = 0;
	uint64_t span;

	if (scanned)
		*scanned = 0;
	if (!tlb_cmd_scope(c, s2, &sc) || t->set.live == 0)
		return 0;
	if (sc.match_vmid && !(sc.kinds & TLB_KIND_BIT(CMDQV_TLB_EL2)) &&
	    t->vmid_live[sc.vmid] == 0)
		return 0;

	span = sc.match_range ? sc.last - sc.first : UINT64_MAX;
	/* By-address command whose hashed fields (kind, VMID, page) are all
	 * known: visit one cluster per page and kind, if that is cheaper than
	 * walking the table.  EL2 entries are stored with VMID 0. */
	if (sc.match_range && span < cache_set_slots(&t->set) / 2 &&
	    (sc.match_vmid || sc.kinds == TLB_KIND_BIT(CMDQV_TLB_EL2))) {
		unsigned k;

		for (k = 0; k <= CMDQV_TLB_S2; k++) {
			uint64_t p;

			if (!(sc.kinds & TLB_KIND_BIT(k)))
				continue;
			for (p = sc.first;; p++) {
				struct cache_ent key =
					tlb_key(k, sc.vmid, 0, p);

				removed += cache_set_remove_cluster(
					&t->set, &key, tlb_scope_match, &sc,
					tlb_on_remove, t, scanned);
				if (p == sc.last)
					break;
			}
		}
		return removed;
	}
	return cache_set_remove_all(&t->set, tlb_scope_match, &sc,
				    tlb_on_remove, t, scanned);
}

/* ------------------------------------------------------------------ */
/* Config cache                                                        */
/* ------------------------------------------------------------------ */

/**
 * struct cfgc - the config cache: STE entries (SSID = CMDQV_SSID_NONE) and
 * CD entries (SID, SSID), hashed on SID so every per-SID command visits one
 * cluster.
 */
struct cfgc {
	struct cache_set set;
};

/**
 * struct cfgc_scope - what one CFGI removes.
 * @sid_first, @sid_last: StreamID range
 * @ssid_mode: 0 any entry, 1 only (SID, @ssid), 2 only CD entries
 */
struct cfgc_scope {
	uint32_t sid_first;
	uint32_t sid_last;
	unsigned ssid_mode;
	uint32_t ssid;
};

static bool cfgc_scope_match(const struct cache_ent *e, const void *arg)
{
	const struct cfgc_scope *sc = arg;

	if (e->tag < sc->sid_first || e->tag > sc->sid_last)
		return false;
	switch (sc->ssid_mode) {
	case 1:
		return e->page == sc->ssid;
	case 2:
		return e->page != CMDQV_SSID_NONE;
	default:
		return true;
	}
}

int cfgc_create(uint32_t capacity, struct cfgc **out)
{
	struct cfgc *c = calloc(1, sizeof(*c));
	int rc;

	*out = NULL;
	if (!c)
		return CMDQV_ENOMEM;
	rc = cache_set_init(&c->set, capacity, CACHE_HASH_TAG);
	if (rc) {
		free(c);
		return rc;
	}
	*out = c;
	return CMDQV_OK;
}

void cfgc_state_walk(struct cfgc *c, model_mem_fn fn, void *ctx)
{
	fn(ctx, c, sizeof(*c));
	cache_set_state_walk(&c->set, fn, ctx);
}

void cfgc_reset(struct cfgc *c)
{
	cache_set_clear(&c->set);
}

void cfgc_destroy(struct cfgc *c)
{
	if (!c)
		return;
	cache_set_deinit(&c->set);
	free(c);
}

int cfgc_insert(struct cfgc *c, uint32_t sid, uint32_t ssid)
{
	struct cache_ent k = { .page = ssid, .tag = sid };

	return cache_set_insert(&c->set, &k, NULL);
}

bool cfgc_present(const struct cfgc *c, uint32_t sid, uint32_t ssid)
{
	struct cache_ent k = { .page = ssid, .tag = sid };

	return cache_set_find(&c->set, &k);
}

size_t cfgc_invalidate(struct cfgc *c, const struct cmd *cmd)
{
	struct cfgc_scope sc = { .sid_first = cmd->sid, .sid_last = cmd->sid };
	uint64_t n, sid;
	size_t removed = 0;

	switch (cmd->opcode) {
	case CMDQ_OP_CFGI_STE:
		/* The STE and everything cached under it: the IHI 0070 4.3, 4.4
		 * (gem5 "config cache entries for SID", QEMU drops the SID's
		 * whole config).  Leaf only concerns L1 descriptors, not
		 * modelled. */
		break;
	case CMDQ_OP_CFGI_STE_RANGE:
		if (cmd->range >= CMD_CFGI_RANGE_ALL) {
			/* CFGI_ALL (IHI 0070 4.2-4.7; arm-smmu-v3.h) */
			return cache_set_remove_all(&c->set, NULL, NULL, NULL,
						    NULL, NULL);
		}
		/* 2^(Range+1) SIDs from StreamID with the low Range+1 bits
		 * cleared (IHI 0070 4.2-4.7; arm-smmu-v3.h). */
		n = UINT64_C(1) << (cmd->range + 1);
		sc.sid_first = (uint32_t)(cmd->sid & ~(n - 1));
		sc.sid_last = (uint32_t)(sc.sid_first + (n - 1));
		if (n < cache_set_slots(&c->set) / 2) {
			for (sid = sc.sid_first; sid <= sc.sid_last; sid++) {
				struct cache_ent key = { .tag = (uint32_t)sid };

				removed += cache_set_remove_cluster(&c->set,
								    &key, NULL,
								    NULL, NULL,
								    NULL, NULL);
			}
			return removed;
		}
		return cache_set_remove_all(&c->set, cfgc_scope_match, &sc,
					    NULL, NULL, NULL);
	case CMDQ_OP_CFGI_CD:
		sc.ssid_mode = 1;
		sc.ssid = cmd->ssid;
		break;
	case CMDQ_OP_CFGI_CD_ALL:
		/* every CD of the SID, not the STE itself (inferred from
		 * the command names; IHI 0070 4.3, 4.4: "all config entries for
		 * SID" in gem5 also covers the STE - removing it too would be
		 * permitted over-invalidation, the model keeps it). */
		sc.ssid_mode = 2;
		break;
	default:
		return 0;
	}
	{
		struct cache_ent key = { .tag = cmd->sid };

		return cache_set_remove_cluster(&c->set, &key, cfgc_scope_match,
						&sc, NULL, NULL, NULL);
	}
}

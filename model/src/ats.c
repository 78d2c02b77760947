/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ats.c - the model's built-in PCIe endpoints: one ATC per StreamID
 * (docs/caches.md), used when the host gives no ats_inv callback.
 *
 * An endpoint is created the first time a StreamID is given ATC entries, a
 * latency or the silent mode, up to cfg->endpoints of them; ATC entries are
 * 4 KiB pages held in one fixed-capacity set of cfg->atc_entries shared by
 * every endpoint.  The request/response timing, ITags and the timeout are
 * the engine's (cmdq.c): this file answers "what does this endpoint remove
 * and how long does it take to answer".
 *
 * How long: each endpoint processes at most cfg->ats_inv_servers requests
 * at once (0 = unlimited); a request arriving (ats_link_latency after the
 * SMMU sent it) while all are busy waits in the function's invalidate
 * queue, in arrival order, so two CPUs' ATC_INVs to one device answer one
 * after the other.  Requests are handed in at their send time, in time
 * order (the model's event kernel), which keeps arrivals in order.
 */
#include <stdlib.h>
#include <string.h>

#include "cache_set.h"
#include "internal.h"

#define ATS_PAGE_SHIFT \
	12 /* ATS invalidations use 4 KB granules (arm-smmu-v3.c: arm_smmu_atc_inv_to_cmd()) */
#define ATS_NO_EP UINT32_MAX

/**
 * struct ats_ep - one endpoint (PCIe function).
 * @sid:     its StreamID
 * @latency: time from receiving an Invalidate Request to answering it
 * @silent:  never answers (fault injection)
 * @pages:   ATC entries held
 * @free_at: per server, when it finishes its last request (ats_inv_servers
 *           entries in ats_eps.free_at)
 */
struct ats_ep {
	uint32_t sid;
	bool silent;
	sim_time_t latency;
	size_t pages;
	sim_time_t *free_at;
};

/**
 * struct ats_eps - every built-in endpoint.
 * @eps:      endpoints in creation order, @n_eps of @max_eps used
 * @map:      StreamID -> index into @eps, open addressing (no deletion:
 *            endpoints live until destroy), ATS_NO_EP marks a free slot
 * @map_mask: map slots - 1
 * @atc:      every endpoint's ATC pages: tag = SID, page = addr >> 12
 * @default_latency: cfg->ats_device_latency
 * @link:     cfg->ats_link_latency (SMMU -> endpoint)
 * @servers:  cfg->ats_inv_servers (0 = unlimited)
 * @free_at:  @servers busy-until times per endpoint, @max_eps * @servers
 * @clock:    the model's current time (NULL: every request arrives at 0)
 * @queued:   requests that waited for a busy endpoint
 */
struct ats_eps {
	struct ats_ep *eps;
	uint32_t n_eps;
	uint32_t max_eps;
	uint32_t *map;
	uint32_t map_mask;
	struct cache_set atc;
	sim_time_t default_latency;
	sim_time_t link;
	uint32_t servers;
	sim_time_t *free_at;
	const sim_time_t *clock;
	uint64_t queued;
};

static uint32_t ats_sid_hash(uint32_t sid)
{
	uint64_t x = (uint64_t)sid * UINT64_C(0x9e3779b97f4a7c15);

	return (uint32_t)(x >> 32);
}

int ats_eps_create(const struct cmdqv_config *cfg, struct ats_eps **out)
{
	struct ats_eps *a = calloc(1, sizeof(*a));
	uint64_t slots = 8;
	int rc;

	*out = NULL;
	if (!a)
		return CMDQV_ENOMEM;
	while (slots < (uint64_t)cfg->endpoints * 2u)
		slots <<= 1;
	a->max_eps = cfg->endpoints;
	a->default_latency = cfg->ats_device_latency;
	a->link = cfg->ats_link_latency;
	a->servers = cfg->ats_inv_servers;
	a->eps = calloc(cfg->endpoints ? cfg->endpoints : 1, sizeof(*a->eps));
	a->map = malloc((size_t)slots * sizeof(*a->map));
	if (a->servers)
		a->free_at =
			calloc((size_t)(cfg->endpoints ? cfg->endpoints : 1) *
				       a->servers,
			       sizeof(*a->free_at));
	if (!a->eps || !a->map || (a->servers && !a->free_at)) {
		ats_eps_destroy(a);
		return CMDQV_ENOMEM;
	}
	memset(a->map, 0xff, (size_t)slots * sizeof(*a->map));
	a->map_mask = (uint32_t)(slots - 1);
	rc = cache_set_init(&a->atc, cfg->atc_entries,
			    CACHE_HASH_TAG | CACHE_HASH_PAGE);
	if (rc) {
		ats_eps_destroy(a);
		return rc;
	}
	*out = a;
	return CMDQV_OK;
}

void ats_eps_state_walk(struct ats_eps *a, model_mem_fn fn, void *ctx)
{
	size_t neps = a->max_eps ? a->max_eps : 1;

	fn(ctx, a, sizeof(*a));
	fn(ctx, a->eps, neps * sizeof(*a->eps));
	fn(ctx, a->map, ((size_t)a->map_mask + 1) * sizeof(*a->map));
	if (a->servers)
		fn(ctx, a->free_at, neps * a->servers * sizeof(*a->free_at));
	fn(ctx, a->atc.slots, cache_set_slots(&a->atc) * sizeof(*a->atc.slots));
}

void ats_eps_reset(struct ats_eps *a)
{
	/* No endpoint yet (they are created on first use), empty ATCs. */
	memset(a->eps, 0,
	       (size_t)(a->max_eps ? a->max_eps : 1) * sizeof(*a->eps));
	a->n_eps = 0;
	memset(a->map, 0xff, ((size_t)a->map_mask + 1) * sizeof(*a->map));
	cache_set_clear(&a->atc);
	a->queued = 0; /* endpoint servers are set idle when created */
}

void ats_eps_destroy(struct ats_eps *a)
{
	if (!a)
		return;
	if (a->atc.slots)
		cache_set_deinit(&a->atc);
	free(a->free_at);
	free(a->map);
	free(a->eps);
	free(a);
}

/* Map slot where @sid is, or the free slot where it would go. */
static uint32_t ats_map_slot(const struct ats_eps *a, uint32_t sid)
{
	uint32_t i = ats_sid_hash(sid) & a->map_mask;

	while (a->map[i] != ATS_NO_EP && a->eps[a->map[i]].sid != sid)
		i = (i + 1) & a->map_mask;
	return i;
}

static struct ats_ep *ats_ep_find(const struct ats_eps *a, uint32_t sid)
{
	uint32_t idx = a->map[ats_map_slot(a, sid)];

	return idx == ATS_NO_EP ? NULL : &a->eps[idx];
}

/* The endpoint for @sid, created on first use; NULL when all are in use. */
static struct ats_ep *ats_ep_get(struct ats_eps *a, uint32_t sid)
{
	uint32_t slot = ats_map_slot(a, sid);
	struct ats_ep *ep;

	if (a->map[slot] != ATS_NO_EP)
		return &a->eps[a->map[slot]];
	if (a->n_eps >= a->max_eps)
		return NULL;
	ep = &a->eps[a->n_eps];
	memset(ep, 0, sizeof(*ep));
	ep->sid = sid;
	ep->latency = a->default_latency;
	if (a->servers) {
		ep->free_at = &a->free_at[(size_t)a->n_eps * a->servers];
		memset(ep->free_at, 0, a->servers * sizeof(*ep->free_at));
	}
	a->map[slot] = a->n_eps++;
	return ep;
}

void ats_eps_set_clock(struct ats_eps *a, const sim_time_t *now)
{
	a->clock = now;
}

uint64_t ats_eps_queued(const struct ats_eps *a)
{
	return a->queued;
}

/*
 * Time from a request's arrival until @ep answers it, taking @service
 * once one of its servers is free (the earliest-free server, i.e. FIFO).
 */
static sim_time_t ats_ep_serve(struct ats_eps *a, struct ats_ep *ep,
			       sim_time_t service)
{
	sim_time_t arrive = (a->clock ? *a->clock : 0) + a->link;
	sim_time_t start;
	uint32_t i, best = 0;

	if (!a->servers)
		return service;
	for (i = 1; i < a->servers; i++)
		if (ep->free_at[i] < ep->free_at[best])
			best = i;
	start = ep->free_at[best] > arrive ? ep->free_at[best] : arrive;
	if (start > arrive)
		a->queued++;
	ep->free_at[best] = start + service;
	return ep->free_at[best] - arrive;
}

int ats_eps_add(struct ats_eps *a, uint32_t sid, uint64_t addr, uint64_t pages)
{
	uint64_t first = addr >> ATS_PAGE_SHIFT, p;
	struct ats_ep *ep;

	if (pages > (UINT64_MAX >> ATS_PAGE_SHIFT) - first + 1)
		return CMDQV_EINVAL;
	ep = ats_ep_get(a, sid);
	if (!ep)
		return CMDQV_ENOMEM;
	for (p = 0; p < pages; p++) {
		struct cache_ent k = { .page = first + p, .tag = sid };
		bool added;
		int rc = cache_set_insert(&a->atc, &k, &added);

		if (rc)
			return rc; /* ATC storage full: earlier pages stay */
		if (added)
			ep->pages++;
	}
	return CMDQV_OK;
}

bool ats_eps_present(const struct ats_eps *a, uint32_t sid, uint64_t addr)
{
	struct cache_ent k = { .page = addr >> ATS_PAGE_SHIFT, .tag = sid };

	return cache_set_find(&a->atc, &k);
}

size_t ats_eps_count(const struct ats_eps *a, uint32_t sid)
{
	const struct ats_ep *ep;

	if (sid == UINT32_MAX)
		return a->atc.live;
	ep = ats_ep_find(a, sid);
	return ep ? ep->pages : 0;
}

int ats_eps_set(struct ats_eps *a, uint32_t sid, const sim_time_t *latency,
		const bool *silent)
{
	struct ats_ep *ep = ats_ep_get(a, sid);

	if (!ep)
		return CMDQV_ENOMEM;
	if (latency)
		ep->latency = *latency;
	if (silent)
		ep->silent = *silent;
	return CMDQV_OK;
}

/**
 * struct ats_span - pages of one SID an invalidation covers.
 * @sid: StreamID
 * @first, @last: page numbers (inclusive)
 */
struct ats_span {
	uint32_t sid;
	uint64_t first;
	uint64_t last;
};

static bool ats_span_match(const struct cache_ent *e, const void *arg)
{
	const struct ats_span *sp = arg;

	return e->tag == sp->sid && e->page >= sp->first && e->page <= sp->last;
}

int ats_eps_invalidate(void *ctx, const struct cmdqv_ats_req *req,
		       sim_time_t *latency)
{
	struct ats_eps *a = ctx;
	struct ats_ep *ep = ats_ep_find(a, req->sid);
	struct ats_span sp = { .sid = req->sid };
	uint64_t end;
	size_t removed;

	if (!ep && a->servers)
		ep = ats_ep_get(a, req->sid); /* its servers are state */
	if (!ep) {
		/* A function with no ATC state still answers, after the
		 * default time; no endpoint slot is spent on it (with
		 * unlimited servers, or when every slot is in use). */
		*latency = a->default_latency;
		return CMDQV_ATS_COMPLETES;
	}
	if (ep->silent) {
		/* Fault injection: the device never processes the request,
		 * so nothing is removed and no completion comes back; the
		 * SMMU's timeout (cmdq.c) turns this into
		 * SMMU_CERROR_ATC_INV_SYNC (IHI 0070 3.9.1.4, 4.7.3: "treat the
		 * ATC as not invalidated"). */
		*latency = 0;
		return CMDQV_ATS_NO_RESPONSE;
	}
	*latency = ats_ep_serve(a, ep, ep->latency);
	if (ep->pages == 0 || req->bytes == 0)
		return CMDQV_ATS_COMPLETES;
	/* Span as the SMMU sends it (IHI 0070 4.5.1): addr aligned to
	 * bytes, or everything.  ATC entries carry no PASID, so SSV/Global
	 * never narrow the scope (permitted over-invalidation, IHI 0070 4.3,
	 * 4.4). */
	end = req->addr + (req->bytes - 1);
	if (req->bytes == UINT64_MAX || end < req->addr)
		end = UINT64_MAX;
	sp.first = req->addr >> ATS_PAGE_SHIFT;
	sp.last = end >> ATS_PAGE_SHIFT;
	if (sp.last - sp.first < cache_set_slots(&a->atc) / 2) {
		uint64_t p;

		removed = 0;
		for (p = sp.first;; p++) {
			struct cache_ent key = { .page = p, .tag = req->sid };

			removed += cache_set_remove_cluster(
				&a->atc, &key, NULL, NULL, NULL, NULL, NULL);
			if (p == sp.last)
				break;
		}
	} else {
		removed = cache_set_remove_all(&a->atc, ats_span_match, &sp,
					       NULL, NULL, NULL);
	}
	ep->pages -= removed;
	return CMDQV_ATS_COMPLETES;
}

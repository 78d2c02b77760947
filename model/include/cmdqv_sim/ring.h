/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ring.h - queue index arithmetic shared by the SMMU CMDQ and every VCMDQ
 * (IHI 0070 3.5): a PROD/CONS value holds {wrap, index} in bits
 * [log2size:0]; incrementing treats the pair as one counter.  Bits above the
 * wrap bit (e.g. CONS.ERR) are not part of the position and are ignored by
 * every helper here; callers keep them separately.
 */
#ifndef CMDQV_SIM_RING_H
#define CMDQV_SIM_RING_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** struct ring - geometry of one queue: 2^log2size entries. */
struct ring {
	uint8_t log2size;
};

static inline uint32_t ring_entries(struct ring r)
{
	return 1u << r.log2size;
}
/** Mask of the {wrap, index} position bits. */
static inline uint32_t ring_pos_mask(struct ring r)
{
	return (2u << r.log2size) - 1u;
}
static inline uint32_t ring_idx(struct ring r, uint32_t pos)
{
	return pos & (ring_entries(r) - 1u);
}
static inline uint32_t ring_wrap(struct ring r, uint32_t pos)
{
	return (pos >> r.log2size) & 1u;
}
/** Position @n entries after @pos (index and wrap only). */
static inline uint32_t ring_add(struct ring r, uint32_t pos, uint32_t n)
{
	return (pos + n) & ring_pos_mask(r);
}
static inline bool ring_empty(struct ring r, uint32_t prod, uint32_t cons)
{
	return ((prod ^ cons) & ring_pos_mask(r)) == 0;
}
static inline bool ring_full(struct ring r, uint32_t prod, uint32_t cons)
{
	return ring_idx(r, prod) == ring_idx(r, cons) &&
	       ring_wrap(r, prod) != ring_wrap(r, cons);
}
/** Entries published but not consumed (0 .. 2^log2size). */
static inline uint32_t ring_used(struct ring r, uint32_t prod, uint32_t cons)
{
	return (prod - cons) & ring_pos_mask(r);
}
/** Free entries, as Linux computes them. */
static inline uint32_t ring_space(struct ring r, uint32_t prod, uint32_t cons)
{
	return ring_entries(r) - ring_used(r, prod, cons);
}
/**
 * Linux's "entry at producer position @pos has been consumed" test
 * (IHI 0070 3.5), used to detect CMD_SYNC completion by polling CONS.
 */
static inline bool ring_consumed(struct ring r, uint32_t cons, uint32_t pos)
{
	if (ring_wrap(r, cons) == ring_wrap(r, pos))
		return ring_idx(r, cons) > ring_idx(r, pos);
	return ring_idx(r, cons) <= ring_idx(r, pos);
}
/** Byte address of the entry at @pos in a queue whose base address is @base. */
static inline uint64_t ring_entry_addr(struct ring r, uint64_t base,
				       uint32_t pos)
{
	return base + ((uint64_t)ring_idx(r, pos) << 4);
}

#ifdef __cplusplus
}
#endif
#endif /* CMDQV_SIM_RING_H */

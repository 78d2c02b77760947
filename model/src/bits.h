/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bits.h - the one field extract/deposit idiom used by the whole core.
 *
 * A field is described by a macro expanding to "shift, len", declared once
 * next to the register or descriptor word it belongs to, e.g.
 *
 *     #define CMDQ_CONS_ERR 24, 7
 *     uint32_t err = (uint32_t)FIELD_EX(cons, CMDQ_CONS_ERR);
 *     cons = FIELD_DP(cons, CMDQ_CONS_ERR, CERROR_ILL);
 *
 * Style follows QEMU include/hw/registerfields.h (FIELD_EX/FIELD_DP) and
 * Linux FIELD_GET/FIELD_PREP: no hand-written shifts or masks in block code,
 * and no bitfield structs for wire formats (STYLE.md).
 *
 * Private to model/src (and reachable from tests via the internal target).
 */
#ifndef CMDQV_SIM_BITS_H
#define CMDQV_SIM_BITS_H

#include <assert.h>
#include <stdint.h>

/** BIT64(n) - a uint64_t with only bit n set (0 <= n < 64). */
#define BIT64(n) (UINT64_C(1) << (n))

/**
 * fld_mask() - mask of @len ones starting at bit @shift.
 * @shift: least significant bit of the field, 0..63.
 * @len:   field width in bits, 1..64, with shift + len <= 64.
 */
static inline uint64_t fld_mask(unsigned shift, unsigned len)
{
	assert(len >= 1 && len <= 64 && shift + len <= 64);
	return (len == 64 ? ~UINT64_C(0) : (BIT64(len) - 1)) << shift;
}

/**
 * fld_ex() - extract the field (@shift, @len) of @v, right-aligned.
 */
static inline uint64_t fld_ex(uint64_t v, unsigned shift, unsigned len)
{
	return (v & fld_mask(shift, len)) >> shift;
}

/**
 * fld_dp() - return @v with field (@shift, @len) replaced by @x.
 * @x is truncated to the field width (bits above @len are dropped).
 */
static inline uint64_t fld_dp(uint64_t v, unsigned shift, unsigned len,
			      uint64_t x)
{
	uint64_t m = fld_mask(shift, len);

	return (v & ~m) | ((x << shift) & m);
}

/*
 * Two-level expansion so that a field macro F ("shift, len") is expanded
 * into two arguments before reaching fld_ex/fld_dp.
 */
#define FLD_CALL_(fn, ...) fn(__VA_ARGS__)

/** FIELD_EX(v, F) - extract field F (a "shift, len" macro) from v. */
#define FIELD_EX(v, F) FLD_CALL_(fld_ex, (v), F)

/** FIELD_DP(v, F, x) - deposit x (truncated) into field F of v. */
#define FIELD_DP(v, F, x) FLD_CALL_(fld_dp, (v), F, (x))

/** FIELD_MASK(F) - in-place mask of field F. */
#define FIELD_MASK(F) FLD_CALL_(fld_mask, F)

#endif /* CMDQV_SIM_BITS_H */

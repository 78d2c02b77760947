/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * field.h - the one field extract/deposit idiom of the project, for register
 * fields (regmap.h) and command-word fields (cmd.h) alike.
 *
 * A field is a macro expanding to "lsb, width", e.g.
 *
 *     #define SMMU_CMDQ_CONS_ERR 24, 7
 *     err = CMDQV_FIELD_EX(cons, SMMU_CMDQ_CONS_ERR);
 *     cons = CMDQV_FIELD_DP(cons, SMMU_CMDQ_CONS_ERR, SMMU_CERROR_ILL);
 *
 * in the manner of QEMU include/hw/registerfields.h (FIELD_EX / FIELD_DP)
 * and Linux FIELD_GET / FIELD_PREP.  No bitfield structs for wire formats.
 */
#ifndef CMDQV_SIM_FIELD_H
#define CMDQV_SIM_FIELD_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** CMDQV_BIT(n) - a uint64_t with only bit @n set (0 <= n < 64). */
#define CMDQV_BIT(n) (UINT64_C(1) << (n))

/* Two-level expansion: a field macro F ("lsb, width") becomes two
 * arguments before it reaches the helper. */
#define CMDQV_FLD_CALL_(fn, ...) fn(__VA_ARGS__)
#define CMDQV_FLD_MASK_(lsb, width) ((~UINT64_C(0) >> (64 - (width))) << (lsb))
#define CMDQV_FLD_PREP_(lsb, width, x) \
	(((uint64_t)(x) << (lsb)) & CMDQV_FLD_MASK_(lsb, width))

#define CMDQV_FLD_LSB_(lsb, width) (lsb)

/** CMDQV_FIELD_LSB(F) - bit number of the least significant bit of F. */
#define CMDQV_FIELD_LSB(F) CMDQV_FLD_CALL_(CMDQV_FLD_LSB_, F)

/** CMDQV_FIELD_MASK(F) - in-place mask of field F (constant expression). */
#define CMDQV_FIELD_MASK(F) CMDQV_FLD_CALL_(CMDQV_FLD_MASK_, F)

/** CMDQV_FIELD_PREP(F, x) - @x placed in field F of zero, truncated to the
 * field width (constant expression when @x is). */
#define CMDQV_FIELD_PREP(F, x) CMDQV_FLD_CALL_(CMDQV_FLD_PREP_, F, (x))

/** cmdqv_fld_ex() - field (@lsb, @width) of @v, right-aligned. */
static inline uint64_t cmdqv_fld_ex(uint64_t v, unsigned lsb, unsigned width)
{
	return (v & CMDQV_FLD_MASK_(lsb, width)) >> lsb;
}

/** cmdqv_fld_dp() - @v with field (@lsb, @width) replaced by @x, truncated
 * to the field width. */
static inline uint64_t cmdqv_fld_dp(uint64_t v, unsigned lsb, unsigned width,
				    uint64_t x)
{
	uint64_t m = CMDQV_FLD_MASK_(lsb, width);

	return (v & ~m) | ((x << lsb) & m);
}

/** CMDQV_FIELD_EX(v, F) - extract field F of @v. */
#define CMDQV_FIELD_EX(v, F) CMDQV_FLD_CALL_(cmdqv_fld_ex, (v), F)

/** CMDQV_FIELD_DP(v, F, x) - @v with field F replaced by @x (truncated). */
#define CMDQV_FIELD_DP(v, F, x) CMDQV_FLD_CALL_(cmdqv_fld_dp, (v), F, (x))

#ifdef __cplusplus
}
#endif
#endif /* CMDQV_SIM_FIELD_H */

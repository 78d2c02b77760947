/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * regs.c - the one generic register dispatcher (internal.h, reg_access).
 *
 * Every block describes its registers as rows of struct reg_desc (offset,
 * width, reset, writable mask, write-1-to-clear mask, read and write hooks)
 * and hands its table to reg_access().  This file is the only place where
 * access sizes, the halves of 64-bit registers, RO/RES0 bits and W1C bits
 * are handled: register behaviour is a table row and the 32/64-bit halves
 * are handled once; block code holds only side effects.
 *
 * Rules applied here:
 *  - accesses must be 4 or 8 bytes and naturally aligned (CMDQV_ESIZE
 *    otherwise, a host-program mistake);
 *  - an offset that holds no register is RAZ/WI;
 *  - a 4-byte access to one half of an 8-byte register reads that half, or
 *    merges the written half into the current value before the write hook
 *    sees the whole register (IHI 0070 6.3; arm-smmu-v3.h: Linux writes
 * CMDQ_BASE as one 64-bit store, but a 32-bit host may split it);
 *  - an 8-byte access over two 4-byte registers is two 4-byte accesses,
 *    low half first (the order Arm's AMBA bridges split a 64-bit access);
 *  - write value = (old & ~wmask) | (new & wmask), except W1C bits, which
 *    clear where a 1 is written and stay otherwise.
 */
#include <stddef.h>
#include <stdint.h>

#include "cmdqv_sim/status.h"
#include "internal.h"

#define REG_HALF_MASK UINT64_C(0xffffffff)

/* Register containing byte @off, or NULL.  @tab is sorted by offset. */
static const struct reg_desc *reg_find(const struct reg_desc *tab, size_t n,
				       uint32_t off)
{
	size_t lo = 0, hi = n;
	/* first guess: a table of consecutive 4-byte registers (a VCMDQ's
	 * page 0, the VINTF's) has the register at its index */
	size_t g = n && off >= tab[0].offset ? (off - tab[0].offset) / 4 : n;

	if (g < n && off >= tab[g].offset && off < tab[g].offset + tab[g].size)
		return &tab[g];

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct reg_desc *r = &tab[mid];

		if (off < r->offset)
			hi = mid;
		else if (off >= r->offset + r->size)
			lo = mid + 1;
		else
			return r;
	}
	return NULL;
}

static uint64_t reg_read_whole(void *obj, unsigned idx,
			       const struct reg_desc *r)
{
	uint64_t v = r->read ? r->read(obj, idx, r) : 0;

	return r->size == 4 ? (v & REG_HALF_MASK) : v;
}

/*
 * Write @val to the bits @touched of register @r (the whole register, or one
 * 32-bit half of an 8-byte one), applying the writable and W1C masks.
 */
static void reg_write_bits(void *obj, unsigned idx, const struct reg_desc *r,
			   uint64_t val, uint64_t touched)
{
	uint64_t old, merged, w1c_hit;

	if (!r->write)
		return; /* read-only register: writes ignored */
	old = reg_read_whole(obj, idx, r);
	val &= touched;
	w1c_hit = r->w1c & val; /* 1s written to W1C bits */
	merged = old & ~(r->wmask & touched);
	merged |= val & r->wmask & ~r->w1c;
	merged |= old & r->w1c & touched; /* W1C bits keep their value... */
	merged &= ~w1c_hit; /* ...unless a 1 was written */
	r->write(obj, idx, r, merged);
}

/* One access that lies within register @r (the one holding @off) or a
 * register-less hole (@r NULL). */
static void reg_access_one(const struct reg_desc *r, void *obj, unsigned idx,
			   uint32_t off, unsigned size, bool is_write,
			   uint64_t *val)
{
	unsigned shift;

	if (!r) {
		if (!is_write)
			*val = 0; /* RAZ/WI */
		return;
	}
	shift = (off - r->offset) * 8;
	if (size == r->size) {
		if (is_write)
			reg_write_bits(obj, idx, r, *val,
				       r->size == 8 ? ~UINT64_C(0) :
						      REG_HALF_MASK);
		else
			*val = reg_read_whole(obj, idx, r);
		return;
	}
	/* 4-byte access to one half of an 8-byte register. */
	if (is_write)
		reg_write_bits(obj, idx, r, (*val & REG_HALF_MASK) << shift,
			       REG_HALF_MASK << shift);
	else
		*val = (reg_read_whole(obj, idx, r) >> shift) & REG_HALF_MASK;
}

int reg_access(const struct reg_desc *tab, size_t n, void *obj, unsigned idx,
	       uint32_t off, unsigned size, bool is_write, uint64_t *val)
{
	const struct reg_desc *r;

	if ((size != 4 && size != 8) || (off & (size - 1)))
		return CMDQV_ESIZE;
	r = reg_find(tab, n, off);
	if (size == 8 && (!r || r->size == 4)) {
		/* Two 4-byte registers (or holes): low half first. */
		uint64_t lo = is_write ? *val & REG_HALF_MASK : 0;
		uint64_t hi = is_write ? *val >> 32 : 0;

		reg_access_one(r, obj, idx, off, 4, is_write, &lo);
		reg_access_one(reg_find(tab, n, off + 4), obj, idx, off + 4, 4,
			       is_write, &hi);
		if (!is_write)
			*val = (lo & REG_HALF_MASK) | (hi << 32);
		return CMDQV_OK;
	}
	reg_access_one(r, obj, idx, off, size, is_write, val);
	return CMDQV_OK;
}

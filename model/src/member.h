/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * member.h - the one idiom for table-driven code that reads and writes a
 * plain struct's bool/integer members by offset: the command decoder's
 * field table (cmd.c) and the parameter table engine (config.c).
 *
 * Members are copied with memcpy, so a table may point into any struct
 * without aliasing or alignment concerns.  Private to model/src.
 */
#ifndef CMDQV_SIM_MEMBER_H
#define CMDQV_SIM_MEMBER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/** enum member_kind - the C type of a struct member a table row names. */
enum member_kind { MEMBER_BOOL, MEMBER_U8, MEMBER_U16, MEMBER_U32, MEMBER_U64 };

/**
 * member_get() - the member of kind @k at @offset in @base, widened to 64 bits.
 */
static inline uint64_t member_get(const void *base, size_t offset,
				  enum member_kind k)
{
	const unsigned char *p = (const unsigned char *)base + offset;

	switch (k) {
	case MEMBER_BOOL: {
		bool b;
		memcpy(&b, p, sizeof(b));
		return b;
	}
	case MEMBER_U8: {
		uint8_t x;
		memcpy(&x, p, sizeof(x));
		return x;
	}
	case MEMBER_U16: {
		uint16_t x;
		memcpy(&x, p, sizeof(x));
		return x;
	}
	case MEMBER_U32: {
		uint32_t x;
		memcpy(&x, p, sizeof(x));
		return x;
	}
	case MEMBER_U64: {
		uint64_t x;
		memcpy(&x, p, sizeof(x));
		return x;
	}
	}
	return 0;
}

/**
 * member_put() - store @v into the member of kind @k at @offset in @base:
 * truncated to the member's width, BOOL as v != 0.
 */
static inline void member_put(void *base, size_t offset, enum member_kind k,
			      uint64_t v)
{
	unsigned char *p = (unsigned char *)base + offset;

	switch (k) {
	case MEMBER_BOOL: {
		bool b = v != 0;
		memcpy(p, &b, sizeof(b));
		break;
	}
	case MEMBER_U8: {
		uint8_t x = (uint8_t)v;
		memcpy(p, &x, sizeof(x));
		break;
	}
	case MEMBER_U16: {
		uint16_t x = (uint16_t)v;
		memcpy(p, &x, sizeof(x));
		break;
	}
	case MEMBER_U32: {
		uint32_t x = (uint32_t)v;
		memcpy(p, &x, sizeof(x));
		break;
	}
	case MEMBER_U64:
		memcpy(p, &v, sizeof(v));
		break;
	}
}

#endif /* CMDQV_SIM_MEMBER_H */

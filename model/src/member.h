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

/* Copy one member of type T out of / into the bytes at p. */
#define MEMBER_LOAD(T)                            \
	do {                                      \
		T member_x_;                      \
		memcpy(&member_x_, p, sizeof(T)); \
		return member_x_;                 \
	} while (0)
#define MEMBER_STORE(T, val)                      \
	do {                                      \
		T member_x_ = (val);              \
		memcpy(p, &member_x_, sizeof(T)); \
	} while (0)

/**
 * member_get() - the member of kind @k at @offset in @base, widened to 64 bits.
 */
static inline uint64_t member_get(const void *base, size_t offset,
				  enum member_kind k)
{
	const unsigned char *p = (const unsigned char *)base + offset;

	switch (k) {
	case MEMBER_BOOL:
		MEMBER_LOAD(bool);
	case MEMBER_U8:
		MEMBER_LOAD(uint8_t);
	case MEMBER_U16:
		MEMBER_LOAD(uint16_t);
	case MEMBER_U32:
		MEMBER_LOAD(uint32_t);
	case MEMBER_U64:
		MEMBER_LOAD(uint64_t);
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
	case MEMBER_BOOL:
		MEMBER_STORE(bool, v != 0);
		break;
	case MEMBER_U8:
		MEMBER_STORE(uint8_t, (uint8_t)v);
		break;
	case MEMBER_U16:
		MEMBER_STORE(uint16_t, (uint16_t)v);
		break;
	case MEMBER_U32:
		MEMBER_STORE(uint32_t, (uint32_t)v);
		break;
	case MEMBER_U64:
		MEMBER_STORE(uint64_t, v);
		break;
	}
}

#endif /* CMDQV_SIM_MEMBER_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_util.h - small helpers shared by the testbench shim files.
 *
 * The core keeps its own private copy of tb_errf() (config.c): model/ must
 * not depend on the shim.
 */
#ifndef TB_UTIL_H
#define TB_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * tb_errf - printf a one-line reason into a caller's error buffer.
 * @err:    destination, may be NULL (then nothing is written)
 * @errlen: size of @err in bytes, may be 0 (then nothing is written)
 * @fmt:    printf format; the result is truncated to fit and NUL-terminated
 */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
void tb_errf(char *err, size_t errlen, const char *fmt, ...);

/**
 * tb_errf_at - like tb_errf(), prefixed "FILE:LINE: error: " - the one form
 * in which a host-program mistake in an input file is reported.
 * @file: the input's name as the user gave it
 * @line: 1-based line number
 */
#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
void tb_errf_at(char *err, size_t errlen, const char *file, unsigned long line, const char *fmt,
                ...);
/**
 * tb_msg_escape - copy @src into @dst (@dstlen bytes, NUL-terminated,
 * truncated to fit) with every byte outside printable ASCII written as
 * \xNN, so a message that quotes input stays one line of plain text.
 * tb_errf_at() applies it to its reason.
 */
void tb_msg_escape(char *dst, size_t dstlen, const char *src);
/** tb_verrf_at - tb_errf_at() for variadic wrappers (a parser's own fail helper). */
void tb_verrf_at(char *err, size_t errlen, const char *file, unsigned long line,
		 const char *fmt, va_list ap);

/**
 * struct tb_range - a value that must lie in @lo..@hi, named @name; @unit
 * ("" or " percent", with its space) follows the bounds in the message.
 */
struct tb_range {
	const char *name;
	const char *unit;
	uint64_t v, lo, hi;
};

/**
 * tb_check_ranges - 0 if every one of the @n ranges @r holds, else @rc
 * after "NAME: expected LO..HIUNIT, got V" for the first that does not.
 */
int tb_check_ranges(const struct tb_range *r, size_t n, int rc, char *err,
		    size_t errlen);

/**
 * tb_cmd_store_le - one 16-byte queue entry as it sits in memory: command
 * words @dw[0], @dw[1] little-endian at @b[0..7], @b[8..15]
 * (IHI 0070 4.1; arm-smmu-v3.h).  tb_cmd_load_le() is the inverse.
 */
void tb_cmd_store_le(const uint64_t dw[2], uint8_t b[16]);
void tb_cmd_load_le(const uint8_t b[16], uint64_t dw[2]);

#ifdef __cplusplus
}
#endif
#endif /* TB_UTIL_H */

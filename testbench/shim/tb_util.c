/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_util.c - small helpers shared by the testbench shim files (tb_util.h).
 */
#include <stdarg.h>
#include <stdio.h>

#include "tb_util.h"

void tb_errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

void tb_verrf_at(char *err, size_t errlen, const char *file, unsigned long line,
		 const char *fmt, va_list ap)
{
	int n;

	if (!err || !errlen)
		return;
	n = snprintf(err, errlen, "%s:%lu: error: ", file, line);
	if (n < 0 || (size_t)n >= errlen)
		return;
	vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
}

void tb_errf_at(char *err, size_t errlen, const char *file, unsigned long line,
		const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tb_verrf_at(err, errlen, file, line, fmt, ap);
	va_end(ap);
}

void tb_cmd_store_le(const uint64_t dw[2], uint8_t b[16])
{
	for (unsigned i = 0; i < 16; i++)
		b[i] = (uint8_t)(dw[i / 8] >> (8 * (i % 8)));
}

void tb_cmd_load_le(const uint8_t b[16], uint64_t dw[2])
{
	dw[0] = dw[1] = 0;
	for (unsigned i = 0; i < 16; i++)
		dw[i / 8] |= (uint64_t)b[i] << (8 * (i % 8));
}

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

void tb_msg_escape(char *dst, size_t dstlen, const char *src)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	if (!dst || !dstlen)
		return;
	for (const unsigned char *c = (const unsigned char *)src; *c; c++) {
		if (*c >= 0x20 && *c < 0x7F) {
			if (o + 1 >= dstlen)
				break;
			dst[o++] = (char)*c;
			continue;
		}
		if (o + 4 >= dstlen)
			break;
		dst[o++] = '\\';
		dst[o++] = 'x';
		dst[o++] = hex[*c >> 4];
		dst[o++] = hex[*c & 15];
	}
	dst[o] = '\0';
}

void tb_verrf_at(char *err, size_t errlen, const char *file, unsigned long line,
		 const char *fmt, va_list ap)
{
	char why[1024];
	int n;

	if (!err || !errlen)
		return;
	n = snprintf(err, errlen, "%s:%lu: error: ", file, line);
	if (n < 0 || (size_t)n >= errlen)
		return;
	/* the reason may quote input: never pass its bytes through raw */
	vsnprintf(why, sizeof(why), fmt, ap);
	tb_msg_escape(err + n, errlen - (size_t)n, why);
}

void tb_errf_at(char *err, size_t errlen, const char *file, unsigned long line,
		const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tb_verrf_at(err, errlen, file, line, fmt, ap);
	va_end(ap);
}

int tb_check_ranges(const struct tb_range *r, size_t n, int rc, char *err,
		    size_t errlen)
{
	for (size_t i = 0; i < n; i++)
		if (r[i].v < r[i].lo || r[i].v > r[i].hi) {
			tb_errf(err, errlen,
				"%s: expected %llu..%llu%s, got %llu",
				r[i].name, (unsigned long long)r[i].lo,
				(unsigned long long)r[i].hi, r[i].unit,
				(unsigned long long)r[i].v);
			return rc;
		}
	return 0;
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

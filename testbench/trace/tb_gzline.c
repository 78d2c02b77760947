/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_gzline.c - one text line from a plain or gzip file (tb_gzline.h).
 * gzgets reads plain files transparently; a gzip stream that ends early is
 * reported (gzerror) instead of being taken for the end of the file.
 */
#include "tb_gzline.h"

#include <string.h>

/* The stream is bad (not just at its end): zlib's message in @why. */
static bool tb_gzline_bad(gzFile gz, struct tb_gzline_why *why)
{
	int zerr;

	why->zmsg = gzerror(gz, &zerr);
	why->truncated = zerr == Z_BUF_ERROR;
	return zerr != Z_OK && zerr != Z_STREAM_END;
}

enum tb_gzline_status tb_gzline(gzFile gz, char *buf, size_t size,
				struct tb_gzline_why *why)
{
	size_t n;

	memset(why, 0, sizeof(*why));
	if (!gzgets(gz, buf, (int)size))
		return tb_gzline_bad(gz, why) ? TB_GZL_EIO : TB_GZL_EOF;
	n = strlen(buf);
	if (n && buf[n - 1] == '\n') {
		buf[--n] = '\0';
	} else if (!gzeof(gz)) {
		return TB_GZL_LONG;
	} else {
		why->unterminated = true;
		if (tb_gzline_bad(gz, why))
			return TB_GZL_EIO_LAST;
	}
	if (n && buf[n - 1] == '\r')
		buf[--n] = '\0';
	return TB_GZL_LINE;
}

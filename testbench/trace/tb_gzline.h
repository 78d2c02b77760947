/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_gzline.h - one text line from a plain or gzip file (zlib's gzgets),
 * shared by the native trace reader and the QEMU log importer.  Private to
 * testbench/trace.
 */
#ifndef CMDQV_TB_GZLINE_H
#define CMDQV_TB_GZLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <zlib.h>

enum tb_gzline_status {
	TB_GZL_LINE = 1, /* a line, without its "\n" / "\r\n" */
	TB_GZL_EOF = 0, /* the end, nothing read */
	TB_GZL_EIO = -1, /* read error before a line */
	TB_GZL_LONG = -2, /* a line longer than the buffer */
	TB_GZL_EIO_LAST = -3, /* an unterminated last line, then a bad stream */
};

/**
 * struct tb_gzline_why - detail of a result.
 * @unterminated: TB_GZL_LINE: the line ended at the end of the file
 * @zmsg:         TB_GZL_EIO*: zlib's message
 * @truncated:    TB_GZL_EIO*: zlib saw the gzip stream end early
 */
struct tb_gzline_why {
	bool unterminated;
	const char *zmsg;
	bool truncated;
};

/** Read one line of @gz into @buf (@size bytes). */
enum tb_gzline_status tb_gzline(gzFile gz, char *buf, size_t size,
				struct tb_gzline_why *why);

#endif /* CMDQV_TB_GZLINE_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_util.h - what the fuzz targets share: stopping with a reason (an
 * abort, so libFuzzer keeps the input), the check that a refused input got
 * exactly one "FILE:LINE: error: reason" line, and a scratch directory for
 * the readers that take a path.
 */
#ifndef CMDQV_FUZZ_UTIL_H
#define CMDQV_FUZZ_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Print "@who: @why" to stderr and abort(). */
void fuzz_die(const char *who, const char *why);

/**
 * An input @file was refused with message @err: abort unless @err is one
 * line of printable ASCII (tabs allowed: a statement quoted as written) that starts "@file:LINE: error: " with LINE a
 * positive decimal number and a reason after it.  With @line_optional, a
 * message about the whole file ("@file: error: reason", a read error or a
 * truncated compressed stream) is also accepted.
 */
void fuzz_expect_file_line(const char *who, const char *file, const char *err,
			   bool line_optional);

/**
 * Write @len bytes of @data to the scratch file @name (in a private
 * directory made at the first call, removed at exit) and return its path
 * (static storage, valid until the next call with the same @name).  With
 * @gzip the bytes are gzip-compressed first.  Aborts on a host error.
 */
const char *fuzz_scratch(const char *name, const uint8_t *data, size_t len,
			 bool gzip);
/** Path of scratch file @name, without writing it (for outputs). */
const char *fuzz_scratch_path(const char *name);

/**
 * Keep freed memory in the process (glibc: no heap trimming, no mmap for
 * blocks below 8 MiB): a reader that allocates and frees ~200 KiB of
 * buffers per input otherwise pays page faults for them every time.  Only
 * the allocator's policy changes.  Idempotent.
 */
void fuzz_heap_keep(void);

#ifdef __cplusplus
}
#endif
#endif /* CMDQV_FUZZ_UTIL_H */

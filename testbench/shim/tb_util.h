/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_util.h - small helpers shared by the testbench shim files.
 *
 * The core keeps its own private copy of tb_errf() (config.c): model/ must
 * not depend on the shim.
 */
#ifndef TB_UTIL_H
#define TB_UTIL_H

#include <stddef.h>

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

#ifdef __cplusplus
}
#endif
#endif /* TB_UTIL_H */

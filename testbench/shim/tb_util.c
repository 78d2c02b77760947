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

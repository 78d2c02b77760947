/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lx_compare.h - `cmdqv-linux --compare-host` (lx_compare.c).
 */
#ifndef LX_COMPARE_H
#define LX_COMPARE_H

#include <stdio.h>

/** Run the comparison; @argv[0] is "--compare-host".  Exit status. */
int lx_compare_host(int argc, char **argv);

/** The usage lines of --compare-host, the first one after @lead. */
void lx_compare_usage(FILE *f, const char *lead);

#endif

/* SPDX-License-Identifier: BSD-3-Clause */
/* Placeholder until the verb's issue lands; replaced by its owner. */
#include <stdio.h>

#include "cli.h"

int cli_compare(int argc, char **argv)
{
        (void)argc;
        (void)argv;
        fprintf(stderr, "cmdqv-sim: this verb is not built yet\n");
        return 2;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/* wl_run.c - placeholder until the actors land (interface first). */
#include <stdio.h>
#include <string.h>

#include "cmdqv_sim/status.h"
#include "paths.h"

int wl_run(const struct cmdqv_config *hw, const struct path_params *sw, const struct wl_point *pt,
           const struct wl_observer *obs, struct wl_result *out, char *err, size_t errlen)
{
        (void)hw;
        (void)sw;
        (void)pt;
        (void)obs;
        memset(out, 0, sizeof(*out));
        if (err && errlen)
                snprintf(err, errlen, "wl_run: not implemented yet");
        return CMDQV_ESTATE;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * compare_study.h - the contention study of `cmdqv-sim compare`
 * (summary.json "contention_study", docs/timing-model.md section 5): which
 * parameter moves which calibration cell by how much (sensitivity), and the
 * predicted trap / eventfd / direct latency from 1 to 64 vCPUs of one VM and
 * from 1 to 16 VMs, with a band from the contention parameters whose values
 * are assumed.  Every number comes from wl_run(); nothing is fitted.
 */
#ifndef CMDQV_CLI_COMPARE_STUDY_H
#define CMDQV_CLI_COMPARE_STUDY_H

#include <stddef.h>

#include <jansson.h>

#include "cmdqv_sim/config.h"
#include "paths.h"

/**
 * Run the study on @hw and @sw with the switches of @base (ATS, RIL,
 * strict, seed; the study sets path, threads, VMs, granule and its own
 * iteration counts).  Returns a new "contention_study" object, or NULL with
 * a one-line reason in @err (a run that failed, or out of memory).
 * Deterministic: the same inputs give the same object.
 */
json_t *cmp_study_run(const struct cmdqv_config *hw,
		      const struct path_params *sw, const struct wl_point *base,
		      char *err, size_t errlen);

#endif /* CMDQV_CLI_COMPARE_STUDY_H */

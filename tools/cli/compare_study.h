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
 * struct cmp_study_hooks - how the study reports its progress.
 * @step: called before each of its cmp_study_runs() runs with a short
 *        label ("study: trap, 2 vCPUs, 1 VM, 16 pages"), @ctx first
 * @ctx:  for @step
 * @obs:  given to every run (wl_run(): progress within the run; it must
 *        not change what is simulated), or NULL
 */
struct cmp_study_hooks {
	void (*step)(void *ctx, const char *label);
	void *ctx;
	const struct wl_observer *obs;
};

/** The number of workload runs the study makes (each a progress step). */
size_t cmp_study_runs(void);

/**
 * Run the study on @hw and @sw with the switches of @base (ATS, RIL,
 * strict, seed; the study sets path, threads, VMs, granule and its own
 * iteration counts), reporting to @hooks (may be NULL).  Returns a new
 * "contention_study" object, or NULL with a one-line reason in @err (a run
 * that failed, or out of memory).  Deterministic: the same inputs give the
 * same object, with or without @hooks.
 */
json_t *cmp_study_run(const struct cmdqv_config *hw,
		      const struct path_params *sw, const struct wl_point *base,
		      const struct cmp_study_hooks *hooks, char *err,
		      size_t errlen);

#endif /* CMDQV_CLI_COMPARE_STUDY_H */

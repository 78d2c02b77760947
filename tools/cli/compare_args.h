/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * compare_args.h - the `compare` verb's command line and parameters:
 * options (getopt_long, cli_opts.h), parameter files and --set, and the
 * workload and parameters as they appear in summary.json.
 */
#ifndef CMDQV_CLI_COMPARE_ARGS_H
#define CMDQV_CLI_COMPARE_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "cmdqv_sim/config.h"
#include "compare_summary.h"
#include "paths.h"

#define CMP_MAX_LIST 64
#define CMP_MAX_SETS 256
#define CMP_MAX_THREADS 64 /* the workload's limit (wl_run.c wl_check) */
/* dma_map_benchmark -g range
 * (tools/testing/selftests/dma/dma_map_benchmark.c) */
#define CMP_MAX_GRANULE 1024
#define CMP_MAX_VMS 63 /* 64 VINTFs, VINTF0 the host's (wl_run.c wl_check) */
#define CMP_MAX_ITERS 10000000 /* the workload's limit (wl_run.c wl_check) */
/* --background: submissions per second (wl_run.c wl_check) */
#define CMP_MAX_BACKGROUND 100000000
#define CMP_MAX_SAMPLES \
	50000000ull /* VMs x threads x iterations (wl_run.c wl_check) */
#define CMP_DEFAULT_ITERS 500

/** Message prefix of the verb. */
extern const char cmp_prog[];

/** What each path is, for the report; @cmp_npath_info entries. */
extern const struct cmp_named cmp_path_info[];
extern const size_t cmp_npath_info;

/**
 * struct cmp_opts - the command line.
 * @out:        output directory
 * @paths:      paths to run, in order
 * @threads, @granules: the grid
 * @point:      template for every point (switches, VMs, iterations, seed)
 * @configs:    --config files, applied in order, before @sets
 * @sets:       --set KEY=VALUE, applied in order
 * @timeline:   --timeline FILE or NULL
 * @record:     --record FILE or NULL: native trace of every point
 * @quiet:      no progress, no final message
 * @study:      --study: also run the contention study (compare_study.h)
 * @driver_linux: --driver linux: the host path on Linux's own driver beside
 *              the built-in engine, by cmdqv-linux (cli_compare.c)
 * @paths_set:  --paths was given (--driver linux defaults to host)
 */
struct cmp_opts {
	const char *out;
	enum wl_path paths[WL_PATH_COUNT];
	size_t npaths;
	uint32_t threads[CMP_MAX_LIST];
	size_t nthreads;
	uint32_t granules[CMP_MAX_LIST];
	size_t ngranules;
	struct wl_point point;
	const char *configs[CMP_MAX_SETS];
	size_t nconfigs;
	const char *sets[CMP_MAX_SETS];
	size_t nsets;
	const char *timeline;
	const char *record;
	bool quiet;
	bool study;
	bool driver_linux;
	bool paths_set;
};

/** struct cmp_params - every effective parameter: hardware and software. */
struct cmp_params {
	struct cmdqv_config hw;
	struct path_params sw;
};

/**
 * Parse the command line into @o (defaults first). Returns 0, 1 after
 * --help (printed), or 2 after one "error:" line on stderr.
 */
int cmp_parse_args(int argc, char **argv, struct cmp_opts *o);

/**
 * Effective parameters: defaults, then every --config file, then every
 * --set. Returns 0 or 2 after one "FILE:LINE: error:" / "error:" line.
 */
int cmp_load_params(const struct cmp_opts *o, struct cmp_params *p);

/** summary.json "parameters": every effective parameter (new reference). */
json_t *cmp_parameters_json(const struct cmp_params *p);

/** summary.json "workload": what was run (new reference). */
json_t *cmp_workload_json(const struct cmp_opts *o);

#endif /* CMDQV_CLI_COMPARE_ARGS_H */

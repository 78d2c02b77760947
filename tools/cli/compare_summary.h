/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * compare_summary.h - the summary document of a comparison (schema
 * "cmdqv-sim.compare/1", docs/output-formats.md): statistics per workload
 * point, direct-vs-trap reductions and the calibration against the measured
 * table. It is built once as a jansson tree, written as summary.json and
 * read back by the report.
 */
#ifndef CMDQV_CLI_COMPARE_SUMMARY_H
#define CMDQV_CLI_COMPARE_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define CMP_SCHEMA "cmdqv-sim.compare/1"
#define CMP_MAX_STAGES 16

/** struct cmp_stats - statistics of one set of latencies (ns). */
struct cmp_stats {
	size_t count;
	double mean;
	double p50;
	double p90;
	double p99;
	double min;
	double max;
	double stddev; /* population standard deviation */
};

/** Sort @lat (@n values, ns) ascending in place and fill @out. @n may be 0. */
void cmp_stats_compute(double *lat, size_t n, struct cmp_stats *out);

/**
 * struct cmp_point_out - the result of one workload point.
 * @path:          path name ("trap", "eventfd", "direct", "host")
 * @threads:       guest threads (vCPUs) per VM
 * @granule_pages: pages per map/unmap
 * @vms:           VMs that ran the benchmark (1 on the host path)
 * @unmap:         unmap latency statistics, all threads and VMs
 * @stage_mean:    mean ns per unmap spent in each stage (summary stage order)
 * @throughput:    unmaps per simulated second, all threads and VMs
 * @simulated_ns:  simulated time the workload ran for (from @start_ns)
 * @start_ns:      model time the workload started (after the bring-up);
 *                 samples.csv and timeline times are model times
 * @commands:      commands written by guest drivers, all unmaps
 * @host_commands: commands written to hardware queues by host software
 * @exits:         VM exits taken, all unmaps
 * @count:         contention counters of the run (struct wl_result): issues,
 *                 PROD writes, gathered issues, owner waits, failed
 *                 cmpxchgs, full-queue waits, BQL futex sleeps and wakes
 */
struct cmp_point_out {
	const char *path;
	unsigned threads;
	unsigned granule_pages;
	unsigned vms;
	struct cmp_stats unmap;
	double stage_mean[CMP_MAX_STAGES];
	double throughput;
	double simulated_ns;
	double start_ns;
	uint64_t commands;
	uint64_t host_commands;
	uint64_t exits;
	struct {
		uint64_t issues, prod_writes, gathered, owner_waits;
		uint64_t cas_retries, full_waits, bql_sleeps, bql_wakes;
		uint64_t handover_moves, devlock_moves, devlock_spins;
		uint64_t ats_queued;
	} count;
};

/** struct cmp_named - a name and a one-sentence description (paths, stages). */
struct cmp_named {
	const char *name;
	const char *description;
};

/**
 * struct cmp_contention_row - one thread count of the contention claim check
 * (compare_calib.h): host path, unmap latency on the SMMU CMDQ and on
 * VINTF0's LVCMDQs with the run's switches; when the run has ATS, the same
 * without ATS (@noats_run) since the claim does not say which device.
 */
struct cmp_contention_row {
	unsigned threads;
	struct cmp_stats smmu;
	struct cmp_stats vintf0;
	bool noats_run;
	struct cmp_stats smmu_noats;
	struct cmp_stats vintf0_noats;
};

/**
 * struct cmp_summary_in - everything the summary is made of (all borrowed).
 * @workload:   the "workload" object (paths, threads, granules, switches...)
 * @parameters: the "parameters" object ({"hardware": {...}, "paths": {...}})
 * @stages:     the stages, in breakdown order (@nstages <= CMP_MAX_STAGES)
 * @paths_info: a description of every path that can be run
 * @points:     the results, in run order
 * @contention: rows of the contention claim check (@ncontention, 0 = not
 *              run, with @contention_skip saying why), run with
 *              @contention_queues LVCMDQs of VINTF0 at @contention_granule
 */
struct cmp_summary_in {
	json_t *workload;
	json_t *parameters;
	const struct cmp_named *stages;
	size_t nstages;
	const struct cmp_named *paths_info;
	size_t npaths_info;
	const struct cmp_point_out *points;
	size_t npoints;
	const struct cmp_contention_row *contention;
	size_t ncontention;
	unsigned contention_queues;
	unsigned contention_granule;
	const char *contention_skip;
};

/**
 * Build the summary document. Steals nothing: @in->workload and
 * @in->parameters get an extra reference. Returns a new tree, or NULL when
 * out of memory.
 */
json_t *cmp_summary_build(const struct cmp_summary_in *in);

/** Flags for json_dumpf of the summary: indented, 10 significant digits. */
#define CMP_JSON_FLAGS (JSON_INDENT(1) | JSON_REAL_PRECISION(10))

#endif /* CMDQV_CLI_COMPARE_SUMMARY_H */

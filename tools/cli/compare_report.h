/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * compare_report.h - report.html of the `compare` verb, written from the
 * same summary document that becomes summary.json (so the page and the JSON
 * can never disagree) plus the raw latencies for the CDF plots.
 */
#ifndef CMDQV_CLI_COMPARE_REPORT_H
#define CMDQV_CLI_COMPARE_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

/**
 * struct cmp_report_in - what the report is made of.
 * @summary:      the summary document (schema cmdqv-sim.compare/1, see
 *                docs/output-formats.md); borrowed
 * @sorted:       per entry of summary.points, that point's unmap latencies
 *                in ns, ascending (@counts[i] values); borrowed
 * @counts:       number of values in @sorted[i]
 * @plot_dir:     directory for gnuplot data, scripts and SVGs (exists)
 * @plot_dir_rel: the same directory relative to the report (for links)
 */
struct cmp_report_in {
	const json_t *summary;
	const double *const *sorted;
	const size_t *counts;
	const char *plot_dir;
	const char *plot_dir_rel;
};

/**
 * Write the self-contained HTML report to @f (plots inline as SVG). Runs
 * gnuplot for every plot. Returns 0, or -1 with a one-line message
 * ("error: ...") in @err.
 */
int cmp_report_write(FILE *f, const struct cmp_report_in *in, char *err,
		     size_t errlen);

#endif /* CMDQV_CLI_COMPARE_REPORT_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * compare_render.h - report.html of the `compare` verb, rendered by the
 * report template (tools/report/: render.py, a Jinja2 template over
 * summary.json, gnuplot for the plots). The CLI only finds and runs it.
 *
 * Where: $CMDQV_REPORT_DIR if set, else the source tree's tools/report
 * (fixed at build time). The interpreter: $CMDQV_PYTHON if set, else
 * python3. $CMDQV_GNUPLOT, if set, is passed on (the renderer runs it).
 */
#ifndef CMDQV_CLI_COMPARE_RENDER_H
#define CMDQV_CLI_COMPARE_RENDER_H

#include <stddef.h>

/**
 * Check that the report can be rendered (the renderer exists, python3 and
 * its jinja2 module and gnuplot run). Returns 0, or -1 with a one-line
 * message ("error: ...", naming the Debian package to install) in @err.
 */
int cmp_render_check(char *err, size_t errlen);

/**
 * Render the report: @summary (summary.json) and @samples (samples.csv) in,
 * plot data, scripts and SVGs into @plot_dir (exists; linked from the page
 * as @plot_dir_rel), the page to @out. Returns 0, or -1 with the
 * renderer's one-line message in @err.
 */
int cmp_render_report(const char *summary, const char *samples,
		      const char *plot_dir, const char *plot_dir_rel,
		      const char *out, char *err, size_t errlen);

#endif /* CMDQV_CLI_COMPARE_RENDER_H */

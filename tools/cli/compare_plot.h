/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * compare_plot.h - running gnuplot (Debian gnuplot-nox) for the report.
 * The caller writes data files into a plot directory; cmp_plot_render()
 * writes the script beside them, runs gnuplot with its svg terminal there and
 * returns the SVG ready to be placed inline in HTML (XML prolog removed, ids
 * prefixed with the plot's name so several plots can share one page).
 * Nothing here draws: every mark on a plot comes from gnuplot.
 */
#ifndef CMDQV_CLI_COMPARE_PLOT_H
#define CMDQV_CLI_COMPARE_PLOT_H

#include <stddef.h>
#include <stdio.h>

/** Name of the gnuplot program (overridable with $CMDQV_GNUPLOT for tests). */
const char *cmp_gnuplot_program(void);

/**
 * Check that gnuplot can be run. Returns 0, or -1 with a one-line message
 * (saying which Debian package to install) in @err.
 */
int cmp_gnuplot_check(char *err, size_t errlen);

/** Open @dir/@name for writing a data file; NULL on failure (errno set). */
FILE *cmp_plot_data_open(const char *dir, const char *name);

/**
 * Write @script as @dir/@name.gp, preceded by the terminal and output
 * settings (svg, @width x @height), run gnuplot in @dir and load
 * @dir/@name.svg. On success *@svg is a heap string (caller frees) holding
 * an <svg> element for inline use. Returns 0, or -1 with the reason (the
 * first line gnuplot printed, if any) in @err.
 */
int cmp_plot_render(const char *dir, const char *name, unsigned width,
		    unsigned height, const char *script, char **svg, char *err,
		    size_t errlen);

#endif /* CMDQV_CLI_COMPARE_PLOT_H */

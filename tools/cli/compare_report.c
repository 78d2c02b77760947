/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * compare_report.c - report.html of the `compare` verb.
 *
 * Everything on the page is read back from the summary document (the one
 * that is written as summary.json), so the page, the JSON and the CSV can
 * never tell different stories. Plots are gnuplot SVGs placed inline; their
 * data and scripts stay in the plot directory so anyone can redraw them.
 */
#define _POSIX_C_SOURCE 200809L
#include "compare_report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare_plot.h"
#include "compare_util.h"
#include "paths.h"

#define RPT_CDF_POINTS 400 /* points per CDF curve in the plot data */

/* Tableau-10 colours: stages take them in order, paths have their own. */
static const char *const rpt_colours[] = { "#4e79a7", "#f28e2b", "#e15759",
					   "#76b7b2", "#59a14f", "#edc948",
					   "#b07aa1", "#ff9da7", "#9c755f",
					   "#bab0ac" };
#define RPT_NCOLOURS (sizeof(rpt_colours) / sizeof(rpt_colours[0]))

/**
 * struct rpt - state of one report being written.
 * @f:        the HTML output
 * @in:       inputs (summary, raw latencies, plot directory)
 * @points:   summary.points
 * @workload: summary.workload
 * @stages:   summary.stages ([{name, description}])
 * @err:      where the first error message goes
 * @failed:   an error happened; later steps do nothing
 */
struct rpt {
	FILE *f;
	const struct cmp_report_in *in;
	const json_t *points;
	const json_t *workload;
	const json_t *stages;
	char *err;
	size_t errlen;
	int failed;
};

static double rpt_num(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

static const char *rpt_str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

static const char *rpt_path_colour(const char *path)
{
	/* Indexed by enum wl_path; parsing goes through paths.h so the path
         * names live in one place. */
	static const char *const colours[WL_PATH_COUNT] = {
		[WL_PATH_TRAP] = "#e15759",
		[WL_PATH_EVENTFD] = "#f28e2b",
		[WL_PATH_DIRECT] = "#4e79a7",
		[WL_PATH_HOST] = "#59a14f",
	};
	enum wl_path p;

	if (wl_path_parse(path, &p) || !colours[p])
		return "#9c755f";
	return colours[p];
}

/* The point for (path, threads, granule), or NULL; *@index gets its position. */
static const json_t *rpt_find(const struct rpt *r, const char *path,
			      double threads, double granule, size_t *index)
{
	size_t i;
	const json_t *p;

	json_array_foreach(r->points, i, p)
	{
		if (!strcmp(rpt_str(p, "path"), path) &&
		    rpt_num(p, "threads") == threads &&
		    rpt_num(p, "granule_pages") == granule) {
			if (index)
				*index = i;
			return p;
		}
	}
	return NULL;
}

static double rpt_mean(const json_t *p)
{
	return rpt_num(json_object_get(p, "unmap_ns"), "mean");
}

/* "12.3" (µs, from ns) or an en dash when unknown. */
static void rpt_us(FILE *f, double ns)
{
	if (isnan(ns))
		fputs("&ndash;", f);
	else if (ns < 10000.0)
		fprintf(f, "%.2f", ns / 1000.0);
	else
		fprintf(f, "%.1f", ns / 1000.0);
}

static void rpt_pct(FILE *f, double pct)
{
	if (isnan(pct))
		fputs("&ndash;", f);
	else
		fprintf(f, "%+.1f&nbsp;%%", pct);
}

static void rpt_granule(FILE *f, double pages)
{
	fprintf(f, "%.0f&nbsp;(%.0f&nbsp;KiB)", pages, pages * 4.0);
}

/* Render a plot and place it inline, inside a <figure> with @caption. */
static void rpt_plot(struct rpt *r, const char *name, unsigned w, unsigned h,
		     const char *script, const char *caption)
{
	char *svg = NULL;

	if (r->failed)
		return;
	if (cmp_plot_render(r->in->plot_dir, name, w, h, script, &svg, r->err,
			    r->errlen)) {
		r->failed = 1;
		return;
	}
	fprintf(r->f,
		"<figure class=\"plot\" id=\"fig-%s\" style=\"max-width:%upx\">\n%s\n<figcaption>",
		name, w, svg);
	cmp_html_escape(r->f, caption);
	fprintf(r->f,
		" <span class=\"src\">(<a href=\"%s/%s.gp\">gnuplot script</a>)</span>",
		r->in->plot_dir_rel, name);
	fputs("</figcaption></figure>\n", r->f);
	free(svg);
}

/* Open a plot data file; on failure marks the report failed. */
static FILE *rpt_data(struct rpt *r, const char *name)
{
	FILE *d;

	if (r->failed)
		return NULL;
	d = cmp_plot_data_open(r->in->plot_dir, name);
	if (!d) {
		snprintf(r->err, r->errlen, "error: cannot write %s/%s",
			 r->in->plot_dir, name);
		r->failed = 1;
	}
	return d;
}

static int rpt_close(struct rpt *r, FILE *d, const char *name)
{
	if (fclose(d)) {
		snprintf(r->err, r->errlen, "error: cannot write %s/%s",
			 r->in->plot_dir, name);
		r->failed = 1;
		return -1;
	}
	return 0;
}

/* A growing script text (open_memstream). */
struct rpt_script {
	char *text;
	size_t len;
	FILE *f;
};

static FILE *rpt_script_open(struct rpt_script *s)
{
	s->text = NULL;
	s->len = 0;
	s->f = open_memstream(&s->text, &s->len);
	return s->f;
}

static const char *rpt_script_close(struct rpt_script *s)
{
	fclose(s->f);
	return s->text ? s->text : "";
}

static void rpt_head(struct rpt *r)
{
	static const char css[] =
		"body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;"
		"max-width:1180px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}"
		"h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:2em;border-bottom:"
		"2px solid #ddd;padding-bottom:.2em}h3{margin-top:1.4em}"
		"table{border-collapse:collapse;margin:.6em 0 1.2em;font-size:.92em}"
		"th,td{border:1px solid #ccc;padding:.25em .6em}th{background:#f3f3f3}"
		"td.n{text-align:right;font-variant-numeric:tabular-nums}"
		"tr.grp td{border-top:2px solid #888}"
		".lead{font-size:1.05em;color:#444}.note{color:#555;font-size:.92em}"
		".good{color:#1a7f37}.bad{color:#b42318}"
		"figure.plot{margin:1em 0;display:block}"
		"figure.plot svg{display:block;width:100%;height:auto}"
		".grid{display:grid;grid-template-columns:1fr 1fr;gap:.5em}"
		".grid figure.plot{margin:.3em 0}figcaption{font-size:.9em;color:#444}"
		".src{color:#888}nav a{margin-right:1em}code{background:#f5f5f5;padding:0 .2em}"
		"table.defs td:first-child,table.res td{white-space:nowrap}ul.key li{margin:.3em 0}"
		".swatch{display:inline-block;width:.9em;height:.9em;margin-right:.3em;"
		"vertical-align:-.1em;border:1px solid #666}";

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<title>cmdqv-sim: guest invalidation latency by path</title>\n",
	      r->f);
	fprintf(r->f, "<style>%s</style>\n</head>\n<body>\n", css);
}

/*
 * Range of the reductions of @path against trap over the points where both
 * ran, for @threads threads (any if < 0). Returns how many points.
 */
static int rpt_reduction_range_of(const struct rpt *r, const char *path,
				  double threads, double *lo, double *hi)
{
	size_t i;
	const json_t *p;
	int n = 0;

	json_array_foreach(r->points, i, p)
	{
		double red = rpt_num(p, "reduction_vs_trap_pct");

		if (strcmp(rpt_str(p, "path"), path) || isnan(red))
			continue;
		if (threads >= 0 && rpt_num(p, "threads") != threads)
			continue;
		if (!n || red < *lo)
			*lo = red;
		if (!n || red > *hi)
			*hi = red;
		n++;
	}
	return n;
}

static int rpt_reduction_range(const struct rpt *r, double *lo, double *hi)
{
	return rpt_reduction_range_of(r, "direct", -1, lo, hi);
}

/* Key results: reductions against trap per path and thread count, calibration errors. */
static void rpt_key_results(struct rpt *r, const json_t *summary)
{
	const json_t *w = r->workload;
	const json_t *claim = json_object_get(summary, "claim");
	const json_t *pv, *tv, *cv;
	size_t pi, ti, ci;
	double elo = 0, ehi = 0;
	int ne = 0;

	fputs("<ul class=\"key\">\n", r->f);
	json_array_foreach(json_object_get(w, "paths"), pi, pv)
	{
		const char *path = json_string_value(pv);
		int any = 0;

		if (!strcmp(path, "trap"))
			continue;
		json_array_foreach(json_object_get(w, "threads"), ti, tv)
		{
			double lo = 0, hi = 0;
			double t = (double)json_integer_value(tv);

			if (!rpt_reduction_range_of(r, path, t, &lo, &hi))
				continue;
			if (!any) {
				fputs("<li><b>", r->f);
				cmp_html_escape(r->f, path);
				fputs("</b> takes less time per unmap than <b>trap</b>: ",
				      r->f);
			} else {
				fputs(", ", r->f);
			}
			fprintf(r->f,
				"<b>%.0f&nbsp;%% &ndash; %.0f&nbsp;%%</b> with %.0f thread%s",
				lo, hi, t, t == 1 ? "" : "s");
			any = 1;
		}
		if (!any)
			continue;
		if (!strcmp(path, "direct")) {
			double lo = 0, hi = 0;
			double clo = rpt_num(claim, "reduction_pct_low");
			double chi = rpt_num(claim, "reduction_pct_high");
			int in;

			rpt_reduction_range(r, &lo, &hi);
			in = lo >= clo && hi <= chi;
			fprintf(r->f,
				". NVIDIA reports %.0f&nbsp;%% "
				"&ndash; %.0f&nbsp;%% on Grace: <span class=\"%s\">%s</span>",
				clo, chi, in ? "good" : "bad",
				in ? "every simulated point lies inside that range" :
				     "not every simulated point lies inside that range");
		}
		fputs(".</li>\n", r->f);
	}
	json_array_foreach(json_object_get(summary, "calibration"), ci, cv)
	{
		for (int k = 0; k < 2; k++) {
			double e = rpt_num(json_object_get(cv, k ? "direct" :
								   "trap"),
					   "error_pct");

			if (isnan(e))
				continue;
			if (!ne || e < elo)
				elo = e;
			if (!ne || e > ehi)
				ehi = e;
			ne++;
		}
	}
	if (ne)
		fprintf(r->f,
			"<li><b>Calibration:</b> %d measured Grace value%s (NVIDIA's published "
			"unmap latencies) reproduced with errors from <b>%+.1f&nbsp;%%</b> to "
			"<b>%+.1f&nbsp;%%</b> (<a href=\"#calibration\">details</a>).</li>\n",
			ne, ne == 1 ? "" : "s", elo, ehi);
	else
		fputs("<li>No published Grace measurement is part of this run "
		      "(they need 1 thread and granules 1, 16, 64 with trap and direct).</li>\n",
		      r->f);
	{
		const json_t *c = json_object_get(summary, "contention_claim");
		double max = rpt_num(c, "simulated_max_reduction_pct");

		if (!isnan(max))
			fprintf(r->f,
				"<li><b>VINTF0 in the host kernel</b> versus the single SMMU "
				"CMDQ: simulated at most <b>%+.1f&nbsp;%%</b> (%.0f threads); "
				"NVIDIA reports up to %.0f&nbsp;%%: <span class=\"%s\">%s</span> "
				"(<a href=\"#contention\">details</a>).</li>\n",
				max, rpt_num(c, "simulated_max_at_threads"),
				rpt_num(c, "claimed_max_reduction_pct"),
				json_is_true(json_object_get(
					c, "simulated_within")) ?
					"good" :
					"bad",
				json_is_true(json_object_get(
					c, "simulated_within")) ?
					"consistent" :
					"not reproduced");
	}
	fputs("</ul>\n", r->f);
}

static void rpt_intro(struct rpt *r, const json_t *summary)
{
	const json_t *w = r->workload;
	size_t i;
	const json_t *v;

	fputs("<h1>Guest TLB/ATC invalidation latency, path by path</h1>\n",
	      r->f);
	fprintf(r->f,
		"<p class=\"lead\">A simulated Linux <code>dma_map_benchmark</code> in strict "
		"mode runs in a guest on an SMMUv3 with NVIDIA's CMDQ-V (Tegra241/Grace). Every "
		"<code>dma_unmap</code> sends the guest driver's invalidation commands and a "
		"CMD_SYNC and waits for it; the time it takes is measured per unmap. %zu workload "
		"points: paths ",
		json_array_size(r->points));
	json_array_foreach(json_object_get(w, "paths"), i, v)
	{
		fprintf(r->f, "%s<b>", i ? ", " : "");
		cmp_html_escape(r->f, json_string_value(v));
		fputs("</b>", r->f);
	}
	fputs(" &times; threads {", r->f);
	json_array_foreach(json_object_get(w, "threads"), i, v)
		fprintf(r->f, "%s%lld", i ? ", " : "", json_integer_value(v));
	fputs("} &times; granule {", r->f);
	json_array_foreach(json_object_get(w, "granules"), i, v)
		fprintf(r->f, "%s%lld", i ? ", " : "", json_integer_value(v));
	fprintf(r->f,
		"} pages of 4&nbsp;KiB; %lld VM(s); ATS %s; range invalidation (RIL) %s.</p>\n",
		json_integer_value(json_object_get(w, "vms")),
		json_is_true(json_object_get(w, "ats")) ? "on" : "off",
		json_is_true(json_object_get(w, "ril")) ? "on" : "off");
	rpt_key_results(r, summary);
	fputs("<nav><a href=\"#paths\">Paths and stages</a><a href=\"#results\">Results</a>"
	      "<a href=\"#breakdown\">Breakdown</a><a href=\"#cdf\">Distributions</a>"
	      "<a href=\"#scaling\">Scaling</a><a href=\"#calibration\">Calibration</a>"
	      "<a href=\"#parameters\">Parameters</a><a href=\"#files\">Files</a></nav>\n",
	      r->f);
}

/* True if @name is one of the paths run. */
static int rpt_path_run(const struct rpt *r, const char *name)
{
	size_t i;
	const json_t *v;

	json_array_foreach(json_object_get(r->workload, "paths"), i, v)
	{
		if (!strcmp(json_string_value(v), name))
			return 1;
	}
	return 0;
}

/* A two-column table of names (with their colour) and descriptions. */
static void rpt_defs(struct rpt *r, const json_t *list, int stages,
		     const char *head)
{
	size_t i;
	const json_t *d;

	fprintf(r->f,
		"<table class=\"defs\">\n<tr><th>%s</th><th>what it is</th></tr>\n",
		head);
	json_array_foreach(list, i, d)
	{
		const char *name = rpt_str(d, "name");

		if (!stages && !rpt_path_run(r, name))
			continue;
		fprintf(r->f,
			"<tr><td><span class=\"swatch\" style=\"background:%s\"></span>"
			"<b>",
			stages ? rpt_colours[i % RPT_NCOLOURS] :
				 rpt_path_colour(name));
		cmp_html_escape(r->f, name);
		fputs("</b></td><td>", r->f);
		cmp_html_escape(r->f, rpt_str(d, "description"));
		fputs("</td></tr>\n", r->f);
	}
	fputs("</table>\n", r->f);
}

static void rpt_paths(struct rpt *r, const json_t *summary)
{
	fputs("<h2 id=\"paths\">Paths and stages</h2>\n<p>A <em>path</em> is the way a guest's "
	      "invalidation reaches the SMMU. Each is a chain of timed actors (vCPU, VMM "
	      "thread, host kernel, kernel thread) on the same simulated hardware; queueing "
	      "and contention come from that structure, not from a formula.</p>\n",
	      r->f);
	rpt_defs(r, json_object_get(summary, "paths_info"), 0, "path");
	fputs("<p>Each unmap's latency is split into <em>stages</em>: where the unmapping "
	      "vCPU's time went. The stages of one unmap add up to its latency.</p>\n",
	      r->f);
	rpt_defs(r, r->stages, 1, "stage");
}

static void rpt_results(struct rpt *r)
{
	const json_t *w = r->workload;
	const json_t *tv, *gv, *pv;
	size_t ti, gi, pi;

	fputs("<h2 id=\"results\">Results</h2>\n<p>Unmap latency per call as "
	      "<code>dma_map_benchmark</code> reports it (average), plus percentiles; "
	      "throughput is unmaps per simulated second summed over all threads and VMs; "
	      "&ldquo;vs trap&rdquo; is the change of the mean against the trapped path at the "
	      "same point (negative = faster). Commands and exits are averaged over the "
	      "unmaps (guest: written by the guest driver; host: written to hardware queues by "
	      "the host kernel or its threads).</p>\n",
	      r->f);
	json_array_foreach(json_object_get(w, "threads"), ti, tv)
	{
		double t = (double)json_integer_value(tv);

		fprintf(r->f, "<h3>%.0f thread%s</h3>\n<table class=\"res\">\n",
			t, t == 1 ? "" : "s");
		fputs("<tr><th>granule (pages)</th><th>path</th><th>unmaps</th>"
		      "<th>guest cmds / unmap</th><th>host cmds / unmap</th>"
		      "<th>exits / unmap</th>"
		      "<th>mean (µs)</th><th>p50 (µs)</th><th>p90 (µs)</th><th>p99 (µs)</th>"
		      "<th>throughput (unmaps/s)</th><th>vs trap</th></tr>\n",
		      r->f);
		json_array_foreach(json_object_get(w, "granules"), gi, gv)
		{
			double g = (double)json_integer_value(gv);

			json_array_foreach(json_object_get(w, "paths"), pi, pv)
			{
				const char *path = json_string_value(pv);
				const json_t *p = rpt_find(r, path, t, g, NULL);
				const json_t *u =
					json_object_get(p, "unmap_ns");
				double n;

				if (!p)
					continue;
				fprintf(r->f, "<tr%s><td>",
					pi == 0 ? " class=\"grp\"" : "");
				rpt_granule(r->f, g);
				fprintf(r->f,
					"</td><td><span class=\"swatch\" "
					"style=\"background:%s\"></span>",
					rpt_path_colour(path));
				cmp_html_escape(r->f, path);
				n = rpt_num(u, "count");
				fprintf(r->f, "</td><td class=\"n\">%.0f</td>",
					n);
				fprintf(r->f,
					"<td class=\"n\">%.1f</td><td class=\"n\">%.1f</td>"
					"<td class=\"n\">%.1f</td>",
					n > 0 ? rpt_num(p, "commands") / n :
						0.0,
					n > 0 ? rpt_num(p, "host_commands") /
							n :
						0.0,
					n > 0 ? rpt_num(p, "exits") / n : 0.0);
				fputs("<td class=\"n\"><b>", r->f);
				rpt_us(r->f, rpt_num(u, "mean"));
				fputs("</b></td><td class=\"n\">", r->f);
				rpt_us(r->f, rpt_num(u, "p50"));
				fputs("</td><td class=\"n\">", r->f);
				rpt_us(r->f, rpt_num(u, "p90"));
				fputs("</td><td class=\"n\">", r->f);
				rpt_us(r->f, rpt_num(u, "p99"));
				fprintf(r->f,
					"</td><td class=\"n\">%.0f</td><td class=\"n\">",
					rpt_num(p, "throughput_unmaps_per_s"));
				rpt_pct(r->f,
					-rpt_num(p, "reduction_vs_trap_pct"));
				fputs("</td></tr>\n", r->f);
			}
		}
		fputs("</table>\n", r->f);
	}
}

/* gnuplot lines giving every stage (line type i+1) its colour. */
static void rpt_stage_styles(struct rpt *r, FILE *s)
{
	for (size_t i = 0; i < json_array_size(r->stages); i++)
		fprintf(s, "set linetype %zu lc rgb '%s'\n", i + 1,
			rpt_colours[i % RPT_NCOLOURS]);
}

static void rpt_breakdown(struct rpt *r)
{
	const json_t *w = r->workload;
	const json_t *tv, *gv, *pv, *sv;
	size_t ti, gi, pi, si;
	size_t nst = json_array_size(r->stages);

	fputs("<h2 id=\"breakdown\">Where the time goes</h2>\n<p>Mean time per unmap spent in "
	      "each stage, stacked (first absolute, then as a share of the unmap). Bars are "
	      "grouped by granule; within a group, one bar per path.</p>\n",
	      r->f);
	json_array_foreach(json_object_get(w, "threads"), ti, tv)
	{
		long long t = json_integer_value(tv);
		char name[64], name2[64], file[64], caption[160];
		struct rpt_script sc;
		FILE *d, *s;

		snprintf(file, sizeof(file), "breakdown_t%lld.dat", t);
		d = rpt_data(r, file);
		if (!d)
			return;
		fputs("label", d);
		json_array_foreach(r->stages, si, sv)
			fprintf(d, " \"%s\"", rpt_str(sv, "name"));
		fputs(" total\n", d);
		json_array_foreach(json_object_get(w, "granules"), gi, gv)
		{
			long long g = json_integer_value(gv);
			int any = 0;

			json_array_foreach(json_object_get(w, "paths"), pi, pv)
			{
				const char *path = json_string_value(pv);
				const json_t *p = rpt_find(r, path, (double)t,
							   (double)g, NULL);
				const json_t *b =
					json_object_get(p, "breakdown_ns");
				double total = 0;

				if (!p)
					continue;
				fprintf(d, "\"%lldp %s\"", g, path);
				json_array_foreach(r->stages, si, sv)
				{
					double v =
						rpt_num(b, rpt_str(sv, "name"));

					v = isnan(v) ? 0 : v / 1000.0;
					total += v;
					fprintf(d, " %.4f", v);
				}
				fprintf(d, " %.4f\n", total);
				any = 1;
			}
			if (any && gi + 1 < json_array_size(json_object_get(
						    w, "granules"))) {
				fputs("\"\"", d);
				for (si = 0; si <= nst; si++)
					fputs(" 0", d);
				fputs("\n", d);
			}
		}
		if (rpt_close(r, d, file))
			return;
		s = rpt_script_open(&sc);
		rpt_stage_styles(r, s);
		fprintf(s,
			"set style data histograms\nset style histogram rowstacked\n"
			"set style fill solid 0.9 border rgb '#444444'\nset boxwidth 0.8\n"
			"set key inside top left vertical Left reverse opaque box\n"
			"set xtics rotate by -50 scale 0 font ',10'\nset grid ytics\n"
			"set ylabel 'mean time per unmap (µs)'\nset yrange [0:*]\n"
			"set title '%lld thread%s: time per unmap by stage'\n"
			"plot for [i=2:%zu] '%s' using i:xtic(1) title columnheader(i) "
			"lt (i-1)\n",
			t, t == 1 ? "" : "s", nst + 1, file);
		snprintf(name, sizeof(name), "breakdown_t%lld", t);
		snprintf(
			caption, sizeof(caption),
			"Stacked mean time per unmap by stage, %lld thread%s (µs); label = "
			"granule in pages and path.",
			t, t == 1 ? "" : "s");
		rpt_plot(r, name, 1000, 420, rpt_script_close(&sc), caption);
		free(sc.text);
		s = rpt_script_open(&sc);
		rpt_stage_styles(r, s);
		fprintf(s,
			"set style data histograms\nset style histogram rowstacked\n"
			"set style fill solid 0.9 border rgb '#444444'\nset boxwidth 0.8\n"
			"set key autotitle columnheader\nset key off\n"
			"set xtics rotate by -50 scale 0 font ',10'\n"
			"set grid ytics\nset ylabel 'share of the unmap (%%)'\n"
			"set yrange [0:100]\n"
			"set title '%lld thread%s: share of each stage'\n"
			"plot for [i=2:%zu] '%s' using (column(%zu) > 0 ? "
			"100.0*column(i)/column(%zu) : 0):xtic(1) lt (i-1)\n",
			t, t == 1 ? "" : "s", nst + 1, file, nst + 2, nst + 2);
		snprintf(name2, sizeof(name2), "breakdown_share_t%lld", t);
		snprintf(
			caption, sizeof(caption),
			"Share of each stage in the mean unmap, %lld thread%s (%%).",
			t, t == 1 ? "" : "s");
		rpt_plot(r, name2, 1000, 340, rpt_script_close(&sc), caption);
		free(sc.text);
	}
	/* The numbers behind the bars. */
	fputs("<table>\n<tr><th>threads</th><th>granule (pages)</th><th>path</th>",
	      r->f);
	json_array_foreach(r->stages, si, sv)
	{
		fputs("<th>", r->f);
		cmp_html_escape(r->f, rpt_str(sv, "name"));
		fputs("</th>", r->f);
	}
	fputs("<th>sum (µs)</th></tr>\n", r->f);
	json_array_foreach(r->points, pi, pv)
	{
		const json_t *b = json_object_get(pv, "breakdown_ns");
		double sum = 0;

		fprintf(r->f,
			"<tr><td class=\"n\">%.0f</td><td class=\"n\">%.0f</td><td>",
			rpt_num(pv, "threads"), rpt_num(pv, "granule_pages"));
		cmp_html_escape(r->f, rpt_str(pv, "path"));
		fputs("</td>", r->f);
		json_array_foreach(r->stages, si, sv)
		{
			double v = rpt_num(b, rpt_str(sv, "name"));

			fputs("<td class=\"n\">", r->f);
			if (!isnan(v) && v > 0) {
				rpt_us(r->f, v);
				sum += v;
			} else {
				fputs("&middot;", r->f);
			}
			fputs("</td>", r->f);
		}
		fputs("<td class=\"n\"><b>", r->f);
		rpt_us(r->f, sum);
		fputs("</b></td></tr>\n", r->f);
	}
	fputs("</table>\n<p class=\"note\">Stage means in µs (&middot; = never spent on this "
	      "path).</p>\n",
	      r->f);
}

static void rpt_cdf(struct rpt *r)
{
	const json_t *w = r->workload;
	const json_t *tv, *gv, *pv;
	size_t ti, gi, pi;

	fputs("<h2 id=\"cdf\">Latency distributions</h2>\n<p>Cumulative distribution of the "
	      "unmap latency (log scale), one panel per granule; solid lines are 1 thread, "
	      "dashed lines more threads.</p>\n<div class=\"grid\">\n",
	      r->f);
	json_array_foreach(json_object_get(w, "granules"), gi, gv)
	{
		long long g = json_integer_value(gv);
		char file[64], name[64], caption[128];
		struct rpt_script sc;
		FILE *d, *s;
		unsigned series = 0;

		snprintf(file, sizeof(file), "cdf_g%lld.dat", g);
		d = rpt_data(r, file);
		if (!d)
			return;
		s = rpt_script_open(&sc);
		fprintf(s,
			"set logscale x\nset grid\nset key below horizontal font ',10'\n"
			"set xlabel 'unmap latency (µs)'\nset ylabel 'fraction of unmaps'\n"
			"set yrange [0:1]\nset format x '%%g'\n"
			"set title 'granule %lld page%s (%lld KiB)'\nplot ",
			g, g == 1 ? "" : "s", g * 4);
		json_array_foreach(json_object_get(w, "paths"), pi, pv)
		{
			const char *path = json_string_value(pv);

			json_array_foreach(json_object_get(w, "threads"), ti,
					   tv)
			{
				long long t = json_integer_value(tv);
				size_t idx, n;
				const double *v;

				if (!rpt_find(r, path, (double)t, (double)g,
					      &idx))
					continue;
				n = r->in->counts[idx];
				v = r->in->sorted[idx];
				if (!n)
					continue;
				fprintf(d, "# %s, %lld thread(s)\n", path, t);
				for (unsigned k = 0; k <= RPT_CDF_POINTS; k++) {
					size_t i = (size_t)((double)k /
							    RPT_CDF_POINTS *
							    (double)(n - 1));

					fprintf(d, "%.4f %.6f\n", v[i] / 1000.0,
						(double)(i + 1) / (double)n);
				}
				fputs("\n\n", d);
				fprintf(s,
					"%s'%s' index %u using 1:2 with lines lw 2 dt %d "
					"lc rgb '%s' title '%s, %lld thr'",
					series ? ", \\\n     " : "", file,
					series, ti == 0 ? 1 : 2,
					rpt_path_colour(path), path, t);
				series++;
			}
		}
		fputs("\n", s);
		if (rpt_close(r, d, file)) {
			rpt_script_close(&sc);
			free(sc.text);
			return;
		}
		snprintf(name, sizeof(name), "cdf_g%lld", g);
		snprintf(caption, sizeof(caption),
			 "CDF of unmap latency, granule %lld page%s.", g,
			 g == 1 ? "" : "s");
		if (series)
			rpt_plot(r, name, 560, 400, rpt_script_close(&sc),
				 caption);
		else
			rpt_script_close(&sc);
		free(sc.text);
	}
	fputs("</div>\n", r->f);
}

static void rpt_scaling_granule(struct rpt *r, const json_t *summary)
{
	const json_t *w = r->workload;
	const json_t *tv, *gv, *pv, *cv;
	size_t ti, gi, pi, ci;
	struct rpt_script sc;
	FILE *d, *s;
	unsigned series = 0;
	static const char file[] = "scaling_granule.dat";

	d = rpt_data(r, file);
	if (!d)
		return;
	s = rpt_script_open(&sc);
	fputs("set logscale xy 2\nset logscale y 10\nset grid\nset key inside top left Left "
	      "reverse opaque box "
	      "font ',10'\nset xlabel 'granule (4 KiB pages)'\n"
	      "set ylabel 'mean unmap latency (µs)'\nset format y '%g'\n"
	      "set title 'Mean unmap latency vs granule'\nplot ",
	      s);
	json_array_foreach(json_object_get(w, "paths"), pi, pv)
	{
		const char *path = json_string_value(pv);

		json_array_foreach(json_object_get(w, "threads"), ti, tv)
		{
			long long t = json_integer_value(tv);

			fprintf(d,
				"# %s, %lld thread(s): granule mean_us p99_us\n",
				path, t);
			json_array_foreach(json_object_get(w, "granules"), gi,
					   gv)
			{
				const json_t *p = rpt_find(
					r, path, (double)t,
					(double)json_integer_value(gv), NULL);

				if (p)
					fprintf(d, "%lld %.4f %.4f\n",
						json_integer_value(gv),
						rpt_mean(p) / 1000.0,
						rpt_num(json_object_get(
								p, "unmap_ns"),
							"p99") /
							1000.0);
			}
			fputs("\n\n", d);
			fprintf(s,
				"%s'%s' index %u using 1:2 with linespoints lw 2 pt 7 ps 0.6 "
				"dt %d lc rgb '%s' title '%s, %lld thr'",
				series ? ", \\\n     " : "", file, series,
				ti == 0 ? 1 : 2, rpt_path_colour(path), path,
				t);
			series++;
		}
	}
	/* The measured rows on the same axes (NVIDIA HW QUEUE series cover
	 * letter, Msg-ID cover.1750966133.git.nicolinc@nvidia.com). */
	for (int k = 0; k < 2; k++) {
		const char *path = k ? "direct" : "trap";

		fprintf(d,
			"# measured %s (NVIDIA HW QUEUE series cover letter, Msg-ID cover.1750966133.git.nicolinc@nvidia.com): granule us\n",
			path);
		json_array_foreach(json_object_get(summary, "calibration"), ci,
				   cv)
		{
			double m = rpt_num(json_object_get(cv, path),
					   "measured_ns");

			fprintf(d, "%.0f %.4f\n", rpt_num(cv, "granule_pages"),
				m / 1000.0);
		}
		fputs("\n\n", d);
		fprintf(s,
			", \\\n     '%s' index %u using 1:2 with points pt 6 ps 1.6 lw 2 "
			"lc rgb '%s' title 'measured %s, 1 thr'",
			file, series, rpt_path_colour(path), path);
		series++;
	}
	fputs("\n", s);
	if (rpt_close(r, d, file)) {
		rpt_script_close(&sc);
		free(sc.text);
		return;
	}
	rpt_plot(
		r, "scaling_granule", 1000, 460, rpt_script_close(&sc),
		"Mean unmap latency against granule; open circles are the measured Grace "
		"values (1 thread).");
	free(sc.text);
}

static void rpt_scaling_threads(struct rpt *r)
{
	const json_t *w = r->workload;
	const json_t *paths = json_object_get(w, "paths");
	const json_t *grans = json_object_get(w, "granules");
	const json_t *tv, *gv, *pv;
	size_t ti, gi, pi;
	size_t npaths = json_array_size(paths), ngran = json_array_size(grans);
	static const char file[] = "scaling_threads.dat";
	struct rpt_script sc;
	FILE *d, *s;

	if (json_array_size(json_object_get(w, "threads")) < 2) {
		fputs("<p class=\"note\">Only one thread count was run: no thread scaling "
		      "plot.</p>\n",
		      r->f);
		return;
	}
	d = rpt_data(r, file);
	if (!d)
		return;
	/* Block (path index * granules + granule index): threads mean_us throughput. */
	json_array_foreach(paths, pi, pv)
	{
		json_array_foreach(grans, gi, gv)
		{
			fprintf(d,
				"# %s, granule %lld: threads mean_us throughput\n",
				json_string_value(pv), json_integer_value(gv));
			json_array_foreach(json_object_get(w, "threads"), ti,
					   tv)
			{
				const json_t *p = rpt_find(
					r, json_string_value(pv),
					(double)json_integer_value(tv),
					(double)json_integer_value(gv), NULL);

				if (p)
					fprintf(d, "%lld %.4f %.1f\n",
						json_integer_value(tv),
						rpt_mean(p) / 1000.0,
						rpt_num(p,
							"throughput_unmaps_per_s"));
			}
			fputs("\n\n", d);
		}
	}
	if (rpt_close(r, d, file))
		return;
	s = rpt_script_open(&sc);
	fprintf(s,
		"set multiplot layout 2,%zu\nset grid\nset key below horizontal font ',9'\n"
		"set xlabel 'threads'\nset xtics (",
		npaths);
	{
		double lo = 0, hi = 0;

		json_array_foreach(json_object_get(w, "threads"), ti, tv)
		{
			double t = (double)json_integer_value(tv);

			fprintf(s, "%s%.0f", ti ? ", " : "", t);
			lo = ti == 0 || t < lo ? t : lo;
			hi = ti == 0 || t > hi ? t : hi;
		}
		fprintf(s, ")\nset xrange [%g:%g]\n",
			lo - 0.1 * (hi - lo) - 0.1, hi + 0.1 * (hi - lo) + 0.1);
	}
	for (int row = 0; row < 2; row++) {
		json_array_foreach(paths, pi, pv)
		{
			fprintf(s, "set title '%s: %s'\nset ylabel '%s'\n",
				json_string_value(pv),
				row ? "throughput" : "mean latency",
				row ? "unmaps/s (all threads)" : "µs");
			json_array_foreach(grans, gi, gv)
			{
				fprintf(s,
					"%s'%s' index %zu using 1:%d with linespoints lw 2 "
					"pt 7 ps 0.6 lc rgb '%s' title '%lld p'",
					gi ? ", \\\n     " : "plot ", file,
					pi * ngran + gi, row ? 3 : 2,
					rpt_colours[gi % RPT_NCOLOURS],
					json_integer_value(gv));
			}
			fputs("\n", s);
		}
	}
	fputs("unset multiplot\n", s);
	rpt_plot(
		r, "scaling_threads", 360 * (unsigned)npaths, 700,
		rpt_script_close(&sc),
		"Top: mean unmap latency against threads, one line per granule (pages). "
		"Bottom: total throughput.");
	free(sc.text);
}

/* One run pair of the claim table (@o: a row, or its "without_ats"): SMMU
 * CMDQ and VINTF0 mean latency, reduction ("–" when there is none). */
static void rpt_claim_cells(struct rpt *r, const json_t *o)
{
	double red = rpt_num(o, "reduction_pct");

	fputs("<td class=\"n\">", r->f);
	rpt_us(r->f, rpt_num(o, "smmu_cmdq_ns"));
	fputs("</td><td class=\"n\">", r->f);
	rpt_us(r->f, rpt_num(o, "vintf0_ns"));
	fputs("</td><td class=\"n\">", r->f);
	if (isnan(red))
		fputs("&ndash;", r->f);
	else
		fprintf(r->f, "%+.1f&nbsp;%%", red);
	fputs("</td>", r->f);
}

/* The "up to 20 %" claim for VINTF0 in the host kernel (Linux commit
 * 918eb5c856f6; Msg-ID 20200801074703.17108-1-song.bao.hua@hisilicon.com). */
static void rpt_contention(struct rpt *r, const json_t *c)
{
	const json_t *rv;
	size_t ri;
	double max = rpt_num(c, "simulated_max_reduction_pct");
	double claim = rpt_num(c, "claimed_max_reduction_pct");
	const json_t *within = json_object_get(c, "simulated_within");

	fputs("<h3 id=\"contention\">The &ldquo;up to 20&nbsp;%&rdquo; VINTF0 claim</h3>\n<p>",
	      r->f);
	cmp_html_escape(r->f, rpt_str(c, "source"));
	fputs(".</p>\n", r->f);
	if (json_is_string(json_object_get(c, "skipped"))) {
		fputs("<p>Not run: ", r->f);
		cmp_html_escape(r->f, rpt_str(c, "skipped"));
		fputs(".</p>\n", r->f);
		return;
	}
	fprintf(r->f,
		"<p>Host path (no VM), %.0f page%s per unmap, the switches of this run, no "
		"background traffic: every thread on the SMMU CMDQ versus thread <i>c</i> on "
		"LVCMDQ <i>c</i>&nbsp;%%&nbsp;%.0f of VINTF0. Mean unmap latency; reduction = "
		"1 &minus; VINTF0 / SMMU CMDQ. Not fitted: the number follows from the "
		"structure (Linux's submission on each queue, the hardware queue, SYNC and "
		"ATS waits). The claim does not name its device; when this run has ATS, the "
		"last columns repeat the check without it.</p>\n<table>\n<tr><th>threads</th>"
		"<th>SMMU CMDQ (µs)</th><th>VINTF0 LVCMDQs (µs)</th><th>reduction</th>"
		"<th>no ATS: SMMU CMDQ (µs)</th><th>no ATS: VINTF0 (µs)</th>"
		"<th>no ATS: reduction</th></tr>\n",
		rpt_num(c, "granule_pages"),
		rpt_num(c, "granule_pages") == 1 ? "" : "s",
		rpt_num(c, "vintf0_queues"));
	json_array_foreach(json_object_get(c, "rows"), ri, rv)
	{
		fprintf(r->f, "<tr><td class=\"n\">%.0f</td>",
			rpt_num(rv, "threads"));
		rpt_claim_cells(r, rv);
		rpt_claim_cells(r, json_object_get(rv, "without_ats"));
		fputs("</tr>\n", r->f);
	}
	fputs("</table>\n", r->f);
	if (!isnan(max))
		fprintf(r->f,
			"<p>Largest simulated multi-threaded reduction: <b>%.1f&nbsp;%%</b> "
			"(%.0f threads); NVIDIA reports up to %.0f&nbsp;%%: <span "
			"class=\"%s\">%s</span>.</p>\n",
			max, rpt_num(c, "simulated_max_at_threads"), claim,
			json_is_true(within) ? "good" : "bad",
			json_is_true(within) ?
				"consistent with the claim" :
				"not consistent with the claim (see "
				"docs/timing-model.md for why)");
}

static void rpt_calibration(struct rpt *r, const json_t *summary)
{
	const json_t *claim = json_object_get(summary, "claim");
	const json_t *cv;
	size_t ci;
	double lo = 0, hi = 0;

	fputs("<h2 id=\"calibration\">Calibration against Grace measurements</h2>\n<p>"
	      "Measured: ",
	      r->f);
	cmp_html_escape(r->f, rpt_str(summary, "calibration_source"));
	fputs(". Granules are converted to 4&nbsp;KiB pages (4&nbsp;KB = 1, 64&nbsp;KB = 16, "
	      "256&nbsp;KB = 64). Error = (simulated &minus; measured) / measured. The model is "
	      "built from the structure of each path (exits, threads, queues, locks, round "
	      "trips), not fitted per row.</p>\n<table>\n<tr><th>granule</th><th>threads</th>"
	      "<th>path</th><th>measured mean (µs)</th><th>simulated mean (µs)</th>"
	      "<th>error</th></tr>\n",
	      r->f);
	json_array_foreach(json_object_get(summary, "calibration"), ci, cv)
	{
		for (int k = 0; k < 3; k++) {
			static const char *const keys[] = { "trap", "direct",
							    "reduction_pct" };
			const json_t *c = json_object_get(cv, keys[k]);
			double m =
				rpt_num(c, k < 2 ? "measured_ns" : "measured");
			double sim = rpt_num(c, k < 2 ? "simulated_ns" :
							"simulated");
			double e = rpt_num(c, "error_pct");

			fprintf(r->f, "<tr%s><td>",
				k == 0 ? " class=\"grp\"" : "");
			cmp_html_escape(r->f, rpt_str(cv, "granule"));
			fprintf(r->f,
				" (%.0f&nbsp;p)</td><td class=\"n\">%.0f</td><td>%s</td>",
				rpt_num(cv, "granule_pages"),
				rpt_num(cv, "threads"),
				k == 0 ? "trap" :
				k == 1 ? "direct" :
					 "reduction direct vs trap");
			if (k < 2) {
				fputs("<td class=\"n\">", r->f);
				rpt_us(r->f, m);
				fputs("</td><td class=\"n\">", r->f);
				rpt_us(r->f, sim);
				fprintf(r->f, "</td><td class=\"n %s\">",
					isnan(e)	? "" :
					fabs(e) <= 20.0 ? "good" :
							  "bad");
				rpt_pct(r->f, e);
			} else {
				fprintf(r->f,
					"<td class=\"n\">%.1f&nbsp;%%</td>", m);
				if (isnan(sim))
					fputs("<td class=\"n\">&ndash;</td>",
					      r->f);
				else
					fprintf(r->f,
						"<td class=\"n\">%.1f&nbsp;%%</td>",
						sim);
				fputs("<td class=\"n\">", r->f);
				if (isnan(sim))
					fputs("&ndash;", r->f);
				else
					fprintf(r->f, "%+.1f&nbsp;points",
						sim - m);
			}
			fputs("</td></tr>\n", r->f);
		}
	}
	fputs("</table>\n<p class=\"note\">&ndash; = that point was not part of this run. "
	      "Errors within &plusmn;20&nbsp;% are shown in green.</p>\n",
	      r->f);
	fputs("<h3>The 70&nbsp;% &ndash; 90&nbsp;% claim</h3>\n<p>", r->f);
	cmp_html_escape(r->f, rpt_str(claim, "source"));
	fputs(".</p>\n", r->f);
	if (rpt_reduction_range(r, &lo, &hi))
		fprintf(r->f,
			"<p>Simulated reduction of the mean unmap latency, direct vs trap, over "
			"every point of this run: <b>%.1f&nbsp;%% &ndash; %.1f&nbsp;%%</b> "
			"(claim %.0f&nbsp;%% &ndash; %.0f&nbsp;%%).</p>\n",
			lo, hi, rpt_num(claim, "reduction_pct_low"),
			rpt_num(claim, "reduction_pct_high"));
	else
		fputs("<p>This run does not contain both trap and direct at any point.</p>\n",
		      r->f);
	if (rpt_reduction_range_of(r, "direct", 1, &lo, &hi))
		fprintf(r->f,
			"<p>With 1 thread, the setting of the measurements: <b>%.1f&nbsp;%% "
			"&ndash; %.1f&nbsp;%%</b>.</p>\n",
			lo, hi);
	rpt_contention(r, json_object_get(summary, "contention_claim"));
}

static void rpt_value(FILE *f, const json_t *v)
{
	if (json_is_true(v))
		fputs("on", f);
	else if (json_is_false(v))
		fputs("off", f);
	else if (json_is_integer(v))
		fprintf(f, "%lld", json_integer_value(v));
	else if (json_is_real(v))
		fprintf(f, "%g", json_real_value(v));
	else if (json_is_string(v))
		cmp_html_escape(f, json_string_value(v));
	else
		fputs("&ndash;", f);
}

static void rpt_param_table(struct rpt *r, const json_t *params,
			    const char *title)
{
	const char *key;
	const json_t *v;

	if (!json_object_size(params))
		return;
	fprintf(r->f,
		"<h3>%s</h3>\n<table>\n<tr><th>parameter</th><th>value</th><th>unit</th>"
		"<th>source</th><th>meaning</th></tr>\n",
		title);
	json_object_foreach((json_t *)params, key, v)
	{
		fputs("<tr><td><code>", r->f);
		cmp_html_escape(r->f, key);
		fputs("</code></td><td class=\"n\">", r->f);
		rpt_value(r->f, json_object_get(v, "value"));
		fputs("</td><td>", r->f);
		cmp_html_escape(r->f, rpt_str(v, "unit"));
		fputs("</td><td>", r->f);
		cmp_html_escape(r->f, rpt_str(v, "source"));
		fputs("</td><td>", r->f);
		cmp_html_escape(r->f, rpt_str(v, "description"));
		fputs("</td></tr>\n", r->f);
	}
	fputs("</table>\n", r->f);
}

static void rpt_parameters(struct rpt *r, const json_t *summary)
{
	const json_t *params = json_object_get(summary, "parameters");
	const char *key;
	const json_t *v;

	fputs("<h2 id=\"parameters\">Parameters used</h2>\n<p>Every value this run used. "
	      "Override any of them with <code>--set KEY=VALUE</code> or a "
	      "<code>--config FILE</code> of <code>key = value</code> lines; "
	      "<code>cmdqv-sim params</code> lists them with their sources.</p>\n"
	      "<h3>Workload</h3>\n<table>\n",
	      r->f);
	json_object_foreach((json_t *)r->workload, key, v)
	{
		size_t i;
		const json_t *e;

		fputs("<tr><td><code>", r->f);
		cmp_html_escape(r->f, key);
		fputs("</code></td><td>", r->f);
		if (json_is_array(v)) {
			json_array_foreach(v, i, e)
			{
				if (i)
					fputs(", ", r->f);
				rpt_value(r->f, e);
			}
		} else {
			rpt_value(r->f, v);
		}
		fputs("</td></tr>\n", r->f);
	}
	fputs("</table>\n", r->f);
	rpt_param_table(r, json_object_get(params, "paths"),
			"Software paths (timed actors)");
	rpt_param_table(r, json_object_get(params, "hardware"),
			"Hardware model");
}

static void rpt_files(struct rpt *r)
{
	fprintf(r->f,
		"<h2 id=\"files\">Files</h2>\n<ul>\n<li><a href=\"summary.json\">summary.json"
		"</a> &ndash; every number on this page (schema "
		"<code>cmdqv-sim.compare/1</code>, see <code>docs/output-formats.md</code>)."
		"</li>\n<li><a href=\"samples.csv\">samples.csv</a> &ndash; one row per unmap "
		"with its stage times.</li>\n<li><a href=\"%s/\">%s/</a> &ndash; the plots' "
		"data files and gnuplot scripts.</li>\n</ul>\n"
		"<p class=\"note\">Generated by <code>cmdqv-sim compare</code>. Simulated "
		"times; runs are deterministic for a given seed and parameters.</p>\n"
		"</body>\n</html>\n",
		r->in->plot_dir_rel, r->in->plot_dir_rel);
}

int cmp_report_write(FILE *f, const struct cmp_report_in *in, char *err,
		     size_t errlen)
{
	struct rpt r = {
		.f = f,
		.in = in,
		.points = json_object_get(in->summary, "points"),
		.workload = json_object_get(in->summary, "workload"),
		.stages = json_object_get(in->summary, "stages"),
		.err = err,
		.errlen = errlen,
	};

	rpt_head(&r);
	rpt_intro(&r, in->summary);
	rpt_paths(&r, in->summary);
	rpt_results(&r);
	rpt_breakdown(&r);
	rpt_cdf(&r);
	if (!r.failed) {
		fputs("<h2 id=\"scaling\">Scaling</h2>\n", f);
		if (json_array_size(json_object_get(r.workload, "granules")) >
		    1)
			rpt_scaling_granule(&r, in->summary);
		rpt_scaling_threads(&r);
	}
	if (!r.failed) {
		rpt_calibration(&r, in->summary);
		rpt_parameters(&r, in->summary);
		rpt_files(&r);
	}
	if (!r.failed && ferror(f)) {
		snprintf(err, errlen, "error: writing the report failed");
		r.failed = 1;
	}
	return r.failed ? -1 : 0;
}

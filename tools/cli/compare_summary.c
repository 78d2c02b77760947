/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * compare_summary.c - statistics and the summary document (see
 * compare_summary.h). Values are rounded to 0.1 ns (latencies) or 0.01
 * (percentages) before they enter the tree so the JSON stays readable and
 * byte-identical from run to run.
 */
#include "compare_summary.h"

#include <math.h>
#include <string.h>

#include "compare_calib.h"
#include "compare_util.h"

void cmp_stats_compute(double *lat, size_t n, struct cmp_stats *out)
{
	double sum = 0, sq = 0;

	memset(out, 0, sizeof(*out));
	out->count = n;
	if (!n)
		return;
	cmp_sort_doubles(lat, n);
	for (size_t i = 0; i < n; i++)
		sum += lat[i];
	out->mean = sum / (double)n;
	for (size_t i = 0; i < n; i++)
		sq += (lat[i] - out->mean) * (lat[i] - out->mean);
	out->stddev = sqrt(sq / (double)n);
	out->p50 = cmp_percentile(lat, n, 50);
	out->p90 = cmp_percentile(lat, n, 90);
	out->p99 = cmp_percentile(lat, n, 99);
	out->min = lat[0];
	out->max = lat[n - 1];
}

static json_t *cmp_round(double v, double unit)
{
	return json_real(round(v / unit) * unit);
}

static json_t *cmp_ns(double v)
{
	return cmp_round(v, 0.1);
}

static const struct cmp_point_out *cmp_find(const struct cmp_summary_in *in,
					    const char *path, unsigned threads,
					    unsigned granule)
{
	for (size_t i = 0; i < in->npoints; i++) {
		const struct cmp_point_out *p = &in->points[i];

		if (!strcmp(p->path, path) && p->threads == threads &&
		    p->granule_pages == granule)
			return p;
	}
	return NULL;
}

/* 100 * (1 - mean(path) / mean(trap)) at the same point, or NAN. */
static double cmp_reduction(const struct cmp_summary_in *in,
			    const struct cmp_point_out *p)
{
	const struct cmp_point_out *t =
		cmp_find(in, "trap", p->threads, p->granule_pages);

	if (!t || !t->unmap.count || t->unmap.mean <= 0 || !p->unmap.count)
		return NAN;
	return 100.0 * (1.0 - p->unmap.mean / t->unmap.mean);
}

/* The run's contention counters (docs/timing-model.md sections 3.1, 3.3.1). */
static json_t *cmp_counts_json(const struct cmp_point_out *p)
{
	json_t *o = json_object();

#define CMP_COUNT(f) \
	json_object_set_new(o, #f, json_integer((json_int_t)p->count.f))
	CMP_COUNT(issues);
	CMP_COUNT(prod_writes);
	CMP_COUNT(gathered);
	CMP_COUNT(owner_waits);
	CMP_COUNT(cas_retries);
	CMP_COUNT(full_waits);
	CMP_COUNT(bql_sleeps);
	CMP_COUNT(bql_wakes);
	CMP_COUNT(handover_moves);
	CMP_COUNT(devlock_moves);
	CMP_COUNT(devlock_spins);
	CMP_COUNT(ats_queued);
#undef CMP_COUNT
	return o;
}

static json_t *cmp_point_json(const struct cmp_summary_in *in,
			      const struct cmp_point_out *p)
{
	json_t *o = json_object();
	json_t *u;
	json_t *b = json_object();
	double red = cmp_reduction(in, p);

	json_object_set_new(o, "path", json_string(p->path));
	json_object_set_new(o, "threads", json_integer(p->threads));
	json_object_set_new(o, "granule_pages", json_integer(p->granule_pages));
	json_object_set_new(o, "vms", json_integer(p->vms));
	u = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:I}", "mean",
		      cmp_ns(p->unmap.mean), "p50", cmp_ns(p->unmap.p50), "p90",
		      cmp_ns(p->unmap.p90), "p99", cmp_ns(p->unmap.p99), "min",
		      cmp_ns(p->unmap.min), "max", cmp_ns(p->unmap.max),
		      "stddev", cmp_ns(p->unmap.stddev), "count",
		      (json_int_t)p->unmap.count);
	json_object_set_new(o, "unmap_ns", u);
	for (size_t s = 0; s < in->nstages; s++)
		json_object_set_new(b, in->stages[s].name,
				    cmp_ns(p->stage_mean[s]));
	json_object_set_new(o, "breakdown_ns", b);
	json_object_set_new(o, "throughput_unmaps_per_s",
			    cmp_round(p->throughput, 0.1));
	json_object_set_new(o, "simulated_ns", cmp_ns(p->simulated_ns));
	json_object_set_new(o, "workload_start_ns", cmp_ns(p->start_ns));
	json_object_set_new(o, "commands",
			    json_integer((json_int_t)p->commands));
	json_object_set_new(o, "host_commands",
			    json_integer((json_int_t)p->host_commands));
	json_object_set_new(o, "exits", json_integer((json_int_t)p->exits));
	json_object_set_new(o, "contention", cmp_counts_json(p));
	if (strcmp(p->path, "trap") && !isnan(red))
		json_object_set_new(o, "reduction_vs_trap_pct",
				    cmp_round(red, 0.01));
	return o;
}

/* {"measured_ns", "simulated_ns", "error_pct"} for one path of one measured row. */
static json_t *cmp_calib_cell(const struct cmp_point_out *p, double measured)
{
	json_t *c = json_object();

	json_object_set_new(c, "measured_ns", cmp_ns(measured));
	if (p && p->unmap.count) {
		json_object_set_new(c, "simulated_ns", cmp_ns(p->unmap.mean));
		json_object_set_new(
			c, "error_pct",
			cmp_round(100.0 * (p->unmap.mean - measured) / measured,
				  0.01));
	} else {
		json_object_set_new(c, "simulated_ns", json_null());
		json_object_set_new(c, "error_pct", json_null());
	}
	return c;
}

static json_t *cmp_calibration_json(const struct cmp_summary_in *in)
{
	json_t *a = json_array();

	for (size_t i = 0; i < cmp_calib_count(); i++) {
		const struct cmp_calib_row *row = cmp_calib_row(i);
		const struct cmp_point_out *t =
			cmp_find(in, "trap", row->threads, row->granule_pages);
		const struct cmp_point_out *d = cmp_find(
			in, "direct", row->threads, row->granule_pages);
		json_t *o = json_object();
		json_t *red = json_object();

		json_object_set_new(o, "granule",
				    json_string(row->granule_label));
		json_object_set_new(o, "granule_pages",
				    json_integer(row->granule_pages));
		json_object_set_new(o, "threads", json_integer(row->threads));
		json_object_set_new(o, "trap", cmp_calib_cell(t, row->trap_ns));
		json_object_set_new(o, "direct",
				    cmp_calib_cell(d, row->direct_ns));
		json_object_set_new(
			red, "measured",
			cmp_round(100.0 * (1.0 - row->direct_ns / row->trap_ns),
				  0.01));
		if (d && t && d->unmap.count && t->unmap.count &&
		    t->unmap.mean > 0)
			json_object_set_new(
				red, "simulated",
				cmp_round(100.0 * (1.0 - d->unmap.mean /
								 t->unmap.mean),
					  0.01));
		else
			json_object_set_new(red, "simulated", json_null());
		json_object_set_new(o, "reduction_pct", red);
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *cmp_claim_json(const struct cmp_summary_in *in)
{
	json_t *c = json_object();
	double lo = NAN, hi = NAN;

	for (size_t i = 0; i < in->npoints; i++) {
		double r;

		if (strcmp(in->points[i].path, "direct"))
			continue;
		r = cmp_reduction(in, &in->points[i]);
		if (isnan(r))
			continue;
		if (isnan(lo) || r < lo)
			lo = r;
		if (isnan(hi) || r > hi)
			hi = r;
	}
	json_object_set_new(c, "reduction_pct_low",
			    json_real(cmp_claim_reduction_lo_pct));
	json_object_set_new(c, "reduction_pct_high",
			    json_real(cmp_claim_reduction_hi_pct));
	json_object_set_new(c, "source", json_string(cmp_claim_source));
	json_object_set_new(c, "simulated_low",
			    isnan(lo) ? json_null() : cmp_round(lo, 0.01));
	json_object_set_new(c, "simulated_high",
			    isnan(hi) ? json_null() : cmp_round(hi, 0.01));
	json_object_set_new(
		c, "simulated_within",
		isnan(lo) ? json_null() :
			    json_boolean(lo >= cmp_claim_reduction_lo_pct &&
					 hi <= cmp_claim_reduction_hi_pct));
	return c;
}

/* A reduction (percent) the "up to 20 %" claim allows: more than 0, at most 20. */
static bool cmp_contention_holds(double red)
{
	return red > 0.0 && red <= cmp_contention_claim_max_pct;
}

/* The "up to 20 %" VINTF0 claim: reduction per thread count and its maximum. */
static json_t *cmp_contention_json(const struct cmp_summary_in *in)
{
	json_t *c = json_object();
	json_t *rows = json_array();
	json_t *holds = json_array();
	double max = NAN;
	unsigned at = 0;

	json_object_set_new(c, "source", json_string(cmp_contention_source));
	json_object_set_new(c, "claimed_max_reduction_pct",
			    json_real(cmp_contention_claim_max_pct));
	json_object_set_new(c, "path", json_string("host"));
	json_object_set_new(c, "granule_pages",
			    json_integer(in->contention_granule));
	json_object_set_new(c, "vintf0_queues",
			    json_integer(in->contention_queues));
	json_object_set_new(c, "skipped",
			    in->contention_skip ?
				    json_string(in->contention_skip) :
				    json_null());
	for (size_t i = 0; i < in->ncontention; i++) {
		const struct cmp_contention_row *r = &in->contention[i];
		json_t *o = json_object();
		double red =
			r->smmu.count && r->vintf0.count && r->smmu.mean > 0 ?
				100.0 * (1.0 - r->vintf0.mean / r->smmu.mean) :
				NAN;

		json_object_set_new(o, "threads", json_integer(r->threads));
		json_object_set_new(o, "smmu_cmdq_ns", cmp_ns(r->smmu.mean));
		json_object_set_new(o, "vintf0_ns", cmp_ns(r->vintf0.mean));
		json_object_set_new(o, "smmu_cmdq_p99_ns", cmp_ns(r->smmu.p99));
		json_object_set_new(o, "vintf0_p99_ns", cmp_ns(r->vintf0.p99));
		json_object_set_new(o, "reduction_pct",
				    isnan(red) ? json_null() :
						 cmp_round(red, 0.01));
		/* "up to 20 %" less: a gain, and not a larger one */
		json_object_set_new(
			o, "claim_holds",
			isnan(red) ? json_null() :
				     json_boolean(cmp_contention_holds(red)));
		if (r->threads > 1 && !isnan(red) && cmp_contention_holds(red))
			json_array_append_new(holds, json_integer(r->threads));
		if (r->noats_run) {
			json_t *na = json_object();
			double rn =
				r->smmu_noats.count && r->vintf0_noats.count &&
						r->smmu_noats.mean > 0 ?
					100.0 * (1.0 -
						 r->vintf0_noats.mean /
							 r->smmu_noats.mean) :
					NAN;

			json_object_set_new(na, "smmu_cmdq_ns",
					    cmp_ns(r->smmu_noats.mean));
			json_object_set_new(na, "vintf0_ns",
					    cmp_ns(r->vintf0_noats.mean));
			json_object_set_new(na, "reduction_pct",
					    isnan(rn) ? json_null() :
							cmp_round(rn, 0.01));
			json_object_set_new(o, "without_ats", na);
		} else {
			json_object_set_new(o, "without_ats", json_null());
		}
		json_array_append_new(rows, o);
		if (r->threads > 1 && !isnan(red) &&
		    (isnan(max) || red > max)) {
			max = red;
			at = r->threads;
		}
	}
	json_object_set_new(c, "rows", rows);
	json_object_set_new(c, "claim_holds_at_threads", holds);
	json_object_set_new(c, "simulated_max_reduction_pct",
			    isnan(max) ? json_null() : cmp_round(max, 0.01));
	json_object_set_new(c, "simulated_max_at_threads",
			    isnan(max) ? json_null() : json_integer(at));
	/* "up to 20 %": consistent when the best multi-threaded gain is positive and not above */
	json_object_set_new(c, "simulated_within",
			    isnan(max) ?
				    json_null() :
				    json_boolean(cmp_contention_holds(max)));
	return c;
}

static json_t *cmp_named_json(const struct cmp_named *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "name", json_string(v[i].name));
		json_object_set_new(o, "description",
				    json_string(v[i].description));
		json_array_append_new(a, o);
	}
	return a;
}

json_t *cmp_summary_build(const struct cmp_summary_in *in)
{
	json_t *s = json_object();
	json_t *pts = json_array();

	if (!s || !pts) {
		json_decref(s);
		json_decref(pts);
		return NULL;
	}
	json_object_set_new(s, "schema", json_string(CMP_SCHEMA));
	json_object_set_new(s, "generator", json_string("cmdqv-sim compare"));
	json_object_set(s, "workload", in->workload);
	json_object_set_new(s, "stages",
			    cmp_named_json(in->stages, in->nstages));
	json_object_set_new(s, "paths_info",
			    cmp_named_json(in->paths_info, in->npaths_info));
	for (size_t i = 0; i < in->npoints; i++)
		json_array_append_new(pts, cmp_point_json(in, &in->points[i]));
	json_object_set_new(s, "points", pts);
	json_object_set_new(s, "calibration_source",
			    json_string(cmp_calib_source));
	json_object_set_new(s, "calibration", cmp_calibration_json(in));
	json_object_set_new(s, "claim", cmp_claim_json(in));
	json_object_set_new(s, "contention_claim", cmp_contention_json(in));
	json_object_set(s, "parameters", in->parameters);
	return s;
}

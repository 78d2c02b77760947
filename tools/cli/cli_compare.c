/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cli_compare.c - `cmdqv-sim compare`: run the dma_map_benchmark workload
 * over a grid of points (path x threads x granule) on the simulated
 * hardware and write the latency comparison: summary.json, samples.csv and
 * report.html (docs/output-formats.md).
 *
 * Output discipline: every option, parameter file and parameter value is
 * checked before anything is written. Files are written under temporary
 * names in the output directory and renamed at the end, report.html last,
 * so a directory holding a report.html always holds a complete run; the
 * previous run's files are removed before a new run starts.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "cli_opts.h"
#include "cmdqv_sim/config.h"
#include "cmdqv_sim/status.h"
#include "compare_args.h"
#include "compare_calib.h"
#include "compare_render.h"
#include "compare_study.h"
#include "compare_summary.h"
#include "compare_timeline.h"
#include "compare_util.h"
#include "paths.h"
#include "tb_outfile.h"
#include "tb_trace.h"

#define CMP_TIMELINE_WINDOW SIM_MS(1)
#define CMP_PLOT_DIR "plots"

/*
 * The run's files, each written under a temporary name (tb_outfile.h) and
 * renamed at the end in this order: report.html last, so a directory with
 * a report.html holds one complete run.
 */
enum cmp_out {
	CMP_OUT_RECORD,
	CMP_OUT_TIMELINE,
	CMP_OUT_SAMPLES,
	CMP_OUT_SUMMARY,
	CMP_OUT_REPORT,
	CMP_NOUT
};
static const char *const cmp_dir_names[CMP_NOUT] = {
	[CMP_OUT_SAMPLES] = "samples.csv",
	[CMP_OUT_SUMMARY] = "summary.json",
	[CMP_OUT_REPORT] = "report.html",
};
static struct tb_outfile cmp_out[CMP_NOUT];

static const char *cmp_tmp(enum cmp_out i)
{
	return tb_outfile_name(&cmp_out[i]);
}

/* ---- running the points ---- */

/**
 * struct cmp_run - state of one compare run.
 * @o, @p:       options and effective parameters
 * @samples:     samples.csv being written (temporary name)
 * @tl:          timeline being written, or NULL
 * @tl_point:    the current point goes into the timeline (claim runs do not)
 * @points:      results, @npoints of them
 * @progress:    show progress on stderr
 * @index:       current point (0-based), @total points
 * @label:       current point's label
 * @rec:         --record: the recorder, opened at the first point's memory
 *               hook (NULL before, or when not recording)
 * @rec_point:   points recorded so far (the next phase id)
 * @rec_phase:   the next point's phase name
 * @rec_failed:  the recorder could not be opened (@rec_err says why)
 */
struct cmp_run {
	const struct cmp_opts *o;
	const struct cmp_params *p;
	FILE *samples;
	struct cmp_timeline *tl;
	bool tl_point;
	struct cmp_point_out *points;
	size_t npoints;
	bool progress;
	size_t index, total;
	char label[96];
	struct tb_recorder *rec;
	uint32_t rec_point;
	char rec_phase[TB_TRACE_NAME_MAX];
	bool rec_failed;
	char rec_err[1024];
};

static void cmp_on_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct cmp_run *r = ctx;

	if (!r->progress)
		return;
	fprintf(stderr, "\r%s: [%zu/%zu] %-32s %3u%%", cmp_prog, r->index + 1,
		r->total, r->label, total ? (unsigned)(done * 100 / total) : 0);
	fflush(stderr);
}

/* The progress line's end: cleared, the cursor at its start. */
static void cmp_progress_clear(void)
{
	fprintf(stderr, "\r%-78s\r", "");
}

/* The contention study is about to make its next run, @label. */
static void cmp_on_study_step(void *ctx, const char *label)
{
	struct cmp_run *r = ctx;

	r->index++;
	snprintf(r->label, sizeof(r->label), "%s", label);
	cmp_on_progress(r, 0, 1);
}

static void cmp_on_span(void *ctx, const char *track, const char *name,
			sim_time_t start, sim_time_t end)
{
	struct cmp_run *r = ctx;

	cmp_timeline_span(r->tl, track, name, start, end);
}

static void cmp_on_trace(void *ctx, const struct cmdqv_trace_rec *rec)
{
	struct cmp_run *r = ctx;

	if (r->tl_point)
		cmp_timeline_trace(r->tl, rec);
	if (r->rec)
		tb_recorder_trace(r->rec, rec);
}

/*
 * --record: a point's model and memory exist.  The first point opens the
 * recorder (platform line = its hardware); every later one starts with a
 * "reset" record carrying its platform, as `run --record` does between
 * scripts.  Each point then gets a phase marker (id = its place in the run,
 * name = rec_phase), so replay reports it as a phase.
 */
static void cmp_on_memory(void *ctx, struct tb_mem *mem,
			  const struct cmdqv_config *hw)
{
	struct cmp_run *r = ctx;

	if (r->rec_failed)
		return;
	if (!r->rec) {
		if (tb_recorder_open(&r->rec, cmp_tmp(CMP_OUT_RECORD), mem, hw,
				     r->rec_err, sizeof(r->rec_err))) {
			r->rec = NULL;
			r->rec_failed = true;
			return;
		}
	} else {
		tb_recorder_reset_platform(r->rec, mem, hw);
	}
	tb_recorder_set_source(r->rec, "marker");
	tb_recorder_phase(r->rec, r->rec_point++, r->rec_phase);
}

/* --record: the SOURCE of the next register accesses, "VM0/vCPU1" -> "VM0.vCPU1". */
static void cmp_on_access(void *ctx, const char *track)
{
	struct cmp_run *r = ctx;

	if (r->rec)
		tb_recorder_set_track(r->rec, track);
}

/* The observer of every point: progress, and the timeline / recorder when asked for. */
static struct wl_observer cmp_observer(struct cmp_run *r, bool timeline)
{
	struct wl_observer obs;

	memset(&obs, 0, sizeof(obs));
	obs.ctx = r;
	obs.progress = cmp_on_progress;
	r->tl_point = timeline && r->tl;
	if (r->tl_point) {
		obs.span = cmp_on_span;
		obs.trace = cmp_on_trace;
	}
	if (r->o->record) {
		obs.trace = cmp_on_trace;
		obs.memory = cmp_on_memory;
		obs.access = cmp_on_access;
	}
	return obs;
}

/* After a point: did --record keep up? Returns 0 or 2 (message printed). */
static int cmp_record_check(struct cmp_run *r)
{
	if (!r->rec_failed)
		return 0;
	if (r->progress)
		fputc('\n', stderr);
	fprintf(stderr, "%s: error: --record: %s\n", cmp_prog, r->rec_err);
	return 2;
}

/* ps as ns with three decimals, exactly. */
static void cmp_csv_ns(FILE *f, sim_time_t ps)
{
	fprintf(f, ",%" PRIu64 ".%03" PRIu64, ps / 1000u, ps % 1000u);
}

static void cmp_csv_header(FILE *f)
{
	fputs("path,threads,granule_pages,vm,thread,start_ns,latency_ns", f);
	for (int s = 0; s < WL_STAGE_COUNT; s++)
		fprintf(f, ",%s_ns", wl_stage_name((enum wl_stage)s));
	fputc('\n', f);
}

/*
 * One wl_run of @pt (grid point or claim-check run, named r->label): check
 * the recording, print the one error line if anything failed, and give the
 * unmap latencies in microseconds in a new array *@lat (the caller frees it
 * and @res).  Returns 0 or 2 (then nothing is left to free).
 */
static int cmp_run_wl(struct cmp_run *r, const struct wl_point *pt,
		      const struct wl_observer *obs, struct wl_result *res,
		      double **lat)
{
	char err[512] = "";
	int rc = wl_run(&r->p->hw, &r->p->sw, pt, obs, res, err, sizeof(err));

	if (rc == CMDQV_OK && cmp_record_check(r)) {
		wl_result_free(res);
		return 2;
	}
	if (rc != CMDQV_OK) {
		if (r->progress)
			fputc('\n', stderr);
		fprintf(stderr, "%s: error: %s: %s\n", cmp_prog, r->label,
			err[0] ? err : cmdqv_strerror(rc));
		return 2;
	}
	*lat = malloc((res->count ? res->count : 1) * sizeof(**lat));
	if (!*lat) {
		wl_result_free(res);
		fprintf(stderr, "%s: error: out of memory\n", cmp_prog);
		return 2;
	}
	for (size_t i = 0; i < res->count; i++)
		(*lat)[i] = (double)res->samples[i].latency / 1000.0;
	return 0;
}

/* Run one point, append its samples, fill r->points[r->npoints]. Returns 0 or 2. */
static int cmp_run_point(struct cmp_run *r, enum wl_path path, uint32_t threads,
			 uint32_t granule)
{
	struct wl_observer obs = cmp_observer(r, true);
	struct wl_point pt = r->o->point;
	struct wl_result res;
	struct cmp_point_out *out = &r->points[r->npoints];
	double sums[WL_STAGE_COUNT] = { 0 };
	double *lat;

	pt.path = path;
	pt.threads = threads;
	pt.granule_pages = granule;
	if (path == WL_PATH_HOST)
		pt.vms = 1; /* the host's own invalidations: no VM (paths.h) */
	snprintf(r->label, sizeof(r->label), "%s, %u thread%s, %u page%s",
		 wl_path_name(path), threads, threads == 1 ? "" : "s", granule,
		 granule == 1 ? "" : "s");
	if (r->tl)
		cmp_timeline_point(r->tl, r->label);
	snprintf(r->rec_phase, sizeof(r->rec_phase), "%s-t%u-g%u",
		 wl_path_name(path), threads, granule);
	cmp_on_progress(r, 0, 1);
	if (cmp_run_wl(r, &pt, &obs, &res, &lat))
		return 2;
	for (size_t i = 0; i < res.count; i++) {
		const struct wl_sample *s = &res.samples[i];

		fprintf(r->samples, "%s,%u,%u,%u,%u", wl_path_name(path),
			threads, granule, s->vm, s->thread);
		cmp_csv_ns(r->samples, s->start);
		cmp_csv_ns(r->samples, s->latency);
		for (int k = 0; k < WL_STAGE_COUNT; k++) {
			cmp_csv_ns(r->samples, s->stage[k]);
			sums[k] += (double)s->stage[k] / 1000.0;
		}
		fputc('\n', r->samples);
	}
	memset(out, 0, sizeof(*out));
	out->path = wl_path_name(path);
	out->threads = threads;
	out->vms = pt.vms;
	out->granule_pages = granule;
	cmp_stats_compute(lat, res.count, &out->unmap);
	for (int k = 0; k < WL_STAGE_COUNT && k < CMP_MAX_STAGES; k++)
		out->stage_mean[k] = res.count ? sums[k] / (double)res.count :
						 0.0;
	out->throughput = res.throughput;
	out->simulated_ns = (double)res.sim_time / 1000.0;
	out->start_ns = (double)res.t_start / 1000.0;
	out->commands = res.guest_cmds;
	out->host_commands = res.host_cmds;
	out->exits = res.exits;
	out->count.issues = res.issues;
	out->count.prod_writes = res.prod_writes;
	out->count.gathered = res.gathered;
	out->count.owner_waits = res.owner_waits;
	out->count.cas_retries = res.cas_retries;
	out->count.full_waits = res.full_waits;
	out->count.bql_sleeps = res.bql_sleeps;
	out->count.bql_wakes = res.bql_wakes;
	out->count.handover_moves = res.handover_moves;
	out->count.devlock_moves = res.devlock_moves;
	out->count.devlock_spins = res.devlock_spins;
	out->count.ats_queued = res.ats_queued;
	free(lat);
	r->npoints++;
	wl_result_free(&res);
	return 0;
}

/*
 * The contention claim check (compare_calib.h): host path at each thread
 * count of cmp_contention_threads, on the SMMU CMDQ and on all of VINTF0's
 * LVCMDQs; only the latency statistics are kept. Fills @rows. Returns 0 or 2.
 */
static int cmp_run_contention(struct cmp_run *r,
			      struct cmp_contention_row *rows, unsigned queues)
{
	struct wl_observer obs = cmp_observer(r, false);

	for (size_t i = 0; i < cmp_contention_nthreads; i++) {
		/* k: 0 SMMU CMDQ, 1 VINTF0; 2, 3 the same without ATS */
		for (int k = 0; k < (r->o->point.ats ? 4 : 2); k++) {
			struct wl_point pt = r->o->point;
			struct cmp_stats *const sts[] = {
				&rows[i].smmu, &rows[i].vintf0,
				&rows[i].smmu_noats, &rows[i].vintf0_noats
			};
			struct cmp_stats *st = sts[k];
			struct wl_result res;
			double *lat;

			pt.path = WL_PATH_HOST;
			pt.vms = 1;
			pt.host_background =
				0; /* the two queue set-ups alone */
			pt.threads = cmp_contention_threads[i];
			pt.granule_pages = cmp_contention_granule;
			pt.host_queues = k % 2 ? queues : 0;
			pt.ats = k < 2 && r->o->point.ats;
			rows[i].threads = pt.threads;
			rows[i].noats_run = k >= 2;
			snprintf(r->label, sizeof(r->label),
				 "claim: host, %s%s, %u thread%s",
				 k % 2 ? "VINTF0" : "SMMU CMDQ",
				 k >= 2 ? ", no ATS" : "", pt.threads,
				 pt.threads == 1 ? "" : "s");
			r->index = r->npoints; /* the step after the grid */
			snprintf(r->rec_phase, sizeof(r->rec_phase),
				 "claim-host-%s-t%u%s",
				 k % 2 ? "vintf0" : "smmu", pt.threads,
				 k >= 2 ? "-noats" : "");
			cmp_on_progress(r, 0, 1);
			if (cmp_run_wl(r, &pt, &obs, &res, &lat))
				return 2;
			cmp_stats_compute(lat, res.count, st);
			free(lat);
			wl_result_free(&res);
		}
	}
	return 0;
}

/* ---- output files ---- */

/* "@dir/@name" into @buf. */
static const char *cmp_join(char *buf, size_t len, const char *dir,
			    const char *name)
{
	snprintf(buf, len, "%s/%s", dir, name);
	return buf;
}

/* Begin output @i as @path (@what names it in the message). Returns 0 or 2. */
static int cmp_out_begin(enum cmp_out i, const char *path, const char *what)
{
	char err[TB_OUTFILE_PATH_MAX + 128];

	if (tb_outfile_begin(&cmp_out[i], path, err, sizeof(err))) {
		fprintf(stderr, "%s: error: %s%s\n", cmp_prog, what, err);
		return 2;
	}
	return 0;
}

static void cmp_remove_temps(void)
{
	for (int i = 0; i < CMP_NOUT; i++)
		tb_outfile_abort(&cmp_out[i]);
}

static int cmp_write_summary(const json_t *summary)
{
	if (json_dump_file(summary, cmp_tmp(CMP_OUT_SUMMARY), CMP_JSON_FLAGS)) {
		fprintf(stderr, "%s: error: cannot write %s\n", cmp_prog,
			cmp_tmp(CMP_OUT_SUMMARY));
		return 2;
	}
	return 0;
}

/* report.html from the (temporary) summary.json and samples.csv. */
static int cmp_write_report(const struct cmp_opts *o)
{
	char plots[4096], err[1024];

	cmp_join(plots, sizeof(plots), o->out, CMP_PLOT_DIR);
	if (cmp_render_report(cmp_tmp(CMP_OUT_SUMMARY),
			      cmp_tmp(CMP_OUT_SAMPLES), plots, CMP_PLOT_DIR,
			      cmp_tmp(CMP_OUT_REPORT), err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", cmp_prog, err);
		return 2;
	}
	return 0;
}

/* Rename every temporary file to its final name, report.html last. */
static int cmp_publish(void)
{
	char err[2 * TB_OUTFILE_PATH_MAX + 64];

	for (int i = 0; i < CMP_NOUT; i++)
		if (tb_outfile_commit(&cmp_out[i], err, sizeof(err))) {
			fprintf(stderr, "%s: error: %s\n", cmp_prog, err);
			return 2;
		}
	return 0;
}

/* Create the output directory and remove the previous run's results. */
static int cmp_prepare_out(const struct cmp_opts *o)
{
	char path[4096];

	/* each directory is named in its own message (the second path is not built yet
         * when the first fails) */
	if (cmp_mkdir_p(o->out)) {
		fprintf(stderr, "%s: error: cannot create %s: %s\n", cmp_prog,
			o->out, strerror(errno));
		return 2;
	}
	if (cmp_mkdir_p(cmp_join(path, sizeof(path), o->out, CMP_PLOT_DIR))) {
		fprintf(stderr, "%s: error: cannot create %s: %s\n", cmp_prog,
			path, strerror(errno));
		return 2;
	}
	for (int i = CMP_NOUT - 1; i >= CMP_OUT_SAMPLES; i--) {
		cmp_join(path, sizeof(path), o->out, cmp_dir_names[i]);
		if (remove(path) && errno != ENOENT) {
			fprintf(stderr,
				"%s: error: cannot remove the old %s: %s\n",
				cmp_prog, path, strerror(errno));
			return 2;
		}
	}
	return 0;
}

static int cmp_run_all(const struct cmp_opts *o, const struct cmp_params *p)
{
	struct cmp_run r = { .o = o, .p = p };
	struct cmp_contention_row *crows = NULL;
	unsigned cqueues =
		p->hw.cmdqv && p->hw.vintfs ? p->hw.vcmdqs / p->hw.vintfs : 0;
	const char *cskip = NULL;
	bool study = o->study && cqueues;
	struct cmp_named stages[WL_STAGE_COUNT];
	struct cmp_summary_in in;
	json_t *summary = NULL;
	char path[4096], err[1024];
	int rc = 0;

	r.total = o->npaths * o->nthreads * o->ngranules;
	r.progress = !o->quiet && isatty(STDERR_FILENO);
	r.points = calloc(r.total, sizeof(*r.points));
	crows = calloc(cmp_contention_nthreads, sizeof(*crows));
	/* the contention claim needs VINTF0's LVCMDQs (tegra241-cmdqv.c:
	 * tegra241_cmdqv_get_cmdq()) */
	if (!cqueues)
		cskip = "the hardware has no CMDQ-V (cmdqv=0)";
	if (!cskip)
		r.total++;
	/* the study's runs are steps of their own (it runs when the claim does) */
	if (study)
		r.total += cmp_study_runs();
	if (!r.points || !crows) {
		free(r.points);
		free(crows);
		fprintf(stderr, "%s: error: out of memory\n", cmp_prog);
		return 2;
	}
	/* The timeline and the recording first: a bad path must not cost the
	 * old results. */
	if (o->timeline) {
		if ((rc = cmp_out_begin(CMP_OUT_TIMELINE, o->timeline,
					"--timeline: ")))
			goto out;
		r.tl = cmp_timeline_open(cmp_tmp(CMP_OUT_TIMELINE),
					 CMP_TIMELINE_WINDOW, err, sizeof(err));
		if (!r.tl) {
			fprintf(stderr, "%s: error: --timeline: %s\n", cmp_prog,
				err);
			rc = 2;
			goto out;
		}
	}
	if (o->record &&
	    (rc = cmp_out_begin(CMP_OUT_RECORD, o->record, "--record: ")))
		goto out;
	if ((rc = cmp_prepare_out(o)))
		goto out;
	for (int i = CMP_OUT_SAMPLES; i <= CMP_OUT_REPORT; i++)
		if ((rc = cmp_out_begin(i,
					cmp_join(path, sizeof(path), o->out,
						 cmp_dir_names[i]),
					"")))
			goto out;
	r.samples = fopen(cmp_tmp(CMP_OUT_SAMPLES), "w");
	if (!r.samples) {
		fprintf(stderr, "%s: error: cannot write %s: %s\n", cmp_prog,
			cmp_tmp(CMP_OUT_SAMPLES), strerror(errno));
		rc = 2;
		goto out;
	}
	cmp_csv_header(r.samples);
	for (size_t a = 0; a < o->npaths && !rc; a++)
		for (size_t t = 0; t < o->nthreads && !rc; t++)
			for (size_t g = 0; g < o->ngranules && !rc; g++) {
				r.index = r.npoints;
				rc = cmp_run_point(&r, o->paths[a],
						   o->threads[t],
						   o->granules[g]);
			}
	if (!rc && !cskip)
		rc = cmp_run_contention(&r, crows, cqueues);
	if (r.progress && (rc || !study))
		cmp_progress_clear();
	if (rc)
		goto out;
	if (fclose(r.samples)) {
		r.samples = NULL;
		fprintf(stderr, "%s: error: cannot write samples.csv\n",
			cmp_prog);
		rc = 2;
		goto out;
	}
	r.samples = NULL;
	if (o->record) {
		rc = r.rec ? tb_recorder_close(r.rec, err, sizeof(err)) :
			     CMDQV_EIO;
		if (!r.rec)
			snprintf(err, sizeof(err),
				 "error: no point was recorded");
		r.rec = NULL;
		if (rc) {
			fprintf(stderr, "%s: --record: %s\n", cmp_prog, err);
			rc = 2;
			goto out;
		}
	}
	if (r.tl) {
		rc = cmp_timeline_close(r.tl, err, sizeof(err));
		r.tl = NULL;
		if (rc) {
			fprintf(stderr, "%s: %s\n", cmp_prog, err);
			rc = 2;
			goto out;
		}
	}
	for (int s = 0; s < WL_STAGE_COUNT; s++) {
		stages[s].name = wl_stage_name((enum wl_stage)s);
		stages[s].description = wl_stage_desc((enum wl_stage)s);
	}
	in.workload = cmp_workload_json(o);
	in.parameters = cmp_parameters_json(p);
	in.stages = stages;
	in.nstages = WL_STAGE_COUNT;
	in.paths_info = cmp_path_info;
	in.npaths_info = cmp_npath_info;
	in.points = r.points;
	in.npoints = r.npoints;
	in.contention = crows;
	in.ncontention = cskip ? 0 : cmp_contention_nthreads;
	in.contention_queues = cqueues;
	in.contention_granule = cmp_contention_granule;
	in.contention_skip = cskip;
	summary = cmp_summary_build(&in);
	json_decref(in.workload);
	json_decref(in.parameters);
	if (!summary) {
		fprintf(stderr, "%s: error: out of memory\n", cmp_prog);
		rc = 2;
		goto out;
	}
	/* contention study: sensitivity and scaling (compare_study.h); it
         * runs direct and eventfd, so it needs CMDQ-V like the claim check */
	if (study) {
		struct wl_observer sobs;
		struct cmp_study_hooks hooks = { cmp_on_study_step, &r, &sobs };
		json_t *st;

		/* progress only: the study is not in --timeline or --record */
		memset(&sobs, 0, sizeof(sobs));
		sobs.ctx = &r;
		sobs.progress = cmp_on_progress;
		st = cmp_study_run(&p->hw, &p->sw, &o->point, &hooks, err,
				   sizeof(err));
		if (r.progress && st)
			cmp_progress_clear();
		else if (r.progress)
			fputc('\n', stderr);
		if (!st) {
			fprintf(stderr, "%s: error: %s\n", cmp_prog, err);
			rc = 2;
			goto out;
		}
		json_object_set_new(summary, "contention_study", st);
	} else {
		json_object_set_new(summary, "contention_study", json_null());
	}
	rc = cmp_write_summary(summary);
	if (!rc)
		rc = cmp_write_report(o);
	if (!rc)
		rc = cmp_publish();
	if (!rc && !o->quiet) {
		printf("%s: %zu point%s; wrote %s/summary.json, %s/samples.csv\n",
		       cmp_prog, r.npoints, r.npoints == 1 ? "" : "s", o->out,
		       o->out);
		printf("report: %s/report.html\n", o->out);
	}
out:
	if (r.samples)
		fclose(r.samples);
	if (r.tl)
		cmp_timeline_close(r.tl, err, sizeof(err));
	if (r.rec)
		tb_recorder_close(r.rec, err, sizeof(err));
	if (rc)
		cmp_remove_temps();
	json_decref(summary);
	free(r.points);
	free(crows);
	return rc;
}

/*
 * Before the output directory is touched: one iteration of every grid point,
 * so that a point the hardware cannot host (e.g. --ats on with --set ats=0,
 * the direct path with cmdqv=0, too few VINTFs for --vms) is refused with the
 * workload's own reason instead of failing after the old results are gone.
 */
static int cmp_preflight(const struct cmp_opts *o, const struct cmp_params *p)
{
	char err[512];

	for (size_t a = 0; a < o->npaths; a++)
		for (size_t t = 0; t < o->nthreads; t++)
			for (size_t g = 0; g < o->ngranules; g++) {
				struct wl_point pt = o->point;
				struct wl_result res;

				pt.path = o->paths[a];
				pt.threads = o->threads[t];
				pt.granule_pages = o->granules[g];
				if (pt.path == WL_PATH_HOST)
					pt.vms = 1; /* as cmp_run_point */
				pt.iterations = 1;
				if (wl_run(&p->hw, &p->sw, &pt, NULL, &res, err,
					   sizeof(err))) {
					fprintf(stderr,
						"%s: error: %s, %u thread%s, %u page%s: %s\n",
						cmp_prog, wl_path_name(pt.path),
						pt.threads,
						pt.threads == 1 ? "" : "s",
						pt.granule_pages,
						pt.granule_pages == 1 ? "" :
									"s",
						err);
					return 2;
				}
				wl_result_free(&res);
			}
	return 0;
}

/*
 * --driver linux: Linux's driver is GPL-2.0 and never linked into this
 * program; cmdqv-linux, built beside it in the build tree only, runs the
 * host path on it and on the built-in engine (docs/linux-driver.md).
 * Exec it from this program's directory with the same workload, or say in
 * one line why not.
 */
static int cmp_lx_fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: error: ", cmp_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 2;
}

static int cmp_exec_linux(const struct cmp_opts *o)
{
	static char num[6][32], list[2][CMP_MAX_LIST * 8], json[4096];
	char self[4096], prog[4200];
	const char *argv[32 + 2 * CMP_MAX_SETS];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;
	size_t k = 0;

	enum wl_path path = o->paths_set ? o->paths[0] : WL_PATH_HOST;

	if (o->paths_set && (o->npaths != 1 || path >= WL_PATH_COUNT))
		return cmp_lx_fail("--driver linux runs one path at a time: "
				   "--paths host, trap, eventfd or direct");
	if (o->nconfigs || o->timeline || o->record || o->study ||
	    o->point.duration || o->point.host_background || o->point.vms != 1)
		return cmp_lx_fail(
			"--driver linux takes the workload options and "
			"--set only (not --config, --timeline, --record, "
			"--study, --duration, --background, --vms)");
	if (n <= 0)
		return cmp_lx_fail("--driver linux: cannot find this program's "
				   "directory");
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (slash)
		*slash = '\0';
	snprintf(prog, sizeof(prog), "%s/cmdqv-linux", slash ? self : ".");
	if (access(prog, X_OK))
		return cmp_lx_fail(
			"--driver linux needs cmdqv-linux, the GPL-2.0 harness of "
			"Linux's own driver, which is built in the build tree only "
			"and not installed; there is none beside this program (%s): "
			"configure with the kernel source and build it "
			"(docs/linux-driver.md)",
			prog);
	if (mkdir(o->out, 0777) && errno != EEXIST)
		return cmp_lx_fail("--out: cannot create %s: %s", o->out,
				   strerror(errno));
	argv[k++] = prog;
	argv[k++] = "--compare-host";
	argv[k++] = "--path";
	argv[k++] = wl_path_name(path);
	for (int l = 0; l < 2; l++) {
		const uint32_t *v = l ? o->granules : o->threads;
		size_t nv = l ? o->ngranules : o->nthreads, len = 0;

		list[l][0] = '\0';
		for (size_t i = 0; i < nv; i++)
			len += (size_t)snprintf(list[l] + len,
						sizeof(list[l]) - len, "%s%u",
						i ? "," : "", v[i]);
		argv[k++] = l ? "--granules" : "--cpus";
		argv[k++] = list[l];
	}
	snprintf(num[0], sizeof(num[0]), "%" PRIu64, o->point.iterations);
	snprintf(num[1], sizeof(num[1]), "%u", o->point.host_queues);
	snprintf(num[2], sizeof(num[2]), "%" PRIu64, o->point.seed);
	argv[k++] = "--iterations";
	argv[k++] = num[0];
	argv[k++] = "--host-queues";
	argv[k++] = num[1];
	argv[k++] = "--seed";
	argv[k++] = num[2];
	argv[k++] = "--ats";
	argv[k++] = o->point.ats ? "on" : "off";
	argv[k++] = "--ril";
	argv[k++] = o->point.ril ? "on" : "off";
	for (size_t i = 0; i < o->nsets; i++) {
		argv[k++] = "--set";
		argv[k++] = o->sets[i];
	}
	snprintf(json, sizeof(json), "%s/linux-compare.json", o->out);
	argv[k++] = "--json";
	argv[k++] = json;
	if (o->quiet)
		argv[k++] = "--quiet";
	argv[k] = NULL;
	fflush(NULL);
	execv(prog, (char *const *)argv);
	return cmp_lx_fail("--driver linux: cannot run %s: %s", prog,
			   strerror(errno));
}

/*
 * No output may replace a --config file or another output: --timeline and
 * --record against each other, the --config files and what the run writes
 * into --out (its three files and plots/). Returns 0 or 2 (message printed).
 */
static int cmp_check_files(const struct cmp_opts *o)
{
	static char names[CMP_NOUT + 1][TB_OUTFILE_PATH_MAX];
	static const char *const opts[CMP_NOUT] = {
		[CMP_OUT_SAMPLES] = "--out's samples.csv",
		[CMP_OUT_SUMMARY] = "--out's summary.json",
		[CMP_OUT_REPORT] = "--out's report.html",
	};
	struct tb_outfile_use *u =
		calloc(o->nconfigs + CMP_NOUT + 1, sizeof(*u));
	size_t n = 0;
	int rc;

	if (!u) {
		fprintf(stderr, "%s: error: out of memory\n", cmp_prog);
		return 2;
	}
	u[n++] = (struct tb_outfile_use){ "--timeline", o->timeline, true,
					  false };
	u[n++] = (struct tb_outfile_use){ "--record", o->record, true, false };
	for (int i = CMP_OUT_SAMPLES; i <= CMP_OUT_REPORT; i++)
		u[n++] = (struct tb_outfile_use){
			opts[i],
			cmp_join(names[i], sizeof(names[i]), o->out,
				 cmp_dir_names[i]),
			true, false
		};
	u[n++] = (struct tb_outfile_use){ "--out's " CMP_PLOT_DIR "/",
					  cmp_join(names[CMP_NOUT],
						   sizeof(names[CMP_NOUT]),
						   o->out, CMP_PLOT_DIR),
					  true, true };
	for (size_t i = 0; i < o->nconfigs; i++)
		u[n++] = (struct tb_outfile_use){ "--config", o->configs[i],
						  false, false };
	rc = cli_check_files(cmp_prog, u, n);
	free(u);
	return rc;
}

int cli_compare(int argc, char **argv)
{
	struct cmp_opts o;
	struct cmp_params *p;
	char err[512];
	int rc;

	rc = cmp_parse_args(argc, argv, &o);
	if (rc)
		return rc == 1 ? 0 : rc;
	if ((rc = cmp_check_files(&o)))
		return rc;
	if (o.driver_linux)
		return cmp_exec_linux(&o);
	p = calloc(1, sizeof(*p));
	if (!p) {
		fprintf(stderr, "%s: error: out of memory\n", cmp_prog);
		return 2;
	}
	rc = cmp_load_params(&o, p);
	if (!rc && cmp_render_check(err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", cmp_prog, err);
		rc = 2;
	}
	if (!rc)
		rc = cmp_preflight(&o, p);
	if (!rc) {
		tb_outfile_catch_signals(
			"\ncmdqv-sim compare: interrupted; the run is incomplete, "
			"temporary files removed\n");
		rc = cmp_run_all(&o, p);
		tb_outfile_release_signals();
	}
	free(p);
	return rc;
}

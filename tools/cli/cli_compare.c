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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "cmdqv_sim/config.h"
#include "cmdqv_sim/status.h"
#include "compare_calib.h"
#include "compare_plot.h"
#include "compare_report.h"
#include "compare_summary.h"
#include "compare_timeline.h"
#include "compare_util.h"
#include "paths.h"
#include "tb_trace.h"

#define CMP_MAX_LIST 64
#define CMP_MAX_SETS 256
#define CMP_MAX_THREADS 64 /* the workload's limit (wl_run.c wl_check) */
/* dma_map_benchmark -g range
 * (tools/testing/selftests/dma/dma_map_benchmark.c) */
#define CMP_MAX_GRANULE 1024
#define CMP_MAX_VMS 63 /* 64 VINTFs, VINTF0 the host's (wl_run.c wl_check) */
#define CMP_MAX_ITERS 10000000 /* the workload's limit (wl_run.c wl_check) */
#define CMP_MAX_SAMPLES \
	50000000ull /* VMs x threads x iterations (wl_run.c wl_check) */
#define CMP_DEFAULT_ITERS 500
#define CMP_TIMELINE_WINDOW SIM_MS(1)
#define CMP_PLOT_DIR "plots"

static const char cmp_prog[] = "cmdqv-sim compare";

/* What each path is, for the report (DESIGN.md "Software stacks around it"). */
static const struct cmp_named cmp_path_info[] = {
	{ "trap",
	  "Nested SMMUv3 with an emulated (trapped) CMDQ: the guest's PROD write exits "
	  "to the VMM (QEMU), which reads the guest queue and issues one invalidation "
	  "ioctl per command; the host kernel validates it, rewrites VMID/SID and "
	  "submits it with a CMD_SYNC on the shared host SMMU CMDQ under its lock, "
	  "waits, returns; the VMM updates the emulated CONS and re-enters the guest. "
	  "One emulated queue and one VMM thread per VM (bypass_vcmdq=1 on Grace)." },
	{ "eventfd",
	  "Proposed alternative: the host kernel catches the guest's PROD store "
	  "(ioeventfd, no user-space exit) and a kernel thread per VM consumes the "
	  "guest queue asynchronously, submitting batches on the host SMMU CMDQ." },
	{ "direct",
	  "Tegra241 CMDQ-V: the guest writes its commands into its own LVCMDQ "
	  "(guest-owned VINTF), rings PROD through the mapped VINTF page and polls "
	  "CONS until its CMD_SYNC completes. No VM exit (bypass_vcmdq=0 on Grace)." },
	{ "host",
	  "The host kernel's own invalidations, on the SMMU CMDQ or spread over "
	  "VINTF0's LVCMDQs (cpu % n, the in-kernel use of CMDQ-V). No VM involved." },
};

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
};

/** struct cmp_params - every effective parameter: hardware and software. */
struct cmp_params {
	struct cmdqv_config hw;
	struct path_params sw;
};

static void cmp_usage(FILE *f)
{
	fprintf(f,
		"usage: cmdqv-sim compare [options] --out DIR\n"
		"\n"
		"Run the dma_map_benchmark workload (strict mode) over every path x threads x\n"
		"granule point and write DIR/report.html, DIR/summary.json, DIR/samples.csv\n"
		"and DIR/plots/ (gnuplot data and scripts). Defaults reproduce the measured\n"
		"table of NVIDIA HW QUEUE series cover letter, Msg-ID cover.1750966133.git.nicolinc@nvidia.com. Every run also checks the VINTF0 contention claim\n"
		"of Linux commit 918eb5c856f6: host path, SMMU CMDQ vs VINTF0's LVCMDQs, 1-16 threads.\n"
		"\n"
		"options:\n"
		"  --out DIR            output directory (created if missing) [required]\n"
		"  --paths LIST         paths, comma-separated, of direct, trap, host, eventfd\n"
		"                       [trap,eventfd,direct]\n"
		"  --threads LIST       benchmark threads (vCPUs) per VM, 1..64 [1,2]\n"
		"  --granules LIST      pages (4 KiB) per map/unmap, 1..1024 [1,4,16,32,64]\n"
		"  --ats on|off         the device has ATS: ATC_INV per unmap [on]\n"
		"  --ril on|off         range invalidation instead of one TLBI per page [off]\n"
		"  --vms N              VMs running the benchmark at once, 1..63 (host path: 1)\n"
		"                       [1]\n"
		"  --iterations N       unmaps per thread, 1..10000000 [%d]\n"
		"  --duration TIME      simulated time per point instead (e.g. 20ms); with\n"
		"                       --iterations, whichever ends first\n"
		"  --background RATE    host background invalidations per second [0]\n"
		"  --host-queues N      host path: 0 = SMMU CMDQ, N = VINTF0 LVCMDQs [0]\n"
		"  --seed N             seed for anything random [1]\n"
		"  --config FILE        parameter overrides, 'key = value' per line, '#'\n"
		"                       comments; hardware and path parameters (repeatable)\n"
		"  --set KEY=VALUE      one override, applied after --config (repeatable)\n"
		"  --timeline FILE      Chrome/Perfetto trace-event JSON of the first 1 ms of\n"
		"                       every point (actor stages and queue activity)\n"
		"  --record FILE        native trace (docs/trace-format.md; .gz compresses) of\n"
		"                       every point, claim-check runs included: each point a\n"
		"                       'reset' (all but the first) and a 'phase N NAME', then\n"
		"                       its register accesses and queue entries, ready for\n"
		"                       'cmdqv-sim replay'\n"
		"  --quiet              no progress and no final message\n"
		"  --help               this text\n"
		"\n"
		"'cmdqv-sim params' lists every parameter with unit, default and source.\n",
		CMP_DEFAULT_ITERS);
}

static int cmp_fail(const char *fmt, const char *a, const char *b)
{
	fprintf(stderr, "%s: error: ", cmp_prog);
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
	return 2;
}

/* Value of option @name: "--name=value" or the next argument. NULL if missing. */
static const char *cmp_optval(int argc, char **argv, int *i, const char *name)
{
	const char *a = argv[*i];
	size_t n = strlen(name);

	if (!strncmp(a, name, n) && a[n] == '=')
		return a + n + 1;
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

static bool cmp_is_opt(const char *arg, const char *name)
{
	size_t n = strlen(name);

	return !strncmp(arg, name, n) && (arg[n] == '\0' || arg[n] == '=');
}

static int cmp_parse_paths(struct cmp_opts *o, const char *text)
{
	char buf[256];
	char *save = NULL;

	if (strlen(text) >= sizeof(buf) || !*text)
		return cmp_fail("--paths: '%s' is not a list of paths%s", text,
				"");
	strcpy(buf, text);
	o->npaths = 0;
	for (char *tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		enum wl_path p;

		if (wl_path_parse(tok, &p))
			return cmp_fail(
				"--paths: unknown path '%s' (known: direct, trap, host, "
				"eventfd)%s",
				tok, "");
		for (size_t i = 0; i < o->npaths; i++)
			if (o->paths[i] == p)
				return cmp_fail(
					"--paths: '%s' is listed twice%s", tok,
					"");
		o->paths[o->npaths++] = p;
	}
	if (!o->npaths)
		return cmp_fail("--paths: '%s' is not a list of paths%s", text,
				"");
	return 0;
}

static int cmp_parse_count(const char *opt, const char *text, uint64_t lo,
			   uint64_t hi, uint64_t *out)
{
	char range[64];

	if (cmdqv_parse_u64(text, out) || *out < lo || *out > hi) {
		snprintf(range, sizeof(range), "%" PRIu64 "..%" PRIu64, lo, hi);
		fprintf(stderr, "%s: error: %s: '%s' is not a number in %s\n",
			cmp_prog, opt, text, range);
		return 2;
	}
	return 0;
}

/* Parse the command line into @o. Returns 0, 1 for --help, or 2 (message printed). */
static int cmp_parse_args(int argc, char **argv, struct cmp_opts *o)
{
	char err[256];
	int rc;

	memset(o, 0, sizeof(*o));
	wl_point_defaults(&o->point);
	o->point.iterations = CMP_DEFAULT_ITERS;
	o->point.ril = false;
	o->point.strict = true;
	o->point.vms = 1;
	o->paths[0] = WL_PATH_TRAP;
	o->paths[1] = WL_PATH_EVENTFD;
	o->paths[2] = WL_PATH_DIRECT;
	o->npaths = 3;
	o->threads[0] = 1;
	o->threads[1] = 2;
	o->nthreads = 2;
	{
		static const uint32_t g[] = { 1, 4, 16, 32, 64 };

		memcpy(o->granules, g, sizeof(g));
		o->ngranules = sizeof(g) / sizeof(g[0]);
	}
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = NULL;
		uint64_t n;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			cmp_usage(stdout);
			return 1;
		}
		if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
			o->quiet = true;
			continue;
		}
		if (strncmp(a, "--", 2))
			return cmp_fail(
				"unexpected argument '%s' (options start with --; see "
				"--help)%s",
				a, "");
		{
			static const char *const valued[] = {
				"--out",      "--paths",      "--threads",
				"--granules", "--ats",	      "--ril",
				"--vms",      "--iterations", "--duration",
				"--seed",     "--config",     "--set",
				"--timeline", "--background", "--host-queues",
				"--record"
			};
			const char *name = NULL;

			for (size_t k = 0;
			     k < sizeof(valued) / sizeof(valued[0]); k++)
				if (cmp_is_opt(a, valued[k]))
					name = valued[k];
			if (!name)
				return cmp_fail(
					"unknown option '%s' (see --help)%s", a,
					"");
			v = cmp_optval(argc, argv, &i, name);
			if (!v)
				return cmp_fail("%s needs a value%s", name, "");
			a = name;
		}
		if (!strcmp(a, "--out")) {
			if (!*v)
				return cmp_fail(
					"--out: empty directory name%s%s", "",
					"");
			o->out = v;
		} else if (!strcmp(a, "--paths")) {
			if ((rc = cmp_parse_paths(o, v)))
				return rc;
		} else if (!strcmp(a, "--threads")) {
			if (cmp_parse_u32_list(v, 1, CMP_MAX_THREADS,
					       o->threads, CMP_MAX_LIST,
					       &o->nthreads, err, sizeof(err)))
				return cmp_fail("--threads: %s%s", err, "");
		} else if (!strcmp(a, "--granules")) {
			if (cmp_parse_u32_list(v, 1, CMP_MAX_GRANULE,
					       o->granules, CMP_MAX_LIST,
					       &o->ngranules, err, sizeof(err)))
				return cmp_fail("--granules: %s%s", err, "");
		} else if (!strcmp(a, "--ats")) {
			if (cmp_parse_onoff(v, &o->point.ats))
				return cmp_fail(
					"--ats: expected on or off, got '%s'%s",
					v, "");
		} else if (!strcmp(a, "--ril")) {
			if (cmp_parse_onoff(v, &o->point.ril))
				return cmp_fail(
					"--ril: expected on or off, got '%s'%s",
					v, "");
		} else if (!strcmp(a, "--vms")) {
			if ((rc = cmp_parse_count(a, v, 1, CMP_MAX_VMS, &n)))
				return rc;
			o->point.vms = (uint32_t)n;
		} else if (!strcmp(a, "--iterations")) {
			if ((rc = cmp_parse_count(a, v, 1, CMP_MAX_ITERS, &n)))
				return rc;
			o->point.iterations = n;
		} else if (!strcmp(a, "--duration")) {
			sim_time_t t;

			if (cmdqv_parse_time(v, NULL, &t) || t == 0)
				return cmp_fail(
					"--duration: '%s' is not a time such as 20ms or "
					"1.5s%s",
					v, "");
			o->point.duration = t;
		} else if (!strcmp(a, "--seed")) {
			if ((rc = cmp_parse_count(a, v, 0, UINT64_MAX, &n)))
				return rc;
			o->point.seed = n;
		} else if (!strcmp(a, "--background")) {
			if ((rc = cmp_parse_count(a, v, 0, UINT32_MAX, &n)))
				return rc;
			o->point.host_background = n;
		} else if (!strcmp(a, "--host-queues")) {
			if ((rc = cmp_parse_count(a, v, 0, CMP_MAX_LIST, &n)))
				return rc;
			o->point.host_queues = (uint32_t)n;
		} else if (!strcmp(a, "--config")) {
			if (o->nconfigs == CMP_MAX_SETS)
				return cmp_fail("too many --config options%s%s",
						"", "");
			o->configs[o->nconfigs++] = v;
		} else if (!strcmp(a, "--set")) {
			if (o->nsets == CMP_MAX_SETS)
				return cmp_fail("too many --set options%s%s",
						"", "");
			o->sets[o->nsets++] = v;
		} else if (!strcmp(a, "--timeline")) {
			if (!*v)
				return cmp_fail(
					"--timeline: empty file name%s%s", "",
					"");
			o->timeline = v;
		} else if (!strcmp(a, "--record")) {
			if (!*v)
				return cmp_fail("--record: empty file name%s%s",
						"", "");
			o->record = v;
		}
	}
	if (!o->out)
		return cmp_fail("--out DIR is required (see --help)%s%s", "",
				"");
	/* A directory cannot take the place of a file at the final rename. */
	const char *const files[] = { o->timeline, o->record };
	const char *const names[] = { "--timeline", "--record" };
	for (int i = 0; i < 2; i++) {
		struct stat st;

		if (files[i] && !stat(files[i], &st) && S_ISDIR(st.st_mode))
			return cmp_fail("%s: %s is a directory", names[i],
					files[i]);
	}
	/* Checked here, not by the first point that fails after the output
         * directory has been emptied. */
	for (size_t i = 0; i < o->nthreads; i++)
		if ((uint64_t)o->point.vms * o->threads[i] *
			    o->point.iterations >
		    CMP_MAX_SAMPLES)
			return cmp_fail(
				"--vms x --threads x --iterations: more than %s samples "
				"per point%s",
				"50000000", "");
	return 0;
}

/* cmp_conf_fn: a path parameter, else a hardware parameter. */
static int cmp_apply_param(void *ctx, const char *key, const char *value,
			   char *err, size_t errlen)
{
	struct cmp_params *p = ctx;
	int rc = wl_params_set(&p->sw, key, value, err, errlen);

	if (rc == CMDQV_EKEY) {
		rc = cmdqv_config_set(&p->hw, key, value, err, errlen);
		if (rc == CMDQV_EKEY)
			snprintf(
				err, errlen,
				"unknown parameter '%s' ('cmdqv-sim params' lists them)",
				key);
	}
	return rc == CMDQV_OK ? 0 : -1;
}

/* Build the effective parameters from defaults, --config files and --set. */
static int cmp_load_params(const struct cmp_opts *o, struct cmp_params *p)
{
	char err[1024], why[512];

	cmdqv_config_defaults(&p->hw);
	wl_params_defaults(&p->sw);
	for (size_t i = 0; i < o->nconfigs; i++) {
		if (cmp_conf_load(o->configs[i], cmp_apply_param, p, err,
				  sizeof(err))) {
			fprintf(stderr, "%s\n", err);
			return 2;
		}
	}
	for (size_t i = 0; i < o->nsets; i++) {
		char kv[512];
		char *eq;

		if (strlen(o->sets[i]) >= sizeof(kv) ||
		    !(eq = strchr(o->sets[i], '=')) || eq == o->sets[i])
			return cmp_fail("--set: expected KEY=VALUE, got '%s'%s",
					o->sets[i], "");
		strcpy(kv, o->sets[i]);
		kv[eq - o->sets[i]] = '\0';
		why[0] = '\0';
		if (cmp_apply_param(p, kv, kv + (eq - o->sets[i]) + 1, why,
				    sizeof(why)))
			return cmp_fail("--set %s: %s", o->sets[i], why);
	}
	why[0] = '\0';
	if (cmdqv_config_validate(&p->hw, why, sizeof(why)) != CMDQV_OK)
		return cmp_fail("hardware parameters: %s%s", why, "");
	if (wl_params_validate(&p->sw, why, sizeof(why)) != CMDQV_OK)
		return cmp_fail("path parameters: %s%s", why, "");
	return 0;
}

/* ---- parameters as JSON ---- */

/* One parameter as {"value", "unit", "source", "description"}; TIME in its own unit. */
static json_t *cmp_param_json(const struct cmdqv_param_info *info, uint64_t raw)
{
	json_t *o = json_object();
	json_t *v;

	if (info->kind == CMDQV_PARAM_BOOL) {
		v = json_boolean(raw != 0);
	} else if (info->kind == CMDQV_PARAM_U32) {
		v = json_integer((json_int_t)raw);
	} else {
		char one[32];
		sim_time_t scale = 1;

		snprintf(one, sizeof(one), "1%s", info->unit);
		if (cmdqv_parse_time(one, NULL, &scale) || !scale)
			scale = 1;
		if (raw % scale == 0)
			v = json_integer((json_int_t)(raw / scale));
		else
			v = json_real((double)raw / (double)scale);
	}
	json_object_set_new(o, "value", v);
	json_object_set_new(o, "unit", json_string(info->unit));
	json_object_set_new(o, "source", json_string(info->source));
	json_object_set_new(o, "description", json_string(info->description));
	return o;
}

static json_t *cmp_parameters_json(const struct cmp_params *p)
{
	json_t *root = json_object();
	json_t *hw = json_object();
	json_t *sw = json_object();
	size_t i = 0;
	uint64_t hwv[sizeof(struct cmdqv_config) / sizeof(bool)];
	uint64_t swv[sizeof(struct path_params) / sizeof(bool)];

#define X(key, kind, unit, def, src, doc) hwv[i++] = (uint64_t)p->hw.key;
#include "cmdqv_sim/params.def"
#undef X
	for (size_t k = 0; k < cmdqv_param_count() && k < i; k++)
		json_object_set_new(hw, cmdqv_param_info(k)->key,
				    cmp_param_json(cmdqv_param_info(k),
						   hwv[k]));
	i = 0;
#define X(key, kind, unit, def, src, doc) swv[i++] = (uint64_t)p->sw.key;
#include "path_params.def"
#undef X
	for (size_t k = 0; k < wl_param_count() && k < i; k++)
		json_object_set_new(sw, wl_param_info(k)->key,
				    cmp_param_json(wl_param_info(k), swv[k]));
	json_object_set_new(root, "paths", sw);
	json_object_set_new(root, "hardware", hw);
	return root;
}

static json_t *cmp_workload_json(const struct cmp_opts *o)
{
	json_t *w = json_object();
	json_t *a;

	a = json_array();
	for (size_t i = 0; i < o->npaths; i++)
		json_array_append_new(a,
				      json_string(wl_path_name(o->paths[i])));
	json_object_set_new(w, "paths", a);
	a = json_array();
	for (size_t i = 0; i < o->nthreads; i++)
		json_array_append_new(a, json_integer(o->threads[i]));
	json_object_set_new(w, "threads", a);
	a = json_array();
	for (size_t i = 0; i < o->ngranules; i++)
		json_array_append_new(a, json_integer(o->granules[i]));
	json_object_set_new(w, "granules", a);
	json_object_set_new(w, "page_bytes", json_integer(4096));
	json_object_set_new(w, "strict", json_boolean(o->point.strict));
	json_object_set_new(w, "ats", json_boolean(o->point.ats));
	json_object_set_new(w, "ril", json_boolean(o->point.ril));
	json_object_set_new(w, "vms", json_integer(o->point.vms));
	json_object_set_new(w, "iterations",
			    json_integer((json_int_t)o->point.iterations));
	json_object_set_new(
		w, "duration_ns",
		o->point.duration ?
			json_integer((json_int_t)(o->point.duration / 1000u)) :
			json_null());
	json_object_set_new(w, "host_background_per_s",
			    json_integer((json_int_t)o->point.host_background));
	json_object_set_new(w, "host_queues",
			    json_integer(o->point.host_queues));
	json_object_set_new(w, "seed", json_integer((json_int_t)o->point.seed));
	return w;
}

/* ---- running the points ---- */

/**
 * struct cmp_run - state of one compare run.
 * @o, @p:       options and effective parameters
 * @samples:     samples.csv being written (temporary name)
 * @tl:          timeline being written, or NULL
 * @tl_point:    the current point goes into the timeline (claim runs do not)
 * @points:      results, @npoints of them
 * @sorted:      per point, its latencies in ns, ascending
 * @progress:    show progress on stderr
 * @index:       current point (0-based), @total points
 * @label:       current point's label
 * @rec:         --record: the recorder, opened at the first point's memory
 *               hook (NULL before, or when not recording)
 * @rec_tmp:     the recording's temporary name (renamed at the end)
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
	double **sorted;
	size_t npoints;
	bool progress;
	size_t index, total;
	char label[96];
	struct tb_recorder *rec;
	char rec_tmp[4096];
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
		if (tb_recorder_open(&r->rec, r->rec_tmp, mem, hw, r->rec_err,
				     sizeof(r->rec_err))) {
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
	char src[TB_TRACE_NAME_MAX];
	size_t i;

	if (!r->rec)
		return;
	for (i = 0; track[i] && i + 1 < sizeof(src); i++)
		src[i] = track[i] == '/' ? '.' : track[i];
	src[i] = '\0';
	tb_recorder_set_source(r->rec, src);
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
	r->sorted[r->npoints] = lat;
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
			r->index = r->total - 1;
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

static const char *const cmp_final_names[] = { "samples.csv", "summary.json",
					       "report.html" };
static const char *const cmp_temp_names[] = { ".samples.csv.tmp",
					      ".summary.json.tmp",
					      ".report.html.tmp" };
#define CMP_NFILES 3

/*
 * --record FILE is written as FILE.tmp (FILE without ".gz" + ".tmp.gz" for a
 * compressed one: the writer compresses by the name) and renamed at the end.
 */
static const char *cmp_record_tmp(char *buf, size_t len, const char *record)
{
	size_t n = strlen(record);

	if (n > 3 && !strcmp(record + n - 3, ".gz"))
		snprintf(buf, len, "%.*s.tmp.gz", (int)(n - 3), record);
	else
		snprintf(buf, len, "%s.tmp", record);
	return buf;
}

static void cmp_remove_temps(const struct cmp_opts *o)
{
	char path[4096];

	if (o->record)
		remove(cmp_record_tmp(path, sizeof(path), o->record));
	for (int i = 0; i < CMP_NFILES; i++)
		remove(cmp_join(path, sizeof(path), o->out, cmp_temp_names[i]));
	if (o->timeline) {
		snprintf(path, sizeof(path), "%s.tmp", o->timeline);
		remove(path);
	}
}

/*
 * Ctrl-C / SIGTERM during a run: the temporary files are removed and one line
 * says the run did not complete, then the signal's default action ends the
 * process (exit status 128 + signal in a shell).  The paths are computed
 * before the handler is installed: only unlink() and write(), both
 * async-signal-safe, run in the handler.
 */
#define CMP_NTEMPS (CMP_NFILES + 2)
static char cmp_sig_temps[CMP_NTEMPS][4096];

static void cmp_on_signal(int sig)
{
	static const char msg[] =
		"\ncmdqv-sim compare: interrupted; the run is incomplete, "
		"temporary files removed\n";

	for (int i = 0; i < CMP_NTEMPS; i++)
		if (cmp_sig_temps[i][0])
			unlink(cmp_sig_temps[i]);
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0) {
		/* nothing more can be done */
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void cmp_catch_signals(const struct cmp_opts *o)
{
	memset(cmp_sig_temps, 0, sizeof(cmp_sig_temps));
	for (int i = 0; i < CMP_NFILES; i++)
		cmp_join(cmp_sig_temps[i], sizeof(cmp_sig_temps[i]), o->out,
			 cmp_temp_names[i]);
	if (o->record)
		cmp_record_tmp(cmp_sig_temps[CMP_NFILES],
			       sizeof(cmp_sig_temps[0]), o->record);
	if (o->timeline)
		snprintf(cmp_sig_temps[CMP_NFILES + 1],
			 sizeof(cmp_sig_temps[0]), "%s.tmp", o->timeline);
	signal(SIGINT, cmp_on_signal);
	signal(SIGTERM, cmp_on_signal);
}

static int cmp_write_summary(const struct cmp_opts *o, const json_t *summary)
{
	char path[4096];

	cmp_join(path, sizeof(path), o->out, cmp_temp_names[1]);
	if (json_dump_file(summary, path, CMP_JSON_FLAGS)) {
		fprintf(stderr, "%s: error: cannot write %s\n", cmp_prog, path);
		return 2;
	}
	return 0;
}

static int cmp_write_report(const struct cmp_opts *o, struct cmp_run *r,
			    const json_t *summary)
{
	char path[4096], plots[4096], err[1024];
	size_t *counts = calloc(r->npoints ? r->npoints : 1, sizeof(*counts));
	struct cmp_report_in in;
	FILE *f;
	int rc = 0;

	if (!counts) {
		fprintf(stderr, "%s: error: out of memory\n", cmp_prog);
		return 2;
	}
	for (size_t i = 0; i < r->npoints; i++)
		counts[i] = r->points[i].unmap.count;
	cmp_join(plots, sizeof(plots), o->out, CMP_PLOT_DIR);
	in.summary = summary;
	in.sorted = (const double *const *)r->sorted;
	in.counts = counts;
	in.plot_dir = plots;
	in.plot_dir_rel = CMP_PLOT_DIR;
	cmp_join(path, sizeof(path), o->out, cmp_temp_names[2]);
	f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "%s: error: cannot write %s: %s\n", cmp_prog,
			path, strerror(errno));
		free(counts);
		return 2;
	}
	if (cmp_report_write(f, &in, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", cmp_prog, err);
		rc = 2;
	}
	if (fclose(f) && !rc) {
		fprintf(stderr, "%s: error: cannot write %s\n", cmp_prog, path);
		rc = 2;
	}
	free(counts);
	return rc;
}

/* Rename every temporary file to its final name, report.html last. */
static int cmp_publish(const struct cmp_opts *o)
{
	char from[4096], to[4096];

	if (o->record &&
	    rename(cmp_record_tmp(from, sizeof(from), o->record), o->record)) {
		fprintf(stderr, "%s: error: cannot rename %s: %s\n", cmp_prog,
			from, strerror(errno));
		return 2;
	}
	if (o->timeline) {
		snprintf(from, sizeof(from), "%s.tmp", o->timeline);
		if (rename(from, o->timeline)) {
			fprintf(stderr, "%s: error: cannot rename %s: %s\n",
				cmp_prog, from, strerror(errno));
			return 2;
		}
	}
	for (int i = 0; i < CMP_NFILES; i++) {
		cmp_join(from, sizeof(from), o->out, cmp_temp_names[i]);
		cmp_join(to, sizeof(to), o->out, cmp_final_names[i]);
		if (rename(from, to)) {
			fprintf(stderr, "%s: error: cannot rename %s: %s\n",
				cmp_prog, from, strerror(errno));
			return 2;
		}
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
	for (int i = CMP_NFILES - 1; i >= 0; i--) {
		cmp_join(path, sizeof(path), o->out, cmp_final_names[i]);
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
	struct cmp_named stages[WL_STAGE_COUNT];
	struct cmp_summary_in in;
	json_t *summary = NULL;
	char path[4096], err[1024];
	int rc = 0;

	r.total = o->npaths * o->nthreads * o->ngranules;
	r.progress = !o->quiet && isatty(STDERR_FILENO);
	r.points = calloc(r.total, sizeof(*r.points));
	r.sorted = calloc(r.total, sizeof(*r.sorted));
	crows = calloc(cmp_contention_nthreads, sizeof(*crows));
	/* the contention claim needs VINTF0's LVCMDQs (tegra241-cmdqv.c:
	 * tegra241_cmdqv_get_cmdq()) */
	if (!cqueues)
		cskip = "the hardware has no CMDQ-V (cmdqv=0)";
	if (!cskip)
		r.total++;
	if (!r.points || !r.sorted || !crows) {
		free(r.points);
		free(r.sorted);
		free(crows);
		fprintf(stderr, "%s: error: out of memory\n", cmp_prog);
		return 2;
	}
	/* The timeline first: a bad --timeline path must not cost the old results. */
	if (o->timeline) {
		snprintf(path, sizeof(path), "%s.tmp", o->timeline);
		r.tl = cmp_timeline_open(path, CMP_TIMELINE_WINDOW, err,
					 sizeof(err));
		if (!r.tl) {
			fprintf(stderr, "%s: error: --timeline: %s\n", cmp_prog,
				err);
			rc = 2;
			goto out;
		}
	}
	/* Likewise the recording: check that it can be written before anything runs. */
	if (o->record) {
		FILE *f = fopen(cmp_record_tmp(r.rec_tmp, sizeof(r.rec_tmp),
					       o->record),
				"w");

		if (!f) {
			fprintf(stderr,
				"%s: error: --record: cannot write %s: %s\n",
				cmp_prog, r.rec_tmp, strerror(errno));
			rc = 2;
			goto out;
		}
		fclose(f);
	}
	if ((rc = cmp_prepare_out(o)))
		goto out;
	r.samples = fopen(
		cmp_join(path, sizeof(path), o->out, cmp_temp_names[0]), "w");
	if (!r.samples) {
		fprintf(stderr, "%s: error: cannot write %s: %s\n", cmp_prog,
			path, strerror(errno));
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
	if (r.progress)
		fprintf(stderr, "\r%-78s\r", "");
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
	in.npaths_info = sizeof(cmp_path_info) / sizeof(cmp_path_info[0]);
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
	rc = cmp_write_summary(o, summary);
	if (!rc)
		rc = cmp_write_report(o, &r, summary);
	if (!rc)
		rc = cmp_publish(o);
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
		cmp_remove_temps(o);
	json_decref(summary);
	for (size_t i = 0; i < r.npoints; i++)
		free(r.sorted[i]);
	free(r.sorted);
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

int cli_compare(int argc, char **argv)
{
	struct cmp_opts o;
	struct cmp_params *p;
	char err[512];
	int rc;

	rc = cmp_parse_args(argc, argv, &o);
	if (rc)
		return rc == 1 ? 0 : rc;
	p = calloc(1, sizeof(*p));
	if (!p) {
		fprintf(stderr, "%s: error: out of memory\n", cmp_prog);
		return 2;
	}
	rc = cmp_load_params(&o, p);
	if (!rc && cmp_gnuplot_check(err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", cmp_prog, err);
		rc = 2;
	}
	if (!rc)
		rc = cmp_preflight(&o, p);
	if (!rc) {
		cmp_catch_signals(&o);
		rc = cmp_run_all(&o, p);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
	}
	free(p);
	return rc;
}

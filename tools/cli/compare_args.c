/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * compare_args.c - the `compare` verb's command line and parameters (see
 * compare_args.h). Every option, parameter file and parameter value is
 * checked here, before the output directory is touched.
 */
#define _POSIX_C_SOURCE 200809L
#include "compare_args.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_opts.h"
#include "cmdqv_sim/status.h"
#include "compare_util.h"
#include "tb_util.h"

const char cmp_prog[] = "cmdqv-sim compare";

/* What each path is, for the report (docs/timing-model.md section 3). */
const struct cmp_named cmp_path_info[] = {
	{ "trap",
	  "Nested SMMUv3 with an emulated (trapped) CMDQ: the guest's PROD write exits "
	  "to the VMM (QEMU): the vCPU's own thread takes the VM's big QEMU lock "
	  "(BQL), reads the guest queue and issues one invalidation ioctl per command; "
	  "the host kernel validates it, rewrites VMID/SID and submits it with a "
	  "CMD_SYNC on the shared host SMMU CMDQ (Linux's multi-CPU queue protocol), "
	  "waits, returns; QEMU updates the emulated CONS, drops the BQL and the vCPU "
	  "re-enters the guest. Every CONS read is trapped too. One emulated queue "
	  "and one BQL per VM (bypass_vcmdq=1 on Grace)." },
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
const size_t cmp_npath_info = sizeof(cmp_path_info) / sizeof(cmp_path_info[0]);

static void cmp_usage(FILE *f)
{
	fprintf(f,
		"usage: cmdqv-sim compare [options] --out DIR\n"
		"\n"
		"Run the dma_map_benchmark workload (strict mode) over every path x threads x\n"
		"granule point and write DIR/report.html, DIR/summary.json, DIR/samples.csv\n"
		"and DIR/plots/ (gnuplot data and scripts). Defaults reproduce the measured\n"
		"table of the NVIDIA HW QUEUE series cover letter (Msg-ID\n"
		"cover.1750966133.git.nicolinc@nvidia.com). Every run also checks the\n"
		"VINTF0 contention claim of Linux commit 918eb5c856f6: host path, SMMU CMDQ\n"
		"vs VINTF0's LVCMDQs, 1-16 threads.\n"
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
		"  --background RATE    host background invalidations per second,\n"
		"                       0..100000000 [0]\n"
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
		"  --study              also run the contention study (`make run` does): the\n"
		"                       sensitivity of the measured cells to each contention\n"
		"                       parameter and the scaling to 64 vCPUs and 16 VMs\n"
		"                       (summary.json contention_study, docs/timing-model.md)\n"
		"  --driver builtin|linux\n"
		"                       linux: one path (--paths host, trap, eventfd or\n"
		"                       direct; host if left out) on Linux's own SMMUv3\n"
		"                       driver (the guest paths on a guest instance of it)\n"
		"                       beside the built-in engine; GPL-2.0, so not in this\n"
		"                       program: runs cmdqv-linux --compare-host from the\n"
		"                       same bin directory and writes DIR/linux-compare.json\n"
		"                       [builtin]\n"
		"  -q, --quiet          no progress and no final message\n"
		"  -h, --help           this text\n"
		"\n"
		"exit status: 0 done, 2 usage error, bad parameters or a failed run.\n"
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

/* Option @a's value @v, a @what name, into *@out; an empty one is refused. */
static int cmp_parse_name(const char *a, const char *v, const char *what,
			  const char **out)
{
	if (!*v)
		return cmp_fail("%s: empty %s name", a, what);
	*out = v;
	return 0;
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
int cmp_parse_args(int argc, char **argv, struct cmp_opts *o)
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
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "study", no_argument, NULL, 'S' },
		{ "out", required_argument, NULL, 0 },
		{ "paths", required_argument, NULL, 0 },
		{ "threads", required_argument, NULL, 0 },
		{ "granules", required_argument, NULL, 0 },
		{ "ats", required_argument, NULL, 0 },
		{ "ril", required_argument, NULL, 0 },
		{ "vms", required_argument, NULL, 0 },
		{ "iterations", required_argument, NULL, 0 },
		{ "duration", required_argument, NULL, 0 },
		{ "seed", required_argument, NULL, 0 },
		{ "config", required_argument, NULL, 0 },
		{ "set", required_argument, NULL, 0 },
		{ "timeline", required_argument, NULL, 0 },
		{ "background", required_argument, NULL, 0 },
		{ "host-queues", required_argument, NULL, 0 },
		{ "record", required_argument, NULL, 0 },
		{ "driver", required_argument, NULL, 0 },
		{ NULL, 0, NULL, 0 },
	};
	int c, li;

	/* The valued options (val 0) come back as 0 with their index in
	 * longopts; the chain below goes by the option's name. */
	while ((c = cli_getopt(cmp_prog, argc, argv, ":hq", longopts, &li)) !=
	       -1) {
		char a[32];
		const char *v = optarg;
		uint64_t n;

		if (c == 'h') {
			cmp_usage(stdout);
			return 1;
		}
		if (c == 'q') {
			o->quiet = true;
			continue;
		}
		if (c == 'S') {
			o->study = true;
			continue;
		}
		if (c != 0)
			return 2;
		snprintf(a, sizeof(a), "--%s", longopts[li].name);
		if (!strcmp(a, "--out")) {
			if ((rc = cmp_parse_name(a, v, "directory", &o->out)))
				return rc;
		} else if (!strcmp(a, "--paths")) {
			if ((rc = cmp_parse_paths(o, v)))
				return rc;
			o->paths_set = true;
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
			if ((rc = cmp_parse_count(a, v, 0, CMP_MAX_BACKGROUND,
						  &n)))
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
			if ((rc = cmp_parse_name(a, v, "file", &o->timeline)))
				return rc;
		} else if (!strcmp(a, "--driver")) {
			if (!strcmp(v, "linux"))
				o->driver_linux = true;
			else if (strcmp(v, "builtin"))
				return cmp_fail(
					"--driver: expected builtin or linux, got "
					"'%s'%s",
					v, "");
		} else if (!strcmp(a, "--record")) {
			if ((rc = cmp_parse_name(a, v, "file", &o->record)))
				return rc;
		}
	}
	if (optind < argc)
		return cmp_fail(
			"unexpected argument '%s' (options start with --; see "
			"--help)%s",
			argv[optind], "");
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

/* Where a parameter got its value: a line of a --config file or a --set. */
struct cmp_origin {
	char key[64];
	const char *file; /* NULL for a --set */
	unsigned line;
	const char *set; /* the --set argument */
};

/* cmp_load_params() state: the parameters and where each was set last. */
struct cmp_load {
	struct cmp_params *p;
	const char *file; /* the --config file being read */
	struct cmp_origin origin[128];
	size_t norigin;
};

static void cmp_note_origin(struct cmp_load *l, const char *key,
			    const char *file, unsigned line, const char *set)
{
	struct cmp_origin *o = NULL;

	if (strlen(key) >= sizeof(o->key))
		return;
	for (size_t i = 0; i < l->norigin && !o; i++)
		if (!strcmp(l->origin[i].key, key))
			o = &l->origin[i];
	if (!o) {
		if (l->norigin == sizeof(l->origin) / sizeof(l->origin[0]))
			return;
		o = &l->origin[l->norigin++];
		strcpy(o->key, key);
	}
	o->file = file;
	o->line = line;
	o->set = set;
}

/* A path parameter, else a hardware parameter. */
static int cmp_apply_param(struct cmp_params *p, const char *key,
			   const char *value, char *err, size_t errlen)
{
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

/* cmp_conf_fn: one line of a --config file. */
static int cmp_apply_line(void *ctx, unsigned line, const char *key,
			  const char *value, char *err, size_t errlen)
{
	struct cmp_load *l = ctx;

	if (cmp_apply_param(l->p, key, value, err, errlen))
		return -1;
	cmp_note_origin(l, key, l->file, line, NULL);
	return 0;
}

/* A combination that does not validate: the reason @why starts with the
 * parameter it names ("vcmdqs: ..."); point at the line or --set that set
 * it last, as for a single bad value. */
static int cmp_invalid(const struct cmp_load *l, const char *what,
		       const char *why)
{
	size_t klen = strcspn(why, ":");

	for (size_t i = 0; i < l->norigin; i++) {
		const struct cmp_origin *o = &l->origin[i];
		char raw[1024], msg[1024];

		if (strlen(o->key) != klen || strncmp(o->key, why, klen))
			continue;
		if (!o->file)
			return cmp_fail("--set %s: %s", o->set, why);
		/* the path may hold any byte: escape it as cmp_conf_load does */
		snprintf(raw, sizeof(raw), "%s:%u: error: %s", o->file, o->line,
			 why);
		tb_msg_escape(msg, sizeof(msg), raw);
		fprintf(stderr, "%s\n", msg);
		return 2;
	}
	return cmp_fail("%s: %s", what, why);
}

/* Build the effective parameters from defaults, --config files and --set. */
int cmp_load_params(const struct cmp_opts *o, struct cmp_params *p)
{
	struct cmp_load l = { .p = p };
	char err[1024], why[512];

	cmdqv_config_defaults(&p->hw);
	wl_params_defaults(&p->sw);
	for (size_t i = 0; i < o->nconfigs; i++) {
		l.file = o->configs[i];
		if (cmp_conf_load(o->configs[i], cmp_apply_line, &l, err,
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
		cmp_note_origin(&l, kv, NULL, 0, o->sets[i]);
	}
	why[0] = '\0';
	if (cmdqv_config_validate(&p->hw, why, sizeof(why)) != CMDQV_OK)
		return cmp_invalid(&l, "hardware parameters", why);
	if (wl_params_validate(&p->sw, why, sizeof(why)) != CMDQV_OK)
		return cmp_invalid(&l, "path parameters", why);
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

json_t *cmp_parameters_json(const struct cmp_params *p)
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

json_t *cmp_workload_json(const struct cmp_opts *o)
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

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lx_compare.c - `cmdqv-linux --compare-host`: a path of `cmdqv-sim
 * compare` (host, or with --path the guest paths trap and direct) run twice
 * on the same model parameters, once through Linux's own
 * arm_smmu_cmdq_issue_cmdlist() on simulated CPUs (lx_hostwl.c, and the
 * guest instance: guest/lx_guestwl.c) and once through the built-in
 * re-implementation of it (testbench/paths, wl_cmdq.c, wl_actor.c), with
 * the submission counters and latency distributions side
 * by side: a text table on stdout and, with --json FILE, the same numbers
 * as JSON.  Deterministic: the same arguments give byte-identical output.
 * docs/linux-driver.md, "The built-in submission model against the real
 * one".
 */
#include "lx_compare.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdqv_sim/config.h"
#include "cmdqv_sim/status.h"
#include "lx.h"
#include "lx_vmm.h"
#include "paths.h"

#define LXC_MAX_LIST 16
#define LXC_MAX_SETS 64

struct lxc_opts {
	uint32_t cpus[LXC_MAX_LIST];
	size_t ncpus;
	uint32_t granules[LXC_MAX_LIST];
	size_t ngranules;
	struct wl_point pt;
	const char *sets[LXC_MAX_SETS];
	size_t nsets;
	const char *json;
	bool quiet;
};

struct lxc_point {
	uint32_t cpus, granule;
	struct lx_cmp_side lx, bi;
};

void lx_compare_usage(FILE *f, const char *lead)
{
	fprintf(f,
		"%scmdqv-linux --compare-host [--path host|trap|eventfd|direct]"
		" [--cpus LIST]\n"
		"                   [--granules LIST] [--iterations N] [--ats on|off]"
		" [--ril on|off]\n"
		"                   [--host-queues N] [--seed N] [--set KEY=VALUE]..."
		" [--json FILE]\n"
		"                   [--quiet]\n",
		lead);
}

/* A bad command line: one line, exit status 2. */
static int lxc_usage(const char *why)
{
	fprintf(stderr, "cmdqv-linux --compare-host: error: %s (see --help)\n",
		why);
	return 2;
}

static int lxc_list(const char *opt, const char *v, uint32_t lo, uint32_t hi,
		    uint32_t *out, size_t *n)
{
	char buf[256], *save = NULL, *tok;

	*n = 0;
	if (!v || strlen(v) >= sizeof(buf) || !*v)
		goto bad;
	strcpy(buf, v);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		uint64_t x;

		if (cmdqv_parse_u64(tok, &x) || x < lo || x > hi ||
		    *n == LXC_MAX_LIST)
			goto bad;
		out[(*n)++] = (uint32_t)x;
	}
	if (*n)
		return 0;
bad:
	fprintf(stderr,
		"cmdqv-linux --compare-host: %s: expected a list of at most %d "
		"numbers %u..%u, got '%s'\n",
		opt, LXC_MAX_LIST, lo, hi, v ? v : "");
	return -1;
}

static int lxc_num(const char *opt, const char *v, uint64_t lo, uint64_t hi,
		   uint64_t *out)
{
	uint64_t x;

	/* cmdqv_parse_u64(): a value too large for 64 bits is an error */
	if (!v || cmdqv_parse_u64(v, &x) || x < lo || x > hi)
		goto bad;
	*out = x;
	return 0;
bad:
	fprintf(stderr,
		"cmdqv-linux --compare-host: %s: expected a number %llu..%llu, "
		"got '%s'\n",
		opt, (unsigned long long)lo, (unsigned long long)hi,
		v ? v : "");
	return -1;
}

static int lxc_onoff(const char *opt, const char *v, bool *out)
{
	if (v && !strcmp(v, "on"))
		*out = true;
	else if (v && !strcmp(v, "off"))
		*out = false;
	else {
		fprintf(stderr,
			"cmdqv-linux --compare-host: %s: expected on or off, "
			"got '%s'\n",
			opt, v ? v : "");
		return -1;
	}
	return 0;
}

static int lxc_parse(int argc, char **argv, struct lxc_opts *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	wl_point_defaults(&o->pt);
	o->pt.path = WL_PATH_HOST;
	o->pt.iterations = 500; /* compare's default (CMP_DEFAULT_ITERS) */
	{
		static const uint32_t c[] = { 1, 2, 4, 8, 16 };

		memcpy(o->cpus, c, sizeof(c));
		o->ncpus = sizeof(c) / sizeof(c[0]);
	}
	o->granules[0] = 1;
	o->ngranules = 1;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		uint64_t n;

		if (!strcmp(a, "--quiet")) {
			o->quiet = true;
			continue;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h"))
			return 1;
		if (!v && a[0] == '-') {
			fprintf(stderr,
				"cmdqv-linux --compare-host: error: %s needs a "
				"value (see --help)\n",
				a);
			return 2;
		}
		if (!v) {
			fprintf(stderr,
				"cmdqv-linux --compare-host: error: unexpected "
				"argument '%s' (see --help)\n",
				a);
			return 2;
		}
		i++;
		if (!strcmp(a, "--path")) {
			if (!strcmp(v, "host"))
				o->pt.path = WL_PATH_HOST;
			else if (!strcmp(v, "trap"))
				o->pt.path = WL_PATH_TRAP;
			else if (!strcmp(v, "direct"))
				o->pt.path = WL_PATH_DIRECT;
			else if (!strcmp(v, "eventfd"))
				o->pt.path = WL_PATH_EVENTFD;
			else {
				fprintf(stderr,
					"cmdqv-linux --compare-host: --path: "
					"expected host, trap, eventfd or direct, "
					"got "
					"'%s'\n",
					v);
				return 2;
			}
		} else if (!strcmp(a, "--cpus")) {
			if (lxc_list(a, v, 1, SIMCPU_MAX_CPUS, o->cpus,
				     &o->ncpus))
				return 2;
		} else if (!strcmp(a, "--granules")) {
			if (lxc_list(a, v, 1, 1024, o->granules, &o->ngranules))
				return 2;
		} else if (!strcmp(a, "--iterations")) {
			if (lxc_num(a, v, 1, 100000, &n))
				return 2;
			o->pt.iterations = n;
		} else if (!strcmp(a, "--ats")) {
			if (lxc_onoff(a, v, &o->pt.ats))
				return 2;
		} else if (!strcmp(a, "--ril")) {
			if (lxc_onoff(a, v, &o->pt.ril))
				return 2;
		} else if (!strcmp(a, "--host-queues")) {
			if (lxc_num(a, v, 0, 64, &n))
				return 2;
			o->pt.host_queues = (uint32_t)n;
		} else if (!strcmp(a, "--seed")) {
			if (lxc_num(a, v, 0, UINT64_MAX, &n))
				return 2;
			o->pt.seed = n;
		} else if (!strcmp(a, "--set")) {
			if (o->nsets == LXC_MAX_SETS)
				return lxc_usage("too many --set options");
			o->sets[o->nsets++] = v;
		} else if (!strcmp(a, "--json")) {
			if (!*v)
				return lxc_usage("--json: empty file name");
			o->json = v;
		} else {
			fprintf(stderr,
				"cmdqv-linux --compare-host: error: unknown option "
				"'%s' (see --help)\n",
				a);
			return 2;
		}
	}
	return 0;
}

/* Defaults, every --set (a path parameter, else a model parameter), then
 * what the point implies for the hardware. */
static int lxc_params(const struct lxc_opts *o, struct cmdqv_config *hw,
		      struct path_params *sw)
{
	char err[256];

	cmdqv_config_defaults(hw);
	wl_params_defaults(sw);
	for (size_t i = 0; i < o->nsets; i++) {
		const char *eq = strchr(o->sets[i], '=');
		char key[64];
		int r;

		if (!eq || eq == o->sets[i] ||
		    eq - o->sets[i] >= (long)sizeof(key))
			return lxc_usage("--set needs KEY=VALUE");
		memcpy(key, o->sets[i], (size_t)(eq - o->sets[i]));
		key[eq - o->sets[i]] = '\0';
		r = wl_params_set(sw, key, eq + 1, err, sizeof(err));
		if (r == CMDQV_EKEY)
			r = cmdqv_config_set(hw, key, eq + 1, err, sizeof(err));
		if (r != CMDQV_OK) {
			fprintf(stderr,
				"cmdqv-linux --compare-host: --set %s: %s\n",
				o->sets[i], err);
			return 2;
		}
	}
	if (lx_cmp_hw(hw, sw, &o->pt, err, sizeof(err)) != CMDQV_OK) {
		fprintf(stderr, "cmdqv-linux --compare-host: %s\n", err);
		return 2;
	}
	if (cmdqv_config_validate(hw, err, sizeof(err)) != CMDQV_OK ||
	    wl_params_validate(sw, err, sizeof(err)) != CMDQV_OK) {
		fprintf(stderr, "cmdqv-linux --compare-host: %s\n", err);
		return 2;
	}
	return 0;
}

/* ---- output ---- */

static void lxc_side_json(FILE *f, const char *name,
			  const struct lx_cmp_side *s, bool builtin, bool trap,
			  bool last)
{
	fprintf(f, "      \"%s\": {\n", name);
	fprintf(f, "        \"queue\": \"%s\",\n", s->queue);
	fprintf(f, "        \"issues\": %llu,\n",
		(unsigned long long)s->issues);
	fprintf(f, "        \"prod_writes\": %llu,\n",
		(unsigned long long)s->prod_writes);
	fprintf(f, "        \"prod_writing_issues\": %llu,\n",
		(unsigned long long)s->prod_issues);
	fprintf(f, "        \"gathered_issues\": %llu,\n",
		(unsigned long long)s->gathered);
	fprintf(f, "        \"failed_cmpxchg\": %llu,\n",
		(unsigned long long)s->cas_fails);
	if (trap)
		fprintf(f,
			"        \"trapped_accesses\": %llu,\n"
			"        \"ioctls\": %llu,\n"
			"        \"bql_sleeps\": %llu,\n"
			"        \"bql_wakes\": %llu,\n",
			(unsigned long long)s->exits,
			(unsigned long long)s->ioctls,
			(unsigned long long)s->bql_sleeps,
			(unsigned long long)s->bql_wakes);
	if (builtin) {
		fprintf(f, "        \"full_waits\": %llu,\n",
			(unsigned long long)s->full_waits);
		fprintf(f, "        \"owner_waits\": %llu,\n",
			(unsigned long long)s->owner_waits);
	} else {
		fprintf(f, "        \"failed_calls\": %llu,\n",
			(unsigned long long)s->failed);
	}
	fprintf(f,
		"        \"issue_latency_ns\": { \"mean\": %.1f, \"p50\": %.1f, "
		"\"p99\": %.1f, \"max\": %.1f },\n",
		s->iss_mean, s->iss_p50, s->iss_p99, s->iss_max);
	fprintf(f, "        \"issue_latency_histogram\": [");
	for (size_t b = 0; b < LX_CMP_NBINS; b++)
		fprintf(f, "%s%llu", b ? ", " : "",
			(unsigned long long)s->hist[b]);
	fprintf(f, "],\n");
	fprintf(f,
		"        \"unmap_latency_ns\": { \"mean\": %.1f, \"p50\": %.1f, "
		"\"p99\": %.1f },\n",
		s->unmap_mean, s->unmap_p50, s->unmap_p99);
	fprintf(f, "        \"unmaps_per_s\": %.0f\n", s->throughput);
	fprintf(f, "      }%s\n", last ? "" : ",");
}

static int lxc_json(const struct lxc_opts *o, const struct lxc_point *pts,
		    size_t n)
{
	FILE *f = fopen(o->json, "w");
	bool trap = o->pt.path == WL_PATH_TRAP;

	if (!f) {
		fprintf(stderr, "cmdqv-linux --compare-host: cannot write %s\n",
			o->json);
		return -1;
	}
	fprintf(f,
		"{\n  \"what\": \"%s path: Linux's "
		"arm_smmu_cmdq_issue_cmdlist() (linux%s) against the built-in "
		"engine (builtin, testbench/paths/wl_cmdq.c)\",\n",
		wl_path_name(o->pt.path),
		o->pt.path == WL_PATH_HOST ? "" : ", the guest instance");
	fprintf(f,
		"  \"workload\": { \"path\": \"%s\", \"iterations\": %llu, "
		"\"ats\": %s, \"ril\": %s, \"host_queues\": %u, \"seed\": "
		"%llu },\n",
		wl_path_name(o->pt.path), (unsigned long long)o->pt.iterations,
		o->pt.ats ? "true" : "false", o->pt.ril ? "true" : "false",
		o->pt.host_queues, (unsigned long long)o->pt.seed);
	fprintf(f, "  \"set\": [");
	for (size_t i = 0; i < o->nsets; i++) {
		fprintf(f, "%s\"", i ? ", " : "");
		for (const char *c = o->sets[i]; *c; c++)
			if (*c == '"' || *c == '\\')
				fprintf(f, "\\%c", *c);
			else if ((unsigned char)*c >= 0x20)
				fputc(*c, f);
		fputc('"', f);
	}
	fprintf(f, "],\n  \"histogram_edges_ns\": [");
	for (size_t b = 0; b < LX_CMP_NBINS; b++)
		fprintf(f, "%s%u", b ? ", " : "", lx_cmp_edges_ns[b]);
	fprintf(f, "],\n  \"points\": [\n");
	for (size_t i = 0; i < n; i++) {
		fprintf(f,
			"    {\n      \"cpus\": %u,\n      \"granule\": %u,\n",
			pts[i].cpus, pts[i].granule);
		lxc_side_json(f, "linux", &pts[i].lx, false, trap, false);
		lxc_side_json(f, "builtin", &pts[i].bi, true, trap, true);
		fprintf(f, "    }%s\n", i + 1 < n ? "," : "");
	}
	fprintf(f, "  ]\n}\n");
	return fclose(f) ? -1 : 0;
}

static void lxc_row(uint32_t cpus, const char *eng, const struct lx_cmp_side *s)
{
	printf("%4u  %-7s %7llu %7llu %8llu %8llu  %7.0f %7.0f %7.0f  %7.0f "
	       "%7.0f %7.0f\n",
	       cpus, eng, (unsigned long long)s->issues,
	       (unsigned long long)s->prod_writes,
	       (unsigned long long)s->gathered,
	       (unsigned long long)s->cas_fails, s->iss_mean, s->iss_p50,
	       s->iss_p99, s->unmap_mean, s->unmap_p50, s->unmap_p99);
}

static void lxc_table(const struct lxc_opts *o, const struct lxc_point *pts,
		      size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!i || pts[i].granule != pts[i - 1].granule) {
			printf("%s%s path, %u page(s) per unmap, ATS %s, RIL "
			       "%s, %llu unmaps per CPU, %s\n",
			       i ? "\n" : "", wl_path_name(o->pt.path),
			       pts[i].granule, o->pt.ats ? "on" : "off",
			       o->pt.ril ? "on" : "off",
			       (unsigned long long)o->pt.iterations,
			       pts[i].lx.queue);
			printf("cpus  engine   issues    PROD gathered  cmpxchg  "
			       "---- issue (ns) -----  ---- unmap (ns) -----\n");
			printf("                                          fails  "
			       "   mean     p50     p99     mean     p50     "
			       "p99\n");
		}
		lxc_row(pts[i].cpus, "linux", &pts[i].lx);
		lxc_row(pts[i].cpus, "builtin", &pts[i].bi);
		if (o->pt.path == WL_PATH_TRAP)
			printf("      trapped accesses %llu / %llu, ioctls %llu "
			       "/ %llu, BQL sleeps %llu / %llu (linux / "
			       "builtin)\n",
			       (unsigned long long)pts[i].lx.exits,
			       (unsigned long long)pts[i].bi.exits,
			       (unsigned long long)pts[i].lx.ioctls,
			       (unsigned long long)pts[i].bi.ioctls,
			       (unsigned long long)pts[i].lx.bql_sleeps,
			       (unsigned long long)pts[i].bi.bql_sleeps);
	}
}

int lx_compare_host(int argc, char **argv)
{
	struct lxc_opts o;
	struct cmdqv_config hw;
	struct path_params sw;
	struct lxc_point *pts;
	char err[256];
	size_t n = 0;
	int rc = lxc_parse(argc, argv, &o);

	if (rc == 1) { /* --help */
		lx_compare_usage(stdout, "usage: ");
		fputs("\nThe host path (or --path's guest path) on Linux's driver "
		      "and on the\nbuilt-in engine side by side "
		      "(docs/linux-driver.md).\n"
		      "exit status: 0 done, 1 a run or a driver call failed, 2 "
		      "bad arguments.\n",
		      stdout);
		return 0;
	}
	if (rc)
		return rc;
	if ((rc = lxc_params(&o, &hw, &sw)))
		return rc;
	pts = calloc(o.ncpus * o.ngranules, sizeof(*pts));
	if (!pts)
		return 1;
	for (size_t g = 0; g < o.ngranules; g++) {
		for (size_t c = 0; c < o.ncpus; c++) {
			struct lxc_point *p = &pts[n++];
			struct wl_point pt = o.pt;

			pt.threads = o.cpus[c];
			pt.granule_pages = o.granules[g];
			p->cpus = pt.threads;
			p->granule = pt.granule_pages;
			if (!o.quiet)
				fprintf(stderr,
					"cmdqv-linux --compare-host: %u CPUs, "
					"%u page(s)\n",
					pt.threads, pt.granule_pages);
			if ((pt.path == WL_PATH_HOST ?
				     lx_cmp_point(&hw, &sw, &pt, &p->lx, &p->bi,
						  err, sizeof(err)) :
				     lx_cmp_guest_point(
					     &hw, &sw, &pt, &p->lx, &p->bi, err,
					     sizeof(err))) != CMDQV_OK) {
				fprintf(stderr,
					"cmdqv-linux --compare-host: %s\n",
					err);
				free(pts);
				return 1;
			}
			if (p->lx.failed) {
				fprintf(stderr,
					"cmdqv-linux --compare-host: %llu "
					"driver calls failed\n",
					(unsigned long long)p->lx.failed);
				rc = 1;
			}
		}
	}
	lxc_table(&o, pts, n);
	if (o.json && lxc_json(&o, pts, n))
		rc = 1;
	free(pts);
	return rc;
}

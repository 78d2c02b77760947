/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cli_bench.c - `cmdqv-sim bench`: simulated commands per host second.
 *
 * A long TLBI_NH_VA + CMD_SYNC stream (N TLBIs then one SYNC, like a Linux
 * strict-mode unmap batch) is kept flowing through
 *   smmu     the SMMU CMDQ alone;
 *   vcmdq16  16 VCMDQs of VINTF0 (hypervisor-owned), the stream spread
 *            round-robin over them, all contending for the one processor.
 * The host side (writing commands into memory, PROD writes, CONS checks) is
 * included in the measured time, so the figure is end to end.  The model has
 * no trace observer (as in a production run without --record).
 * Figures for this machine are in docs/performance.md.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime(CLOCK_MONOTONIC) */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cli_opts.h"
#include "cmdqv_sim/config.h"
#include "cmdqv_sim/status.h"
#include "tb_harness.h"

#define BENCH_QBASE UINT64_C(0x10000000)
#define BENCH_LOG2SIZE 12 /* 4096 entries per queue */
#define BENCH_CHUNK SIM_US(20)
#define BENCH_PATTERNS 256 /* distinct TLBI_NH_VA commands cycled through */
/* --commands: about two minutes per case at ~9 M commands per second
 * (docs/performance.md) */
#define BENCH_MAX_COMMANDS UINT64_C(1000000000)

/** struct bench_result - one case's figures. */
struct bench_result {
	uint64_t commands;
	double host_s; /* wall clock */
	double cpu_s; /* process CPU time (the machine may be shared) */
	sim_time_t sim_ps;
	uint64_t events;
};

static double bench_clock(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint32_t bench_used(struct tb_harness *h, size_t qi, int q)
{
	struct cmdqv_queue_state st;

	cmdqv_queue_get(tb_harness_model(h), qi, &st);
	return (tb_harness_sw_prod(h, q) - st.cons) &
	       ((2u << BENCH_LOG2SIZE) - 1);
}

/* Run one case: @nvq == 0 uses the SMMU CMDQ, else VCMDQs 0..nvq-1. */
static int bench_case(unsigned nvq, uint64_t total, unsigned per_sync,
		      struct bench_result *res)
{
	struct cmdqv_config cfg;
	struct tb_harness *h;
	unsigned nq = nvq ? nvq : 1, group = per_sync + 1;
	uint32_t entries = 1u << BENCH_LOG2SIZE;
	uint64_t issued = 0, done = 0;
	uint64_t pat[BENCH_PATTERNS][2], sync[2], (*grp)[2];
	double t0, c0;
	int rc;

	/* Commands are encoded once: the host side should cost little next
         * to the model. */
	tb_bench_cmds(BENCH_PATTERNS, pat, sync);
	cmdqv_config_defaults(&cfg);
	if (nvq)
		cfg.vintfs = cfg.vcmdqs / 16; /* 16 LVCMDQs per VINTF */
	h = calloc(1, sizeof(*h));
	grp = calloc(group, sizeof(*grp));
	if (!h || !grp) {
		free(h);
		free(grp);
		return CMDQV_ENOMEM;
	}
	rc = tb_harness_init_untraced(h, &cfg);
	if (rc != CMDQV_OK) {
		free(h);
		free(grp);
		return rc;
	}
	if (!tb_harness_smmu_up(h, BENCH_QBASE, BENCH_LOG2SIZE, true) ||
	    (nvq && !tb_harness_vintf_up(h, 0, true, 0, 0, nvq,
					 BENCH_QBASE + ((uint64_t)16
							<< BENCH_LOG2SIZE),
					 BENCH_LOG2SIZE))) {
		tb_harness_deinit(h);
		free(h);
		free(grp);
		return CMDQV_ESTATE;
	}
	t0 = bench_clock(CLOCK_MONOTONIC);
	c0 = bench_clock(CLOCK_PROCESS_CPUTIME_ID);
	sim_time_t s0 = cmdqv_now(tb_harness_model(h));
	uint64_t e0 = cmdqv_model_kernel(tb_harness_model(h))->dispatched;
	while (done < total) {
		done = 0;
		for (unsigned i = 0; i < nq; i++) {
			int q = nvq ? (int)i : TB_HQ_SMMU;
			size_t qi = nvq ? i + 1 : 0;
			bool pushed = false;

			while (issued < total &&
			       entries - bench_used(h, qi, q) >= group) {
				for (unsigned c = 0; c < per_sync; c++)
					tb_harness_push_raw(
						h, q,
						pat[(issued + c) %
						    BENCH_PATTERNS]);
				tb_harness_push_raw(h, q, sync);
				issued += group;
				pushed = true;
			}
			if (pushed)
				tb_harness_publish(h, q);
		}
		tb_harness_run(h, BENCH_CHUNK);
		for (unsigned i = 0; i < nq; i++)
			done += bench_used(h, nvq ? i + 1 : 0,
					   nvq ? (int)i : TB_HQ_SMMU);
		done = issued - done; /* consumed = issued - still queued */
	}
	res->host_s = bench_clock(CLOCK_MONOTONIC) - t0;
	res->cpu_s = bench_clock(CLOCK_PROCESS_CPUTIME_ID) - c0;
	res->commands = done;
	res->sim_ps = cmdqv_now(tb_harness_model(h)) - s0;
	res->events = cmdqv_model_kernel(tb_harness_model(h))->dispatched - e0;
	tb_harness_deinit(h);
	free(h);
	free(grp);
	return CMDQV_OK;
}

static void bench_usage(FILE *f)
{
	fprintf(f,
		"usage: cmdqv-sim bench [--commands N] [--per-sync N] [--case smmu|vcmdq16|all]\n"
		"\n"
		"Simulated commands per host second for a TLBI_NH_VA + CMD_SYNC stream on\n"
		"the SMMU CMDQ (case smmu) and spread over 16 VCMDQs (case vcmdq16).\n"
		"\n"
		"options:\n"
		"  --commands N   commands per case, 1..1000000000 [4000000]\n"
		"  --per-sync N   TLBI_NH_VA commands per CMD_SYNC, 0..1000 [31]\n"
		"  --case C       smmu, vcmdq16 or all [all]\n"
		"  -h, --help     this text\n"
		"\n"
		"exit status: 0 done, 2 usage error or a case that failed.\n"
		"Figures and method: docs/performance.md.\n");
}

/*
 * Option @opt's value @v, a number in @min..@max (decimal or 0x hex;
 * cmdqv_parse_u64(): one past UINT64_MAX is an error, not UINT64_MAX),
 * into *@out. 0, or -1 after the one error line.
 */
static int bench_parse_u64(const char *opt, const char *v, uint64_t min,
			   uint64_t max, uint64_t *out)
{
	uint64_t x;

	if (cmdqv_parse_u64(v, &x) || x < min || x > max) {
		fprintf(stderr,
			"cmdqv-sim bench: error: %s: expected a number %" PRIu64
			"..%" PRIu64 ", got '%s'\n",
			opt, min, max, v);
		return -1;
	}
	*out = x;
	return 0;
}

struct bench_opts {
	uint64_t total, per_sync;
	const char *which;
};

static int bench_option(void *ctx, int c, const char *arg)
{
	struct bench_opts *o = ctx;

	switch (c) {
	case 'n':
		return bench_parse_u64("--commands", arg, 1, BENCH_MAX_COMMANDS,
				       &o->total) ?
			       2 :
			       0;
	case 's':
		return bench_parse_u64("--per-sync", arg, 0, 1000,
				       &o->per_sync) ?
			       2 :
			       0;
	default: /* 'c' */
		o->which = arg;
		if (strcmp(arg, "all") && strcmp(arg, "smmu") &&
		    strcmp(arg, "vcmdq16")) {
			fprintf(stderr,
				"cmdqv-sim bench: error: --case: expected smmu, "
				"vcmdq16 or all, got '%s'\n",
				arg);
			return 2;
		}
		return 0;
	}
}

static const struct cli_verb bench_verb = {
	"cmdqv-sim bench", ":h",	 "commands=n per-sync=s case=c",
	bench_usage,	   bench_option, NULL,
};

int cli_bench(int argc, char **argv)
{
	struct bench_opts o = { 4000000, 31, "all" };
	static const struct {
		const char *name;
		unsigned nvq;
	} cases[] = { { "smmu", 0 }, { "vcmdq16", 16 } };
	int rc = cli_verb_parse(&bench_verb, &o, argc, argv, NULL);

	if (rc >= 0)
		return rc;

	printf("# cmdqv-sim bench: TLBI_NH_VA x %" PRIu64
	       " + CMD_SYNC(CS=NONE) stream, "
	       "%" PRIu64 " commands per case\n",
	       o.per_sync, o.total);
	printf("%-8s %6s %10s %8s %8s %11s %11s %11s %10s\n", "case", "queues",
	       "commands", "wall_s", "cpu_s", "Mcmd/s_wall", "Mcmd/s_cpu",
	       "sim_us", "events/cmd");
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct bench_result r;

		if (strcmp(o.which, "all") && strcmp(o.which, cases[c].name))
			continue;
		rc = bench_case(cases[c].nvq, o.total, (unsigned)o.per_sync,
				&r);
		if (rc != CMDQV_OK) {
			fprintf(stderr, "cmdqv-sim bench: error: case %s: %s\n",
				cases[c].name, cmdqv_strerror(rc));
			return 2;
		}
		printf("%-8s %6u %10" PRIu64
		       " %8.3f %8.3f %11.2f %11.2f %11.1f %10.2f\n",
		       cases[c].name, cases[c].nvq ? cases[c].nvq : 1,
		       r.commands, r.host_s, r.cpu_s,
		       r.host_s > 0 ? (double)r.commands / r.host_s / 1e6 : 0.0,
		       r.cpu_s > 0 ? (double)r.commands / r.cpu_s / 1e6 : 0.0,
		       (double)r.sim_ps / 1e6,
		       r.commands ? (double)r.events / r.commands : 0.0);
		fflush(stdout);
	}
	return 0;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmdqv-linux - run Linux's arm-smmu-v3 + tegra241-cmdqv drivers (built
 * from the kernel tree given at configure time) on the model and report
 * what they did: the probe log, the queues, the commands, the errors and
 * the latency of every issue.  A GPL-2.0 combined work: it lives in the
 * build directory and is never installed (docs/linux-driver.md).
 *
 *   cmdqv-linux [--cpus N] [--no-cmdqv] [--scenario NAME] [--iters N]
 *               [--batch N] [--seed S] [--config KEY=VALUE]... [--quiet]
 * scenarios: probe, issue (default), ill-smmu, ill-vcmdq, atc-timeout,
 *            remove, vmm (7.x: iommufd VINTF/LVCMDQ/vdevice, then a guest
 *            TLBI + ATC_INV through its VINTF page)
 *   cmdqv-linux --compare-host [...]   the host path on the driver and on
 *            the built-in engine side by side (lx_compare.c)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdqv_sim/config.h"
#include "drv/lx_drv.h"
#include "lx.h"
#include "lx_compare.h"
#include "lx_vmm.h"
#include "tb_outfile.h"

static const uint64_t ill_cmds[4] = { 0x0, 0x0, 0x46, 0x0 };

static void usage(FILE *f)
{
	fprintf(f,
		"usage: cmdqv-linux [--cpus N] [--no-cmdqv] [--scenario "
		"probe|issue|ill-smmu|ill-vcmdq|atc-timeout|remove|vmm|guest]\n"
		"                   [--iters N] [--batch N] [--seed S] "
		"[--config KEY=VALUE]... [--quiet]\n");
	lx_compare_usage(f, "       ");
	fprintf(f,
		"\n"
		"Linux's arm-smmu-v3 + tegra241-cmdqv drivers on the model: probe, "
		"run the\n"
		"scenario and report (docs/linux-driver.md); --compare-host runs "
		"a path on\n"
		"the driver and on the built-in engine side by side.\n"
		"  -h, --help   this text\n"
		"\n"
		"exit status: 0 done, 1 the driver or a check failed, 2 bad "
		"arguments.\n");
}

/* A bad command line: one line, exit status 2. */
static int bad_usage(const char *why)
{
	fprintf(stderr, "cmdqv-linux: error: %s (see --help)\n", why);
	return 2;
}

/* A number in @lo..@hi (decimal or 0x hex; cmdqv_parse_u64(): one too
 * large for 64 bits is an error, not the largest value). */
static int parse_uint(const char *opt, const char *v, unsigned long lo,
		      unsigned long hi, unsigned long *out)
{
	uint64_t n;

	if (!v) {
		fprintf(stderr,
			"cmdqv-linux: error: %s needs a value (see --help)\n",
			opt);
		return -1;
	}
	if (cmdqv_parse_u64(v, &n) || n < lo || n > hi) {
		fprintf(stderr,
			"cmdqv-linux: error: %s: expected a number %lu..%lu, got "
			"'%s'\n",
			opt, lo, hi, v);
		return -1;
	}
	*out = (unsigned long)n;
	return 0;
}

struct raw_job {
	bool smmu_cmdq;
	int ret;
};

static void raw_fn(struct lx *x, unsigned cpu, void *arg)
{
	struct raw_job *j = arg;

	(void)cpu;
	j->ret = lxd_issue_raw(lx_pdev(x), ill_cmds, 1, true, j->smmu_cmdq);
}

static void atc_fn(struct lx *x, unsigned cpu, void *arg)
{
	(void)cpu;
	*(int *)arg = lxd_atc_inv(lx_pdev(x), 0x42, 0x10000, 0x4000);
}

static int cmp_time(const void *a, const void *b)
{
	sim_time_t x = *(const sim_time_t *)a, y = *(const sim_time_t *)b;

	return x < y ? -1 : x > y;
}

static void report_queues(struct lx *x)
{
	size_t i, n = cmdqv_queue_count(lx_model(x));

	printf("queues:\n");
	for (i = 0; i < n; i++) {
		struct cmdqv_queue_state q;

		cmdqv_queue_get(lx_model(x), i, &q);
		if (!q.enabled && !q.error)
			continue;
		printf("  %-10s prod 0x%06x cons 0x%06x log2size %u%s\n",
		       q.name, q.prod, q.cons, q.log2size,
		       q.error ? " ERROR" : "");
	}
}

static void report_issue(const struct lx_issue_result *r, unsigned ncpus)
{
	sim_time_t *s = malloc(r->nlat * sizeof(*s));
	size_t i;
	double sum = 0;

	printf("issues: %llu (%llu failed), commands %llu, PROD writes %llu\n",
	       (unsigned long long)r->issues, (unsigned long long)r->failed,
	       (unsigned long long)r->commands,
	       (unsigned long long)r->prod_writes);
	printf("queue by cpu:");
	for (i = 0; i < ncpus; i++)
		printf(" %zu:%s%d", i, r->queue[i] < 0 ? "smmu" : "vcmdq",
		       r->queue[i] < 0 ? 0 : r->queue[i]);
	printf("\n");
	if (!s || !r->nlat) {
		free(s);
		return;
	}
	memcpy(s, r->lat, r->nlat * sizeof(*s));
	qsort(s, r->nlat, sizeof(*s), cmp_time);
	for (i = 0; i < r->nlat; i++)
		sum += (double)s[i];
	printf("latency per issue (ns): min %.1f p50 %.1f p99 %.1f max %.1f "
	       "mean %.1f\n",
	       s[0] / 1e3, s[r->nlat / 2] / 1e3, s[(r->nlat * 99) / 100] / 1e3,
	       s[r->nlat - 1] / 1e3, sum / (double)r->nlat / 1e3);
	/* the rate per CPU second: on a shared machine wall time mostly
	 * measures waiting for a core (docs/performance.md) */
	printf("simulated %.3f us; host %.3f s wall, %.3f s CPU; %.0f driver "
	       "commands per host CPU second\n",
	       (double)(r->t_end - r->t_start) / 1e6, r->host_seconds,
	       r->cpu_seconds,
	       r->cpu_seconds > 0 ? (double)r->commands / r->cpu_seconds : 0.0);
	free(s);
}

static int lx_main(int argc, char **argv)
{
	struct lx_params p;
	struct cmdqv_config cfg;
	const char *scenario = "issue";
	unsigned long cpus = 16, iters = 64, batch = 3, seed = 0;
	bool quiet = false;
	char err[256];
	struct lx *x;
	int i, ret = 0;

	if (argc > 1 && !strcmp(argv[1], "--compare-host"))
		return lx_compare_host(argc - 1, argv + 1);
	lx_params_default(&p);
	cmdqv_config_defaults(&cfg);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--cpus")) {
			if (parse_uint(a, v, 1, SIMCPU_MAX_CPUS, &cpus))
				return 2;
			i++;
		} else if (!strcmp(a, "--iters")) {
			if (parse_uint(a, v, 1, 1000000, &iters))
				return 2;
			i++;
		} else if (!strcmp(a, "--batch")) {
			if (parse_uint(a, v, 0, 63, &batch))
				return 2;
			i++;
		} else if (!strcmp(a, "--seed")) {
			if (parse_uint(a, v, 0, ~0UL, &seed))
				return 2;
			i++;
		} else if (!strcmp(a, "--scenario")) {
			if (!v)
				return bad_usage("--scenario needs a value");
			scenario = v;
			i++;
		} else if (!strcmp(a, "--no-cmdqv")) {
			p.cmdqv = false;
		} else if (!strcmp(a, "--quiet")) {
			quiet = true;
		} else if (!strcmp(a, "--config")) {
			char key[64];
			const char *eq = v ? strchr(v, '=') : NULL;

			if (!eq || eq - v >= (long)sizeof(key))
				return bad_usage("--config needs KEY=VALUE");
			memcpy(key, v, (size_t)(eq - v));
			key[eq - v] = '\0';
			if (cmdqv_config_set(&cfg, key, eq + 1, err,
					     sizeof(err)) != CMDQV_OK) {
				fprintf(stderr,
					"cmdqv-linux: --config %s: %s\n", v,
					err);
				return 2;
			}
			i++;
		} else {
			fprintf(stderr,
				"cmdqv-linux: error: unknown option '%s' (see "
				"--help)\n",
				a);
			return 2;
		}
	}
	if (strcmp(scenario, "probe") && strcmp(scenario, "issue") &&
	    strcmp(scenario, "ill-smmu") && strcmp(scenario, "ill-vcmdq") &&
	    strcmp(scenario, "atc-timeout") && strcmp(scenario, "remove") &&
	    strcmp(scenario, "vmm") && strcmp(scenario, "guest")) {
		fprintf(stderr, "cmdqv-linux: --scenario: unknown '%s'\n",
			scenario);
		return 2;
	}
	if (!strcmp(scenario, "atc-timeout") && cfg.atc_timeout > SIM_MS(1))
		cfg.atc_timeout = SIM_US(50);
	p.ncpus = (unsigned)cpus;
	p.seed = seed;
	p.cfg = &cfg;
	x = lx_create(&p, err, sizeof(err));
	if (!x) {
		fprintf(stderr, "cmdqv-linux: %s\n", err);
		return 1;
	}
	ret = lx_probe(x);
	printf("probe: %d, CMD-QV %s\n", ret,
	       lx_uses_cmdqv(x) ? "in use" : "not used");
	if (!ret && !strcmp(scenario, "issue")) {
		struct lx_issue_cfg c = { (unsigned)cpus, (unsigned)iters,
					  (unsigned)batch };
		struct lx_issue_result r;

		if (lx_issue_tlbi(x, &c, &r) != CMDQV_OK)
			ret = 1;
		report_issue(&r, (unsigned)cpus);
		if (r.failed)
			ret = 1;
		lx_issue_result_free(&r);
	} else if (!ret && !strncmp(scenario, "ill-", 4)) {
		struct raw_job j = { !strcmp(scenario, "ill-smmu"), -1 };

		lx_run(x, 1, raw_fn, &j, cmdqv_now(lx_model(x)) + SIM_MS(100));
		printf("illegal command + SYNC on the %s: driver returned %d\n",
		       j.smmu_cmdq ? "SMMU CMDQ" : "CPU 0's queue", j.ret);
		ret = j.ret != 0;
	} else if (!ret && !strcmp(scenario, "atc-timeout")) {
		int r = -1;

		cmdqv_atc_add(lx_model(x), 0x42, 0x10000, 4);
		cmdqv_atc_set_silent(lx_model(x), 0x42, true);
		lx_run(x, 1, atc_fn, &r, cmdqv_now(lx_model(x)) + SIM_MS(100));
		printf("ATC_INV sid 0x42 + SYNC to a silent endpoint: driver "
		       "returned %d\n",
		       r);
		ret = r != 0;
	} else if (!ret && !strcmp(scenario, "vmm")) {
		static const uint64_t cmds[6] = {
			0x11 | (5ull << 48),
			0, /* TLBI_NH_ASID asid 5, VMID 0 */
			0x40 | (0x5ull << 32),
			0x10000, /* ATC_INV vSID 5 */
			0x46,
			0, /* CMD_SYNC */
		};
		struct lxc_vm vm;
		struct cmdqv_model *m = lx_model(x);

		ret = lx_vmm_attach(x, 7, 0x42, 0x5, &vm);
		printf("VMM: vIOMMU + HW queue + vdevice (VMID 7, vSID 5 -> "
		       "SID 0x42): %d",
		       ret);
		if (!ret)
			printf(", VINTF%d LVCMDQ%d at CMD-QV +0x%llx, queue PA "
			       "0x%llx",
			       vm.vintf, vm.lidx,
			       (unsigned long long)vm.vcmdq_page0,
			       (unsigned long long)vm.queue_pa);
		if (ret == -38)
			printf(" (these driver sources have no iommufd side)");
		printf("\n");
		if (!ret) {
			cmdqv_tlb_add(m, CMDQV_TLB_NH, 7, 5, 0x10000, 1);
			cmdqv_atc_add(m, 0x42, 0x10000, 1);
			ret = lx_vm_guest_submit(x, &vm, cmds, 3);
			printf("guest: TLBI_NH_ASID(VMID 0) + ATC_INV(vSID 5) + "
			       "SYNC on its VINTF page: %d; VMID 7 ASID 5 entry "
			       "%s, SID 0x42 ATC %s\n",
			       ret,
			       cmdqv_tlb_present(m, CMDQV_TLB_NH, 7, 5,
						 0x10000) ?
				       "kept" :
				       "invalidated",
			       cmdqv_atc_present(m, 0x42, 0x10000) ?
				       "kept" :
				       "invalidated");
		}
		ret = ret != 0;
	} else if (!ret && !strcmp(scenario, "guest")) {
		/* "guest": a guest instance of the drivers on the last two
		 * CPUs (guest/lx_vmm.h) */
		ret = lx_vm_scenario(x, (unsigned)(cpus > 2 ? 2 : cpus - 1),
				     quiet);
	} else if (!ret && !strcmp(scenario, "remove")) {
		lx_remove(x);
		printf("removed\n");
	}
	{
		struct cmdqv_stats st;
		const struct kapi_counters *n = lx_counters(x);

		cmdqv_stats_get(lx_model(x), &st);
		printf("model: %llu commands (%llu TLBI_NH_ASID, %llu SYNC, "
		       "%llu ATC_INV), %llu errors, %llu ATS timeouts\n",
		       (unsigned long long)st.commands,
		       (unsigned long long)st.by_opcode[0x11],
		       (unsigned long long)st.by_opcode[0x46],
		       (unsigned long long)st.by_opcode[0x40],
		       (unsigned long long)st.errors,
		       (unsigned long long)st.ats_timeouts);
		printf("shim: %llu MMIO reads, %llu writes, %llu WARN_ONs, "
		       "%llu unmodelled calls\n",
		       (unsigned long long)n->mmio_reads,
		       (unsigned long long)n->mmio_writes,
		       (unsigned long long)n->warnings,
		       (unsigned long long)n->unsupported);
	}
	{
		static const char *const names[] = {
			"switches", "mmio_reads", "mmio_writes", "atomics",
			"barriers", "relaxes",	  "wfe",	 "irqs",
		};
		size_t k;

		printf("simcpu:");
		for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
			printf(" %s %llu", names[k],
			       (unsigned long long)simcpu_stat(lx_cpus(x),
							       names[k]));
		printf("\n");
	}
	report_queues(x);
	if (!quiet)
		printf("kernel log:\n%s", lx_log(x));
	lx_destroy(x);
	return ret ? 1 : 0;
}

/* The report on stdout is complete only once stdout is closed: a failed
 * write is exit status 2 with one message (tb_outfile.h). */
int main(int argc, char **argv)
{
	return tb_outfile_close_stdout("cmdqv-linux", lx_main(argc, argv));
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cli_replay.c - `cmdqv-sim replay FILE [--path host|direct|trap|eventfd]
 * [--json OUT] [--timeline FILE] [--record FILE] [--config KEY=VALUE]...
 * [--pace asap|recorded] [--bench [N]]`: drive a fresh model with a native
 * trace and report what it measured (tb_replay.h, docs/replay.md).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cli_opts.h"
#include "cmdqv_sim/cmd.h"
#include "cmdqv_sim/config.h"
#include "cmdqv_sim/status.h"
#include "tb_outfile.h"
#include "tb_replay.h"

#define REPLAY_MAX_SET 64

/* CERROR names (IHI 0070 7.1, docs/cmdqv-reference.md section 5.1
 * ILL_ACCESS). */
static const char *replay_cerror_name(unsigned code, char *buf, size_t len)
{
	static const char *const names[] = { "NONE", "ILL", "ABT",
					     "ATC_INV_SYNC", "ILL_ACCESS" };
	if (code < sizeof(names) / sizeof(names[0]))
		return names[code];
	snprintf(buf, len, "CERROR_%u", code);
	return buf;
}

static const char *replay_op_name(unsigned op, char *buf, size_t len)
{
	const char *n = cmd_name((uint8_t)op);
	if (n)
		return n;
	snprintf(buf, len, "UNKNOWN_0x%02x", op);
	return buf;
}

static void replay_usage(FILE *f)
{
	fprintf(f,
		"usage: cmdqv-sim replay TRACE [options]\n"
		"\n"
		"Replay a native command trace (docs/trace-format.md) on a fresh model.\n"
		"On direct, trap and eventfd the trace's batches run through the same\n"
		"software-path model as 'compare' (docs/replay.md).\n"
		"\n"
		"options:\n"
		"  --path P            host (default: as recorded), direct (guest VCMDQ +\n"
		"                      trapped rest), trap (emulated vSMMU, one ioctl per\n"
		"                      command), eventfd\n"
		"  --direct-rest R     direct path: commands a guest VCMDQ does not take go\n"
		"                      through the trapped queue (trap, default) or straight to\n"
		"                      the SMMU CMDQ (smmu)\n"
		"  --json OUT          write the cmdqv-sim.replay/1 report ('-' = stdout)\n"
		"  --timeline FILE     Chrome/Perfetto trace-event JSON of batches and commands\n"
		"  --record FILE       record what the replayed model saw (native trace;\n"
		"                      '-' = stdout, then no text report)\n"
		"  --set KEY=VALUE     override a model (params.def) or path (path_params.def)\n"
		"                      parameter after the trace's platform line; repeatable\n"
		"                      (--config KEY=VALUE is the same; unlike compare's\n"
		"                      --config it takes no file)\n"
		"  --pace asap|recorded  issue records as soon as possible (default) or not\n"
		"                      before their recorded time\n"
		"  --bench [N]         run N times (default 3), report commands per host second\n"
		"  -q, --quiet         no text report, no progress line\n"
		"  -h, --help          this text\n"
		"\n"
		"exit status: 0 replayed (command errors and mismatches are counted in\n"
		"the report, not failures), 2 usage error, bad trace or failed run.\n");
}

static void replay_progress(void *ctx, const struct tb_replay_result *r,
			    bool done)
{
	(void)ctx;
	fprintf(stderr,
		"\rreplay: %" PRIu64 " records, %" PRIu64 " commands, %" PRIu64
		" batches, %.3f us simulated%s",
		r->records, r->commands, r->batches, (double)r->sim_time / 1e6,
		done ? "\n" : "");
	fflush(stderr);
}

static json_t *replay_hist_json(const struct tb_hist *h)
{
	return json_pack("{s:I,s:f,s:f,s:f,s:f,s:f,s:f}", "count",
			 (json_int_t)h->count, "mean", tb_hist_mean(h) / 1e3,
			 "min", (double)h->min / 1e3, "p50",
			 (double)tb_hist_quantile(h, 0.50) / 1e3, "p90",
			 (double)tb_hist_quantile(h, 0.90) / 1e3, "p99",
			 (double)tb_hist_quantile(h, 0.99) / 1e3, "max",
			 (double)h->max / 1e3);
}

/* The nonzero counters @n[0..@count-1] as a JSON object, keyed by @name. */
static json_t *replay_counts_json(const uint64_t *n, unsigned count,
				  const char *(*name)(unsigned, char *, size_t))
{
	json_t *o = json_object();
	char b[32];

	for (unsigned i = 0; i < count; i++)
		if (n[i])
			json_object_set_new(o, name(i, b, sizeof(b)),
					    json_integer((json_int_t)n[i]));
	return o;
}

static json_t *replay_json(const char *trace, const char *path,
			   const struct tb_replay_result *r, double host_s,
			   double cpu_s, unsigned bench_runs)
{
	json_t *ops = replay_counts_json(r->by_opcode, 256, replay_op_name);
	json_t *ce = replay_counts_json(r->cerror, 128, replay_cerror_name);
	json_t *phases = json_array();
	for (size_t i = 0; i < r->nphases; i++) {
		const struct tb_replay_phase *p = &r->phases[i];
		json_array_append_new(
			phases,
			json_pack(
				"{s:I,s:s,s:I,s:I,s:f,s:f,s:f,s:f}", "id",
				(json_int_t)p->id, "name", p->name, "commands",
				(json_int_t)p->commands, "batches",
				(json_int_t)p->batches, "sim_time_ns",
				(double)(p->end - p->start) / 1e3,
				"command_latency_mean_ns",
				p->commands ?
					p->cmd_lat_sum / (double)p->commands /
						1e3 :
					0.0,
				"batch_latency_mean_ns",
				p->batches ? p->batch_lat_sum /
						     (double)p->batches / 1e3 :
					     0.0,
				"batch_latency_max_ns",
				(double)p->batch_lat_max / 1e3));
	}
	uint64_t errors = r->cmd_errors + r->poll_timeouts + r->incomplete;
	json_t *root = json_pack(
		"{s:s,s:s,s:s,s:I,s:{s:I,s:o},s:I,s:I,s:I,s:I,"
		"s:{s:I,s:o,s:I,s:I,s:I},s:{s:I,s:I,s:I,s:I,s:I,s:I},s:I,s:I,s:f,"
		"s:{s:o,s:o},s:o}",
		"schema", "cmdqv-sim.replay/1", "trace", trace, "path", path,
		"records", (json_int_t)r->records, "commands", "total",
		(json_int_t)r->commands, "by_opcode", ops, "batches",
		(json_int_t)r->batches, "prod_writes",
		(json_int_t)r->prod_writes, "hw_commands",
		(json_int_t)r->hw_commands, "injected_commands",
		(json_int_t)r->injected, "errors", "total", (json_int_t)errors,
		"command_errors", ce, "command_errors_total",
		(json_int_t)r->cmd_errors, "poll_timeouts",
		(json_int_t)r->poll_timeouts, "incomplete_batches",
		(json_int_t)r->incomplete, "checks", "read_mismatches",
		(json_int_t)r->read_mismatches, "batch_mismatches",
		(json_int_t)r->batch_mismatches, "recoveries",
		(json_int_t)r->recoveries, "skipped_records",
		(json_int_t)r->skipped, "ring_stalls",
		(json_int_t)r->ring_stalls, "queue_waits",
		(json_int_t)r->queue_waits, "vm_exits", (json_int_t)r->exits,
		"ioctls", (json_int_t)r->ioctls, "sim_time_ns",
		(double)r->sim_time / 1e3, "latency_ns", "command",
		replay_hist_json(&r->cmd_lat), "batch",
		replay_hist_json(&r->batch_lat), "phases", phases);
	if (bench_runs)
		json_object_set_new(
			root, "bench",
			json_pack(
				"{s:I,s:f,s:f,s:f,s:f}", "runs",
				(json_int_t)bench_runs, "host_seconds", host_s,
				"commands_per_second",
				host_s > 0 ? (double)r->commands / host_s : 0.0,
				"cpu_seconds", cpu_s, "commands_per_cpu_second",
				cpu_s > 0 ? (double)r->commands / cpu_s : 0.0));
	return root;
}

static void replay_text(FILE *f, const char *path,
			const struct tb_replay_result *r)
{
	char b[32];

	fprintf(f,
		"replay (%s path): %" PRIu64 " records, %" PRIu64
		" commands in %" PRIu64 " batches (%" PRIu64
		" PROD writes), %.3f us simulated\n",
		path, r->records, r->commands, r->batches, r->prod_writes,
		(double)r->sim_time / 1e6);
	for (unsigned op = 0; op < 256; op++)
		if (r->by_opcode[op])
			fprintf(f, "  %-22s %" PRIu64 "\n",
				replay_op_name(op, b, sizeof(b)),
				r->by_opcode[op]);
	fprintf(f,
		"hardware: %" PRIu64 " commands consumed (%" PRIu64
		" added by the software paths)",
		r->hw_commands, r->injected);
	if (r->exits || r->ioctls)
		fprintf(f, ", %" PRIu64 " VM exits, %" PRIu64 " ioctls",
			r->exits, r->ioctls);
	fprintf(f, "\n");
	fprintf(f, "errors: %" PRIu64 " command errors", r->cmd_errors);
	for (unsigned c = 0; c < 128; c++)
		if (r->cerror[c])
			fprintf(f, " %s=%" PRIu64,
				replay_cerror_name(c, b, sizeof(b)),
				r->cerror[c]);
	fprintf(f,
		", %" PRIu64 " poll timeouts, %" PRIu64
		" incomplete batches, %" PRIu64 " recoveries\n",
		r->poll_timeouts, r->incomplete, r->recoveries);
	if (r->read_mismatches || r->batch_mismatches)
		fprintf(f,
			"checks: %" PRIu64
			" reads differ from the trace, %" PRIu64
			" batch records disagree\n",
			r->read_mismatches, r->batch_mismatches);
	const struct tb_hist *hs[2] = { &r->cmd_lat, &r->batch_lat };
	const char *hn[2] = { "command", "batch" };
	for (int i = 0; i < 2; i++)
		fprintf(f,
			"%-7s latency (ns): n=%" PRIu64
			" mean=%.1f p50=%.1f p90=%.1f p99=%.1f max=%.1f\n",
			hn[i], hs[i]->count, tb_hist_mean(hs[i]) / 1e3,
			(double)tb_hist_quantile(hs[i], 0.5) / 1e3,
			(double)tb_hist_quantile(hs[i], 0.9) / 1e3,
			(double)tb_hist_quantile(hs[i], 0.99) / 1e3,
			(double)hs[i]->max / 1e3);
	fprintf(f, "phases:\n");
	for (size_t i = 0; i < r->nphases; i++) {
		const struct tb_replay_phase *p = &r->phases[i];
		fprintf(f,
			"  %3" PRIu32 " %-20s %6" PRIu64 " commands %5" PRIu64
			" batches  batch mean %.1f ns  max %.1f ns\n",
			p->id, p->name[0] ? p->name : "-", p->commands,
			p->batches,
			p->batches ?
				p->batch_lat_sum / (double)p->batches / 1e3 :
				0.0,
			(double)p->batch_lat_max / 1e3);
	}
}

/*
 * Option @opt takes one of two words: @arg @off leaves *@on as it is,
 * @on_word sets it; anything else is reported, -1.
 */
static int replay_choice(const char *opt, const char *arg, const char *off,
			 const char *on_word, bool *on)
{
	if (!strcmp(arg, on_word))
		*on = true;
	else if (strcmp(arg, off)) {
		fprintf(stderr, "cmdqv-sim replay: error: %s %s|%s\n", opt, off,
			on_word);
		return -1;
	}
	return 0;
}

static double replay_clock(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Begin output @f for the file *@name of option @opt (nothing if NULL);
 * *@name becomes the name to write to. Returns 0, or -1 after the error.
 */
static int replay_out_begin(struct tb_outfile *f, const char **name,
			    const char *opt)
{
	char err[TB_OUTFILE_PATH_MAX + 64];

	memset(f, 0, sizeof(*f));
	if (!*name)
		return 0;
	if (tb_outfile_begin(f, *name, err, sizeof(err))) {
		fprintf(stderr, "cmdqv-sim replay: error: %s: %s\n", opt, err);
		return -1;
	}
	*name = tb_outfile_name(f);
	return 0;
}

static void replay_out_abort(struct tb_outfile *a, struct tb_outfile *b,
			     struct tb_outfile *c)
{
	tb_outfile_abort(a);
	tb_outfile_abort(b);
	tb_outfile_abort(c);
	tb_outfile_release_signals();
}

/* What the options set; @argc and @argv for --bench's optional count. */
struct replay_cli {
	struct tb_replay_options o;
	const char *set[REPLAY_MAX_SET];
	const char *json_out;
	bool quiet;
	unsigned bench;
	int argc;
	char **argv;
};

static int replay_option(void *ctx, int c, const char *arg)
{
	struct replay_cli *cl = ctx;
	struct tb_replay_options *o = &cl->o;
	const char *p;
	uint64_t n;

	switch (c) {
	case 'p':
		if (wl_path_parse(arg, &o->path)) {
			fprintf(stderr,
				"cmdqv-sim replay: error: unknown path '%s' (host, direct, "
				"trap, eventfd)\n",
				arg);
			return 2;
		}
		return 0;
	case 'j':
		cl->json_out = arg;
		return 0;
	case 't':
		o->timeline = arg;
		return 0;
	case 'r':
		o->record = arg;
		return 0;
	case 'c':
		if (o->nset == REPLAY_MAX_SET) {
			fprintf(stderr,
				"cmdqv-sim replay: error: more than %d --config/--set\n",
				REPLAY_MAX_SET);
			return 2;
		}
		cl->set[o->nset++] = arg;
		return 0;
	case 'd':
		return replay_choice("--direct-rest", arg, "trap", "smmu",
				     &o->direct_rest_smmu) ?
			       2 :
			       0;
	case 'P':
		return replay_choice("--pace", arg, "asap", "recorded",
				     &o->pace_recorded) ?
			       2 :
			       0;
	case 'b':
		cl->bench = 3;
		if (!cli_optional_count(cl->argc, cl->argv, &p))
			return 0;
		if (cmdqv_parse_u64(p, &n) || n > 1000) {
			fprintf(stderr,
				"cmdqv-sim replay: error: bad --bench count\n");
			return 2;
		}
		cl->bench = (unsigned)n;
		return 0;
	default: /* 'q' */
		cl->quiet = true;
		return 0;
	}
}

static const struct cli_verb replay_verb = {
	"cmdqv-sim replay",
	":hq",
	"path=p json=j timeline=t record=r config=c set=c "
	"direct-rest=d pace=P bench/b quiet/q",
	replay_usage,
	replay_option,
	"TRACE",
};

int cli_replay(int argc, char **argv)
{
	struct replay_cli cl = { .argc = argc, .argv = argv };
	int rc;

	tb_replay_options_defaults(&cl.o);
	cl.o.set = cl.set;
	rc = cli_verb_parse(&replay_verb, &cl, argc, argv, &cl.o.trace);
	if (rc >= 0)
		return rc;

	struct tb_replay_options o = cl.o;
	const char *json_out = cl.json_out;
	bool quiet = cl.quiet;
	unsigned bench = cl.bench;

	if (!o.trace) {
		fprintf(stderr,
			"cmdqv-sim replay: error: no TRACE given (see --help)\n");
		return 2;
	}
	if (o.record && !strcmp(o.record, "-")) {
		if (json_out && !strcmp(json_out, "-")) {
			fprintf(stderr,
				"cmdqv-sim replay: error: --record - and --json - both "
				"write to stdout\n");
			return 2;
		}
		quiet = true; /* stdout is the recording */
	}
	if (isatty(2) && !bench && !quiet) {
		o.progress = replay_progress;
		o.progress_every = 4096;
	}

	/* No output may replace the trace or another output. */
	const struct tb_outfile_use uses[] = {
		{ "--record", o.record, true, false },
		{ "--timeline", o.timeline, true, false },
		{ "--json", json_out, true, false },
		{ "TRACE", o.trace, false, false },
	};
	if (cli_check_files(replay_verb.prog, uses, 4))
		return 2;

	/* Every output file is written under a temporary name and renamed
	 * when the replay is complete (tb_outfile.h); each must be creatable
	 * before anything runs or prints. */
	struct tb_outfile out_rec, out_tl, out_json;
	if (replay_out_begin(&out_rec, &o.record, "--record") ||
	    replay_out_begin(&out_tl, &o.timeline, "--timeline") ||
	    replay_out_begin(&out_json, &json_out, "--json")) {
		replay_out_abort(&out_rec, &out_tl, &out_json);
		return 2;
	}
	tb_outfile_catch_signals(
		"\ncmdqv-sim replay: interrupted; no output file written, "
		"temporary files removed\n");

	struct tb_replay_result *r = malloc(sizeof(*r));
	char err[1024];
	if (!r) {
		replay_out_abort(&out_rec, &out_tl, &out_json);
		fprintf(stderr, "cmdqv-sim replay: error: out of memory\n");
		return 2;
	}
	double best = 0, best_cpu = 0;
	unsigned runs = bench ? bench : 1;
	rc = CMDQV_OK;
	for (unsigned k = 0; k < runs && !rc; k++) {
		double t0 = replay_clock(CLOCK_MONOTONIC);
		double c0 = replay_clock(CLOCK_PROCESS_CPUTIME_ID);
		rc = tb_replay_run(&o, r, err, sizeof(err));
		double dt = replay_clock(CLOCK_MONOTONIC) - t0;
		double dc = replay_clock(CLOCK_PROCESS_CPUTIME_ID) - c0;
		if (!k || dt < best)
			best = dt;
		if (!k || dc < best_cpu)
			best_cpu = dc;
	}
	if (rc) {
		/* Errors without a FILE:LINE (options, configuration) get the verb's prefix. */
		fprintf(stderr, "%s%s\n",
			strncmp(err, "error: ", 7) ? "" : "cmdqv-sim replay: ",
			err);
		replay_out_abort(&out_rec, &out_tl, &out_json);
		free(r);
		return 2;
	}
	const char *pname = wl_path_name(o.path);
	if (!quiet && !(json_out && !strcmp(json_out, "-")))
		replay_text(stdout, pname, r);
	if (bench)
		fprintf(stderr,
			"bench: %" PRIu64
			" commands, best of %u: %.6f s wall = %.0f commands per "
			"host second, %.6f s CPU = %.0f per CPU second\n",
			r->commands, bench, best,
			best > 0 ? (double)r->commands / best : 0.0, best_cpu,
			best_cpu > 0 ? (double)r->commands / best_cpu : 0.0);
	if (json_out) {
		json_t *j =
			replay_json(o.trace, pname, r, best, best_cpu, bench);
		errno = 0;
		int jr = !strcmp(json_out, "-") ?
				 json_dumpf(j, stdout,
					    JSON_INDENT(2) |
						    JSON_PRESERVE_ORDER) :
				 json_dump_file(j, json_out,
						JSON_INDENT(2) |
							JSON_PRESERVE_ORDER);
		if (!strcmp(json_out, "-"))
			fputc('\n', stdout);
		json_decref(j);
		if (jr) {
			fprintf(stderr, "%s: error: cannot write: %s\n",
				json_out,
				errno ? strerror(errno) : "write failed");
			replay_out_abort(&out_rec, &out_tl, &out_json);
			free(r);
			return 2;
		}
	}
	free(r);
	struct tb_outfile *outs[] = { &out_rec, &out_tl, &out_json };
	for (size_t i = 0; i < sizeof(outs) / sizeof(outs[0]); i++) {
		if (tb_outfile_commit(outs[i], err, sizeof(err))) {
			fprintf(stderr, "cmdqv-sim replay: error: %s\n", err);
			replay_out_abort(&out_rec, &out_tl, &out_json);
			return 2;
		}
	}
	tb_outfile_release_signals();
	return 0;
}

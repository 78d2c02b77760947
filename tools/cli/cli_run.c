/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cli_run.c - `cmdqv-sim run FILE...`: each scenario script against a fresh
 * native model instance (docs/scenarios.md).
 *
 * Output contract (issue #2): one line per script on stdout, "PASS FILE" or
 * "FAIL FILE:LINE: what was expected vs seen".  A malformed script is found
 * by parsing the whole file before running it; it prints only
 * "FILE:LINE: error: ..." on stderr and runs nothing.  Exit status: 0 all
 * passed, 1 at least one failed, 2 at least one malformed / unreadable
 * script, bad usage or a host-side error while running.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_opts.h"
#include "tb_native.h"
#include "tb_outfile.h"
#include "tb_scenario.h"
#include "tb_trace.h"

/*
 * --record FILE (docs/trace-format.md): the native backend with a recorder
 * attached as the model's extra trace observer.  @native must stay first: the
 * backend callbacks take the object as a struct tb_native *.  The platform
 * line is the first script's configuration; every later script starts with
 * a "reset" record carrying its own.
 */
struct run_record {
	struct tb_native native;
	struct tb_recorder *rec;
	const char *path;
	unsigned creates;
	int status;
	char err[512];
};

static int run_record_create(void *b, const struct cmdqv_config *cfg, char *err,
			     size_t errlen)
{
	struct run_record *r = b;
	if (!r->rec) {
		if (tb_recorder_open(&r->rec, r->path, &r->native.mem, cfg,
				     r->err, sizeof(r->err))) {
			snprintf(err, errlen, "%s", r->err);
			r->status = 2;
			return -1;
		}
	} else if (r->creates) {
		tb_recorder_reset_platform(r->rec, &r->native.mem, cfg);
	}
	r->creates++;
	tb_native_set_trace(&r->native, tb_recorder_trace, r->rec);
	return tb_native_backend.create(b, cfg, err, errlen);
}

static void run_usage(FILE *f)
{
	fprintf(f,
		"usage: cmdqv-sim run [options] FILE...\n"
		"\n"
		"Run each scenario script against a fresh model instance and print\n"
		"'PASS FILE' or 'FAIL FILE:LINE: reason' for each.  Scripts are parsed\n"
		"completely before they run; a malformed line is reported as\n"
		"'FILE:LINE: error: ...' and that script does not run.\n"
		"\n"
		"options:\n"
		"  -v, --verbose  print every statement with the simulated time\n"
		"  -q, --quiet    do not print 'echo' output\n"
		"  --record FILE  write a native trace of every script (docs/trace-format.md)\n"
		"  -h, --help     this text\n"
		"\n"
		"exit status: 0 all passed, 1 a script failed, 2 malformed script or\n"
		"usage error.  Grammar: docs/scenarios.md.\n");
}

/* What the options set: the run options and the recording's path. */
struct run_cli {
	struct tb_run_opts opts;
	const char *record;
};

static int run_option(void *ctx, int c, const char *arg)
{
	struct run_cli *o = ctx;

	switch (c) {
	case 'v':
		o->opts.verbose = true;
		return 0;
	case 'q': /* whatever the order of -q and -v */
		o->opts.quiet = true;
		return 0;
	default: /* 'r' */
		if (!strcmp(arg, "-")) {
			/* stdout carries the PASS/FAIL lines */
			fprintf(stderr,
				"cmdqv-sim run: error: --record -: stdout holds "
				"the PASS/FAIL lines; give a FILE\n");
			return 2;
		}
		o->record = arg;
		return 0;
	}
}

/* Options may come before or after the scripts; `--` ends them
 * (getopt_long moves the scripts, in order, behind the options). */
static const struct cli_verb run_verb = {
	"cmdqv-sim run", ":hvq",     "verbose/v quiet/q record=r",
	run_usage,	 run_option, "SCRIPT",
};

int cli_run(int argc, char **argv)
{
	struct run_cli cl = { .opts = { .out = stdout, .verbose = false } };
	struct tb_run_opts opts;
	int status = 0, files = 0;
	struct run_record rr;
	struct tb_backend_ops rr_ops = tb_native_backend;
	int rc = cli_verb_parse(&run_verb, &cl, argc, argv, NULL);

	if (rc >= 0)
		return rc;
	memset(&rr, 0, sizeof(rr));
	rr_ops.create = run_record_create;
	opts = cl.opts;
	rr.path = cl.record;
	files = argc - optind;
	argv += optind - 1; /* the scripts are argv[1..files] */
	if (files == 0) {
		fprintf(stderr,
			"cmdqv-sim run: error: no scenario file given (see --help)\n");
		return 2;
	}
	/* The recording must not replace a script. */
	if (rr.path) {
		struct tb_outfile_use *uses =
			calloc((size_t)files + 1, sizeof(*uses));

		if (!uses) {
			fprintf(stderr,
				"cmdqv-sim run: error: out of memory\n");
			return 2;
		}
		uses[0] = (struct tb_outfile_use){ "--record", rr.path, true,
						   false };
		for (int i = 0; i < files; i++)
			uses[i + 1] = (struct tb_outfile_use){ "SCRIPT",
							       argv[i + 1],
							       false, false };
		rc = cli_check_files(run_verb.prog, uses, (size_t)files + 1);
		free(uses);
		if (rc)
			return rc;
	}
	/* The recording is written under a temporary name and renamed when
	 * every script has run (tb_outfile.h). */
	struct tb_outfile out_rec;
	memset(&out_rec, 0, sizeof(out_rec));
	if (rr.path) {
		char oerr[TB_OUTFILE_PATH_MAX + 64];

		if (tb_outfile_begin(&out_rec, rr.path, oerr, sizeof(oerr))) {
			fprintf(stderr, "cmdqv-sim run: error: --record: %s\n",
				oerr);
			return 2;
		}
		rr.path = tb_outfile_name(&out_rec);
		tb_outfile_catch_signals(
			"\ncmdqv-sim run: interrupted; no recording written\n");
	}
	argc = 1 + files;
	for (int i = 1; i < argc; i++) {
		struct tb_script *s = NULL;
		char err[640];
		files++;
		if (tb_script_parse_file(argv[i], &s, err, sizeof(err))) {
			fflush(stdout);
			fprintf(stderr, "%s\n", err);
			status = 2;
			continue;
		}
		struct tb_native native;
		struct tb_result res;
		memset(&native, 0, sizeof(native));
		if (rr.path)
			tb_script_run(s, &rr_ops, &rr, &opts, &res);
		else
			tb_script_run(s, &tb_native_backend, &native, &opts,
				      &res);
		if (rr.status && !rr.rec) {
			/* The recording could not be created: one message, run nothing more. */
			tb_script_free(s);
			fflush(stdout);
			fprintf(stderr, "%s\n", rr.err);
			tb_outfile_abort(&out_rec);
			return 2;
		}
		switch (res.outcome) {
		case TB_PASS:
			printf("PASS %s\n", argv[i]);
			break;
		case TB_FAIL:
			printf("FAIL %s:%u: %s\n", argv[i], res.line, res.msg);
			if (status == 0)
				status = 1;
			break;
		default:
			fflush(stdout);
			if (res.line)
				fprintf(stderr, "%s:%u: error: %s\n", argv[i],
					res.line, res.msg);
			else
				fprintf(stderr, "%s: error: %s\n", argv[i],
					res.msg);
			status = 2;
			break;
		}
		fflush(stdout);
		tb_script_free(s);
	}
	if (rr.rec && tb_recorder_close(rr.rec, rr.err, sizeof(rr.err)))
		rr.status = 2;
	/* A run that ended in exit status 2 (a malformed script, an error
	 * while running) leaves no recording, as cmdqv-vp: it would look
	 * complete.  A previous file of that name stays as it was. */
	if (!rr.status && rr.rec && status != 2 &&
	    tb_outfile_commit(&out_rec, rr.err, sizeof(rr.err))) {
		fprintf(stderr, "cmdqv-sim run: error: --record: %s\n", rr.err);
		status = 2;
	} else if (rr.status) {
		fprintf(stderr, "%s\n", rr.err);
		status = 2;
	}
	tb_outfile_abort(&out_rec); /* nothing recorded, exit 2, or it failed */
	tb_outfile_release_signals();
	return status;
}

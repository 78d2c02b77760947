/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cli_import_qemu.c - `cmdqv-sim import-qemu LOG[.gz] -o FILE
 * [--cmdq-dump FILE[.gz] [--cmdq-base ADDR]] [--guest-dmesg FILE]`:
 * QEMU 7.2 smmu* trace log to native trace (tb_qemu_import.h,
 * docs/trace-format.md).
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_opts.h"
#include "cmdqv_sim/config.h"
#include "cmdqv_sim/status.h"
#include "tb_outfile.h"
#include "tb_qemu_import.h"

/* AIDR reads of one marker are a guest process each, ~5-15 ms apart in the
 * shared recordings; separate markers are seconds apart (assumed gap). */
#define QI_PHASE_GAP_MS_DEFAULT 200

static void import_usage(FILE *f)
{
	fprintf(f,
		"usage: cmdqv-sim import-qemu LOG[.gz] -o FILE [options]\n"
		"\n"
		"Convert a QEMU 7.2 '-trace smmu*' log into a native trace (docs/trace-format.md).\n"
		"\n"
		"  -o, --output FILE      native trace to write ('-' = stdout, .gz = compressed)\n"
		"  --cmdq-dump FILE[.gz]  queue memory dump: exact command words (entry i at base + "
		"16*i)\n"
		"  --cmdq-base ADDR       physical address of the dump's first byte (default: from\n"
		"                         cmdq-dump-info.txt beside the dump, else the log's "
		"CMDQ_BASE)\n"
		"  --guest-dmesg FILE     names for phase markers from 'SMMUMARK N name' lines\n"
		"                         (default: guest-dmesg.txt beside the log, if present)\n"
		"  --phase-gap-ms N       AIDR reads further apart start a new marker (default %d)\n"
		"  -q, --quiet            no summary on stderr\n"
		"  -h, --help             this text\n"
		"\n"
		"exit status: 0 converted, 2 usage error or a log that cannot be imported.\n",
		QI_PHASE_GAP_MS_DEFAULT);
}

/* What the options set. */
struct import_cli {
	struct tb_qemu_options o;
	bool quiet;
	uint64_t gap_ms;
};

static int import_option(void *ctx, int c, const char *arg)
{
	struct import_cli *cl = ctx;
	struct tb_qemu_options *o = &cl->o;

	switch (c) {
	case 'o': /* the file names: as given */
	case 'd':
	case 'g':
		*(c == 'o' ? &o->out : c == 'd' ? &o->dump : &o->dmesg) = arg;
		return 0;
	case 'b':
		if (cmdqv_parse_u64(arg, &o->dump_base)) {
			fprintf(stderr,
				"cmdqv-sim import-qemu: error: bad address '%s'\n",
				arg);
			return 2;
		}
		o->have_dump_base = true;
		return 0;
	case 'p':
		if (cmdqv_parse_u64(arg, &cl->gap_ms) || cl->gap_ms > 3600000) {
			fprintf(stderr,
				"cmdqv-sim import-qemu: error: bad gap '%s'\n",
				arg);
			return 2;
		}
		return 0;
	default: /* 'q' */
		cl->quiet = true;
		return 0;
	}
}

static const struct cli_verb import_verb = {
	"cmdqv-sim import-qemu",
	":ho:q",
	"output=o cmdq-dump=d cmdq-base=b guest-dmesg=g "
	"phase-gap-ms=p quiet/q",
	import_usage,
	import_option,
	"LOG",
};

int cli_import_qemu(int argc, char **argv)
{
	struct import_cli cl = { .gap_ms = QI_PHASE_GAP_MS_DEFAULT };
	char dmesg_auto[4096];
	int rc = cli_verb_parse(&import_verb, &cl, argc, argv, &cl.o.log);

	if (rc >= 0)
		return rc;

	struct tb_qemu_options o = cl.o;
	bool quiet = cl.quiet;
	uint64_t gap_ms = cl.gap_ms;

	if (!o.log || !o.out) {
		fprintf(stderr,
			"cmdqv-sim import-qemu: error: %s (see --help)\n",
			!o.log ? "no LOG given" : "-o FILE is required");
		return 2;
	}
	if (o.have_dump_base && !o.dump) {
		fprintf(stderr,
			"cmdqv-sim import-qemu: error: --cmdq-base needs --cmdq-dump\n");
		return 2;
	}
	o.phase_gap_us = gap_ms * 1000;
	if (!o.dmesg) {
		const char *slash = strrchr(o.log, '/');
		int dl = slash ? (int)(slash - o.log + 1) : 0;
		snprintf(dmesg_auto, sizeof(dmesg_auto), "%.*sguest-dmesg.txt",
			 dl, o.log);
		if (access(dmesg_auto, R_OK) == 0)
			o.dmesg = dmesg_auto;
	}

	const struct tb_outfile_use uses[] = {
		{ "-o", o.out, true, false },
		{ "LOG", o.log, false, false },
		{ "--cmdq-dump", o.dump, false, false },
		{ "--guest-dmesg", o.dmesg, false, false },
	};
	if (cli_check_files(import_verb.prog, uses, 4))
		return 2;

	struct tb_qemu_summary *s = malloc(sizeof(*s));
	char err[1024];
	if (!s) {
		fprintf(stderr,
			"cmdqv-sim import-qemu: error: out of memory\n");
		return 2;
	}
	/* Written under a temporary name, renamed when complete. */
	struct tb_outfile out;
	const char *final = o.out;
	if (tb_outfile_begin(&out, o.out, err, sizeof(err))) {
		fprintf(stderr, "cmdqv-sim import-qemu: error: -o: %s\n", err);
		free(s);
		return 2;
	}
	o.out = tb_outfile_name(&out);
	tb_outfile_catch_signals(
		"\ncmdqv-sim import-qemu: interrupted; nothing written\n");
	rc = tb_qemu_import(&o, s, err, sizeof(err));
	if (!rc && tb_outfile_commit(&out, err, sizeof(err))) {
		fprintf(stderr, "cmdqv-sim import-qemu: error: %s\n", err);
		rc = CMDQV_EIO;
	} else if (rc) {
		fprintf(stderr, "%s\n", err);
	}
	tb_outfile_abort(&out);
	tb_outfile_release_signals();
	o.out = final;
	if (rc) {
		free(s);
		return 2;
	}
	if (!quiet) {
		tb_qemu_summary_print(s, stderr);
		if (o.dmesg)
			fprintf(stderr, "phase names from %s\n", o.dmesg);
		fprintf(stderr, "wrote %s\n", o.out);
	}
	free(s);
	return 0;
}

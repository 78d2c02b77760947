/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * main.c - cmdqv-sim: dispatch to one verb.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "tb_outfile.h"

struct verb {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

static const struct verb verbs[] = {
	{ "run", cli_run,
	  "run scenario scripts against fresh model instances" },
	{ "compare", cli_compare,
	  "latency comparison of the invalidation paths (report)" },
	{ "import-qemu", cli_import_qemu,
	  "convert a QEMU smmuv3 trace log to the native format" },
	{ "replay", cli_replay,
	  "replay a native command trace through the model" },
	{ "bench", cli_bench, "measure simulated commands per host second" },
	{ "params", cli_params,
	  "list every model parameter with unit, default and source" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: cmdqv-sim VERB [options]\n\nverbs:\n");
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		fprintf(f, "  %-12s %s\n", verbs[i].name, verbs[i].help);
	fprintf(f, "\n'cmdqv-sim VERB --help' describes a verb's options.\n");
}

/*
 * Every verb's results on stdout (reports, --json -, PASS/FAIL lines, the
 * usage) are complete only once stdout is flushed and closed: a full disk
 * or an I/O error there is exit status 2 with one message
 * (tb_outfile_close_stdout()), like a file that cannot be written.
 */
int main(int argc, char **argv)
{
	char prog[64];

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return tb_outfile_close_stdout("cmdqv-sim", 0);
	}
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (!strcmp(argv[1], verbs[i].name)) {
			int rc = verbs[i].fn(argc - 1, argv + 1);

			snprintf(prog, sizeof(prog), "cmdqv-sim %s",
				 verbs[i].name);
			return tb_outfile_close_stdout(prog, rc);
		}
	fprintf(stderr,
		"cmdqv-sim: error: unknown verb '%s' ('cmdqv-sim --help' lists them)\n",
		argv[1]);
	return 2;
}

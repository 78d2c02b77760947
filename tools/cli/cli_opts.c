/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cli_opts.c - getopt_long() with the CLI's messages (see cli_opts.h).
 */
#define _GNU_SOURCE /* getopt_long, argument permutation */
#include "cli_opts.h"

#include <stdio.h>
#include <string.h>

static int cli_started;

/* @val is the value of one of the options (a short letter or a long val). */
static int cli_known(int val, const char *shortopts,
		     const struct option *longopts)
{
	if (val > 0 && val < 256 && val != ':' && strchr(shortopts, val))
		return 1;
	for (; longopts && longopts->name; longopts++)
		if (!longopts->flag && longopts->val == val)
			return 1;
	return 0;
}

int cli_getopt(const char *prog, int argc, char **argv, const char *shortopts,
	       const struct option *longopts, int *longindex)
{
	int c;

	if (!cli_started) {
		optind =
			0; /* glibc: full re-initialisation, start at argv[1] */
		cli_started = 1;
	}
	opterr = 0;
	c = getopt_long(argc, argv, shortopts, longopts, longindex);
	if (c == -1) {
		cli_started = 0;
		return -1;
	}
	if (c != '?' && c != ':')
		return c;
	/* A long option is named as it was written (argv[optind - 1], the
	 * part before any "="), a short one by its letter. */
	{
		const char *a =
			optind > 0 && optind <= argc ? argv[optind - 1] : "";
		int n = (int)strcspn(a, "=");
		int is_long = !strncmp(a, "--", 2);

		if (c == ':' && is_long)
			fprintf(stderr,
				"%s: error: %.*s needs a value (see --help)\n",
				prog, n, a);
		else if (c == ':')
			fprintf(stderr,
				"%s: error: -%c needs a value (see --help)\n",
				prog, optopt);
		else if (!optopt)
			fprintf(stderr,
				"%s: error: unknown option '%s' (see --help)\n",
				prog, a);
		else if (is_long && cli_known(optopt, shortopts, longopts))
			fprintf(stderr,
				"%s: error: %.*s takes no value (see --help)\n",
				prog, n, a);
		else
			fprintf(stderr,
				"%s: error: unknown option '-%c' (see --help)\n",
				prog, optopt);
	}
	cli_started = 0;
	return '?';
}

int cli_verb_getopt(const struct cli_verb *v, int argc, char **argv)
{
	int c = cli_getopt(v->prog, argc, argv, v->shortopts, v->longopts,
			   NULL);

	if (c == 'h') {
		cli_started = 0; /* the verb returns without the last call */
		v->usage(stdout);
		return CLI_OPTS_HELP;
	}
	if (c == '?')
		return CLI_OPTS_BAD;
	return c;
}

int cli_verb_status(int c)
{
	return c == CLI_OPTS_HELP ? 0 : 2;
}

int cli_optional_count(int argc, char **argv, const char **arg)
{
	if (optind < argc && argv[optind][0] >= '1' && argv[optind][0] <= '9') {
		*arg = argv[optind++];
		return 1;
	}
	return 0;
}

int cli_no_operand(const char *prog, int argc, char **argv)
{
	if (optind >= argc)
		return 0;
	fprintf(stderr, "%s: error: unexpected argument '%s' (see --help)\n",
		prog, argv[optind]);
	return 2;
}

int cli_one_operand(const char *prog, const char *what, int argc, char **argv,
		    const char **out)
{
	if (optind < argc)
		*out = argv[optind++];
	if (optind >= argc)
		return 0;
	fprintf(stderr, "%s: error: more than one %s given ('%s', '%s')\n",
		prog, what, *out, argv[optind]);
	return 2;
}

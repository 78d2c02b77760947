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

/*
 * The getopt_long table of @v: --help, then @v->longopts, then the zero
 * entry, in @lo; the names are kept in @buf. 0, or -1 if @v->longopts is
 * not a list of NAME=L / NAME/L words that fits.
 */
static int cli_verb_table(const struct cli_verb *v, struct option *lo,
			  char *buf, size_t len)
{
	size_t n = 0;
	char *save = NULL;

	lo[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	if (strlen(v->longopts) >= len)
		return -1;
	strcpy(buf, v->longopts);
	for (char *w = strtok_r(buf, " ", &save); w;
	     w = strtok_r(NULL, " ", &save)) {
		char *sep = strpbrk(w, "=/");

		if (!sep || sep == w || !sep[1] || sep[2] ||
		    n > CLI_MAX_LONGOPTS)
			return -1;
		lo[n++] = (struct option){ w,
					   *sep == '=' ? required_argument :
							 no_argument,
					   NULL, sep[1] };
		*sep = '\0';
	}
	lo[n] = (struct option){ NULL, 0, NULL, 0 };
	return 0;
}

int cli_verb_parse(const struct cli_verb *v, void *ctx, int argc, char **argv,
		   const char **operand)
{
	struct option lo[CLI_MAX_LONGOPTS + 2];
	char names[256];
	int c, rc;

	if (cli_verb_table(v, lo, names, sizeof(names))) {
		fprintf(stderr, "%s: error: bad option table '%s'\n", v->prog,
			v->longopts);
		return 2;
	}
	while ((c = cli_getopt(v->prog, argc, argv, v->shortopts, lo, NULL)) !=
	       -1) {
		if (c == '?')
			return 2;
		if (c == 'h') {
			cli_started = 0; /* the verb returns before the end */
			v->usage(stdout);
			return 0;
		}
		rc = v->option(ctx, c, optarg);
		if (rc) {
			cli_started = 0;
			return rc;
		}
	}
	if (!v->operand)
		return cli_no_operand(v->prog, argc, argv) ? 2 : -1;
	if (operand)
		return cli_one_operand(v->prog, v->operand, argc, argv,
				       operand) ?
			       2 :
			       -1;
	return -1;
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

int cli_check_files(const char *prog, const struct tb_outfile_use *u, size_t n)
{
	char err[3 * TB_OUTFILE_PATH_MAX + 128];

	if (!tb_outfile_check_uses(u, n, err, sizeof(err)))
		return 0;
	fprintf(stderr, "%s: error: %s; nothing written\n", prog, err);
	return 2;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cli_opts.h - option parsing shared by the verbs: getopt_long() (GNU, so
 * options may come before, between or after the operands, `--` ends them,
 * `--name=value` and `--name value` are the same, and an unambiguous
 * prefix of a long option is that option) with the CLI's one-line errors.
 */
#ifndef CMDQV_CLI_OPTS_H
#define CMDQV_CLI_OPTS_H

#include <getopt.h>
#include <stdio.h>

/**
 * cli_getopt() - the next option of @argv.
 * @prog:      message prefix, "cmdqv-sim VERB"
 * @shortopts: getopt short options; must start with ':' (missing values
 *             are reported here, not by getopt)
 * @longopts:  getopt_long table, terminated by a zero entry
 * @longindex: where getopt_long puts the index of a long option found in
 *             @longopts (may be NULL); an entry with val 0 and no flag
 *             returns 0, to be told apart by this index
 *
 * Returns the option's value (optarg holds its argument), -1 after the last
 * option (the operands are then argv[optind..argc-1], in their order), or
 * '?' after printing one line on stderr: "PROG: error: unknown option 'X'
 * (see --help)" or "PROG: error: X needs a value (see --help)". The first
 * call of a verb starts at argv[1].
 */
int cli_getopt(const char *prog, int argc, char **argv, const char *shortopts,
	       const struct option *longopts, int *longindex);

/* The --help entry and the end of a verb's getopt_long table. */
#define CLI_OPT_HELP                           \
	{                                      \
		"help", no_argument, NULL, 'h' \
	}
#define CLI_OPT_END              \
	{                        \
		NULL, 0, NULL, 0 \
	}

/**
 * struct cli_verb - a verb's option set: its message prefix, its getopt
 * tables (@shortopts starts with ':' and holds 'h'; @longopts holds
 * CLI_OPT_HELP and ends with CLI_OPT_END) and its usage text.
 */
struct cli_verb {
	const char *prog;
	const char *shortopts;
	const struct option *longopts;
	void (*usage)(FILE *f);
};

/* cli_verb_getopt() results that are no option. */
enum {
	CLI_OPTS_DONE = -1, /* after the last option */
	CLI_OPTS_HELP = -2, /* the usage is on stdout: the verb exits 0 */
	CLI_OPTS_BAD = -3, /* the error line is on stderr: the verb exits 2 */
};

/**
 * cli_verb_getopt() - cli_getopt() for @v, -h/--help answered here (the
 * usage on stdout). Returns the next option's value (> 0), or one of
 * CLI_OPTS_DONE, CLI_OPTS_HELP, CLI_OPTS_BAD; cli_verb_status() turns the
 * last two into the verb's exit status.
 */
int cli_verb_getopt(const struct cli_verb *v, int argc, char **argv);

/** cli_verb_status() - 0 for CLI_OPTS_HELP, 2 for anything else. */
int cli_verb_status(int c);

/**
 * cli_optional_count() - an option's optional count given as the next
 * argument (`--bench 5`): if argv[optind] starts with a digit 1-9, it is
 * consumed and returned in *@arg and 1 is returned; else 0.
 */
int cli_optional_count(int argc, char **argv, const char **arg);

/**
 * cli_no_operand() - after the options of a verb that takes no operand: 0,
 * or 2 after "PROG: error: unexpected argument 'A' (see --help)" on stderr.
 */
int cli_no_operand(const char *prog, int argc, char **argv);

/**
 * cli_one_operand() - after the options of a verb that takes one operand
 * @what: that operand in *@out (left as it was if none is given); 0, or 2
 * after "PROG: error: more than one WHAT given ('A', 'B')" on stderr.
 */
int cli_one_operand(const char *prog, const char *what, int argc, char **argv,
		    const char **out);

#endif /* CMDQV_CLI_OPTS_H */

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
#include <stddef.h>
#include <stdio.h>

#include "tb_outfile.h"

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

/* The most long options a verb has, --help not counted. */
#define CLI_MAX_LONGOPTS 15

/**
 * struct cli_verb - a verb's command line.
 * @prog:      message prefix, "cmdqv-sim VERB"
 * @shortopts: getopt short options, ':' first and 'h' (--help) among them
 * @longopts:  the long options but --help, separated by spaces: "NAME=L"
 *             takes a value, "NAME/L" none; L is the option's value
 *             ("commands=n quiet/q")
 * @usage:     prints the usage text
 * @option:    option @c (@arg its value, NULL for one that takes none)
 *             into the verb's @ctx; 0, or 2 after its one error line
 * @operand:   the name of the one operand ("TRACE"); NULL if the verb
 *             takes none (see cli_verb_parse())
 */
struct cli_verb {
	const char *prog;
	const char *shortopts;
	const char *longopts;
	void (*usage)(FILE *f);
	int (*option)(void *ctx, int c, const char *arg);
	const char *operand;
};

/**
 * cli_verb_parse() - every option of @argv through @v->option, -h/--help
 * answered here (the usage on stdout), then the operands: none if
 * @v->operand is NULL (cli_no_operand()), else at most one into *@operand
 * (cli_one_operand()), or, with @operand NULL, any number, left at
 * argv[optind..argc-1] in their order.
 *
 * Returns -1 when the verb is to go on, else its exit status: 0 after the
 * usage, 2 after one error line on stderr.
 */
int cli_verb_parse(const struct cli_verb *v, void *ctx, int argc, char **argv,
		   const char **operand);

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

/**
 * cli_check_files() - before a verb writes anything: none of its outputs in
 * @u (@n entries) is an input, another output or inside a directory it
 * writes (tb_outfile_check_uses()). 0, or 2 after "PROG: error: --record
 * 'x' and TRACE 'x' are the same file; nothing written" on stderr.
 */
int cli_check_files(const char *prog, const struct tb_outfile_use *u, size_t n);

#endif /* CMDQV_CLI_OPTS_H */

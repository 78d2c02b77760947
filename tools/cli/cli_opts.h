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

/**
 * cli_optional_count() - an option's optional count given as the next
 * argument (`--bench 5`): if argv[optind] starts with a digit 1-9, it is
 * consumed and returned in *@arg and 1 is returned; else 0.
 */
int cli_optional_count(int argc, char **argv, const char **arg);

#endif /* CMDQV_CLI_OPTS_H */

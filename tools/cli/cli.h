/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cli.h - the verbs of the cmdqv-sim program. Each verb lives in its own
 * cli_<verb>.c and returns the process exit status: 0 success, 1 a check or
 * scenario failed, 2 bad input (usage, malformed file) or internal failure.
 */
#ifndef CMDQV_CLI_H
#define CMDQV_CLI_H

int cli_run(int argc, char **argv);
int cli_compare(int argc, char **argv);
int cli_import_qemu(int argc, char **argv);
int cli_replay(int argc, char **argv);
int cli_bench(int argc, char **argv);
int cli_params(int argc, char **argv);

#endif /* CMDQV_CLI_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_outfile.h - crash-safe output files for the tools. A file is written
 * under a temporary name in its own directory and renamed to its final
 * name only when complete, so an interrupted or failed run never leaves a
 * file that looks complete, and a previous complete file stays as it was
 * until the new one replaces it in one rename(2).
 *
 * The temporary name is ".NAME.tmp" beside NAME (".STEM.tmp.gz" for
 * STEM.gz: the trace writer compresses by the name). "-" (stdout) passes
 * through unchanged. SIGINT/SIGTERM, once tb_outfile_catch_signals() ran,
 * remove every temporary still open; after SIGKILL or a power cut only a
 * hidden temporary can remain, never a final name.
 */
#ifndef CMDQV_TB_OUTFILE_H
#define CMDQV_TB_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TB_OUTFILE_PATH_MAX 4096

/**
 * struct tb_outfile - one output file being written.
 * @path:   final name
 * @tmp:    the name to write to (the temporary, or "-")
 * @active: begun and neither committed nor aborted
 */
struct tb_outfile {
	char path[TB_OUTFILE_PATH_MAX];
	char tmp[TB_OUTFILE_PATH_MAX];
	bool active;
};

/**
 * Begin @f for @path: check that @path is not a directory, create the
 * temporary (empty; so an unwritable place fails before anything runs) and
 * register it for the signal handler. @f must stay valid until commit or
 * abort. Returns 0, or -1 with "cannot create PATH: reason" (or "PATH is a
 * directory") in @err.
 */
int tb_outfile_begin(struct tb_outfile *f, const char *path, char *err,
		     size_t errlen);

/** The name to open for writing: the temporary, or "-". */
static inline const char *tb_outfile_name(const struct tb_outfile *f)
{
	return f->tmp;
}

/**
 * The file is complete: flush it to disk and rename it to its final name.
 * Returns 0, or -1 with the reason in @err (the temporary is removed).
 * Does nothing for "-" or an inactive @f.
 */
int tb_outfile_commit(struct tb_outfile *f, char *err, size_t errlen);

/** The run failed: remove the temporary. Does nothing if not active. */
void tb_outfile_abort(struct tb_outfile *f);

/**
 * Install SIGINT/SIGTERM handlers that remove every active temporary,
 * write @msg (a static string, may be NULL) to stderr and end the process
 * by the same signal (exit status 128 + signal in a shell).
 */
void tb_outfile_catch_signals(const char *msg);

/** Restore the default SIGINT/SIGTERM actions. */
void tb_outfile_release_signals(void);

/**
 * struct tb_outfile_use - a file named on a command line, for
 * tb_outfile_check_uses().
 * @opt:    how the command line names it in a message: the option
 *          ("--record"), the operand ("TRACE") or what it is ("--out's
 *          summary.json")
 * @path:   the file; NULL (not given) and "-" (stdin or stdout) are skipped
 * @output: the run writes it (under a temporary name, see above)
 * @dir:    with @output: a directory the run writes files of its own
 *          choosing into; any other output directly inside it collides
 */
struct tb_outfile_use {
	const char *opt;
	const char *path;
	bool output;
	bool dir;
};

/**
 * tb_outfile_check_uses() - before anything is written: no output of @u
 * (@n entries) is one of the inputs or another output, has its temporary
 * name (".NAME.tmp") on one of them, or lies inside an output @dir. An
 * output over an input would replace it; two outputs would share one
 * temporary and the second rename would fail. Two names are the
 * same file when both exist with the same device and inode (so a hard link
 * or a symbolic link is caught), or when neither exists and they resolve to
 * the same path (realpath(3) of the longest existing parent, so "./x",
 * "x" and "d/../x" are one file).
 *
 * Returns 0, or -1 with "OPT1 'A' and OPT2 'B' are the same file" (or
 * "... is inside OPT2 'B'", "OPT1 'A' would write its temporary 'T' over
 * OPT2 'B'") in @err.
 */
int tb_outfile_check_uses(const struct tb_outfile_use *u, size_t n, char *err,
			  size_t errlen);

/**
 * tb_outfile_close_stdout() - at the end of a program that wrote results
 * to stdout: flush and close it. A write that failed then or before (a
 * full disk, an I/O error) means the results are lost: returns @status, or
 * 2 after "PROG: error: cannot write to stdout: REASON" on stderr (the line
 * is left out if @status is 2 already: that run has said what went wrong).
 * Nothing may write to stdout afterwards.
 */
int tb_outfile_close_stdout(const char *prog, int status);

#ifdef __cplusplus
}
#endif

#endif /* CMDQV_TB_OUTFILE_H */

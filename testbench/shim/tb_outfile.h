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

#ifdef __cplusplus
}
#endif

#endif /* CMDQV_TB_OUTFILE_H */

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tb_outfile.c - output files written under a temporary name and renamed
 * when complete (see tb_outfile.h).
 *
 * The signal handler only walks a fixed table and calls unlink() and
 * write(), both async-signal-safe; the table is changed with the signals
 * blocked so the handler never sees a half-made entry.
 */
#define _POSIX_C_SOURCE 200809L
#include "tb_outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TB_OUTFILE_MAX 16 /* files one run writes at once (compare: 5) */

static struct tb_outfile *volatile tb_out_active[TB_OUTFILE_MAX];
static const char *volatile tb_out_msg;

static void tb_out_block(sigset_t *old)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, SIGINT);
	sigaddset(&s, SIGTERM);
	sigprocmask(SIG_BLOCK, &s, old);
}

static void tb_out_register(struct tb_outfile *f, bool on)
{
	sigset_t old;

	tb_out_block(&old);
	for (int i = 0; i < TB_OUTFILE_MAX; i++) {
		if (on && !tb_out_active[i]) {
			tb_out_active[i] = f;
			break;
		}
		if (!on && tb_out_active[i] == f)
			tb_out_active[i] = NULL;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* ".NAME.tmp" beside NAME, ".STEM.tmp.gz" for STEM.gz. */
static int tb_out_tmpname(char *buf, size_t len, const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dir = slash ? (size_t)(slash - path + 1) : 0;
	const char *base = path + dir;
	size_t n = strlen(base);
	int w;

	if (n > 3 && !strcmp(base + n - 3, ".gz"))
		w = snprintf(buf, len, "%.*s.%.*s.tmp.gz", (int)dir, path,
			     (int)(n - 3), base);
	else
		w = snprintf(buf, len, "%.*s.%s.tmp", (int)dir, path, base);
	return w < 0 || (size_t)w >= len ? -1 : 0;
}

int tb_outfile_begin(struct tb_outfile *f, const char *path, char *err,
		     size_t errlen)
{
	struct stat st;
	sigset_t old;
	int fd;

	memset(f, 0, sizeof(*f));
	if (!strcmp(path, "-")) {
		strcpy(f->path, "-");
		strcpy(f->tmp, "-");
		return 0;
	}
	if (!*path || strlen(path) >= sizeof(f->path) ||
	    tb_out_tmpname(f->tmp, sizeof(f->tmp), path)) {
		snprintf(err, errlen, "cannot create '%s': bad file name",
			 path);
		return -1;
	}
	if (!stat(path, &st) && S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s is a directory", path);
		return -1;
	}
	strcpy(f->path, path);
	/* Signals stay blocked from the file's creation until it is
	 * registered, so an interrupt in between cannot leave it behind. */
	tb_out_block(&old);
	fd = open(f->tmp, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (fd < 0) {
		int e = errno;

		sigprocmask(SIG_SETMASK, &old, NULL);
		snprintf(err, errlen, "cannot create %s: %s", path,
			 strerror(e));
		return -1;
	}
	close(fd);
	f->active = true;
	tb_out_register(f, true);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return 0;
}

int tb_outfile_commit(struct tb_outfile *f, char *err, size_t errlen)
{
	int fd;

	if (!f->active)
		return 0;
	/* On disk before it has the final name: after a power cut the final
	 * name is the old file or the complete new one. */
	fd = open(f->tmp, O_RDONLY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	if (rename(f->tmp, f->path)) {
		snprintf(err, errlen, "cannot rename %s to %s: %s", f->tmp,
			 f->path, strerror(errno));
		tb_outfile_abort(f);
		return -1;
	}
	f->active = false;
	tb_out_register(f, false);
	return 0;
}

void tb_outfile_abort(struct tb_outfile *f)
{
	if (!f->active)
		return;
	unlink(f->tmp);
	f->active = false;
	tb_out_register(f, false);
}

static void tb_out_on_signal(int sig)
{
	const char *msg = tb_out_msg;

	for (int i = 0; i < TB_OUTFILE_MAX; i++) {
		struct tb_outfile *f = tb_out_active[i];

		if (f && f->active)
			unlink(f->tmp);
	}
	if (msg && write(STDERR_FILENO, msg, strlen(msg)) < 0) {
		/* nothing more can be done */
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

void tb_outfile_catch_signals(const char *msg)
{
	struct sigaction sa;

	tb_out_msg = msg;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = tb_out_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGINT);
	sigaddset(&sa.sa_mask, SIGTERM);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

void tb_outfile_release_signals(void)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
}

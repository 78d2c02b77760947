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
#define _XOPEN_SOURCE 700 /* realpath */
#include "tb_outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
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

/* ---- names that must not collide ---- */

/*
 * @path as an absolute name in @out: realpath(3) of its longest existing
 * prefix, then the rest as written ("." and empty parts dropped, ".."
 * taking off the last part). @path itself as a last resort.
 */
static void tb_out_resolve(const char *path, char *out, size_t len)
{
	char head[TB_OUTFILE_PATH_MAX], real[PATH_MAX];
	size_t cut = strlen(path), n;
	const char *p;

	if (cut >= sizeof(head))
		goto literal;
	for (;;) {
		memcpy(head, path, cut);
		head[cut] = '\0';
		if (realpath(cut ? head : ".", real))
			break;
		size_t was = cut;

		if (!cut)
			goto literal;
		while (cut > 0 && path[cut - 1] != '/')
			cut--;
		while (cut > 1 && path[cut - 1] == '/')
			cut--;
		if (cut == was)
			goto literal; /* "/" does not resolve */
	}
	n = strlen(real);
	for (p = path + cut; *p;) {
		size_t c = strcspn(p, "/");

		if (c == 2 && !strncmp(p, "..", 2)) {
			while (n > 1 && real[n - 1] != '/')
				n--;
			if (n > 1)
				n--;
		} else if (c && !(c == 1 && *p == '.')) {
			if (n + 1 + c >= sizeof(real))
				goto literal;
			if (n > 1)
				real[n++] = '/';
			memcpy(real + n, p, c);
			n += c;
		}
		p += c;
		while (*p == '/')
			p++;
	}
	real[n] = '\0';
	snprintf(out, len, "%s", real);
	return;
literal:
	snprintf(out, len, "%s", path);
}

/* Whether @a and @b are one file (tb_outfile.h). */
static bool tb_out_same(const char *a, const char *b)
{
	char ra[TB_OUTFILE_PATH_MAX], rb[TB_OUTFILE_PATH_MAX];
	struct stat sa, sb;
	bool ea = !stat(a, &sa), eb = !stat(b, &sb);

	if (ea || eb)
		return ea && eb && sa.st_dev == sb.st_dev &&
		       sa.st_ino == sb.st_ino;
	tb_out_resolve(a, ra, sizeof(ra));
	tb_out_resolve(b, rb, sizeof(rb));
	return !strcmp(ra, rb);
}

/* Whether the directory entry @path lies directly inside directory @dir. */
static bool tb_out_inside(const char *path, const char *dir)
{
	char parent[TB_OUTFILE_PATH_MAX];
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(parent, sizeof(parent), ".");
	else if (slash == path)
		snprintf(parent, sizeof(parent), "/");
	else
		snprintf(parent, sizeof(parent), "%.*s", (int)(slash - path),
			 path);
	return tb_out_same(parent, dir);
}

static bool tb_out_given(const struct tb_outfile_use *u)
{
	return u->path && *u->path && strcmp(u->path, "-");
}

/* Output @o against the other use @x: 0, or -1 with the message. */
static int tb_out_clash(const struct tb_outfile_use *o,
			const struct tb_outfile_use *x, char *err,
			size_t errlen)
{
	char tmp[TB_OUTFILE_PATH_MAX];

	if (o->dir)
		return 0;
	if (x->output && x->dir && tb_out_inside(o->path, x->path)) {
		snprintf(err, errlen, "%s '%s' is inside %s '%s'", o->opt,
			 o->path, x->opt, x->path);
		return -1;
	}
	if (!tb_out_tmpname(tmp, sizeof(tmp), o->path) &&
	    tb_out_same(tmp, x->path)) {
		snprintf(err, errlen,
			 "%s '%s' would write its temporary '%s' over %s '%s'",
			 o->opt, o->path, tmp, x->opt, x->path);
		return -1;
	}
	return 0;
}

int tb_outfile_check_uses(const struct tb_outfile_use *u, size_t n, char *err,
			  size_t errlen)
{
	for (size_t i = 0; i < n; i++) {
		if (!tb_out_given(&u[i]))
			continue;
		for (size_t j = i + 1; j < n; j++) {
			if (!tb_out_given(&u[j]) ||
			    !(u[i].output || u[j].output))
				continue;
			if (tb_out_same(u[i].path, u[j].path)) {
				snprintf(
					err, errlen,
					"%s '%s' and %s '%s' are the same file",
					u[i].opt, u[i].path, u[j].opt,
					u[j].path);
				return -1;
			}
			if ((u[i].output &&
			     tb_out_clash(&u[i], &u[j], err, errlen)) ||
			    (u[j].output &&
			     tb_out_clash(&u[j], &u[i], err, errlen)))
				return -1;
		}
	}
	return 0;
}

int tb_outfile_close_stdout(const char *prog, int status)
{
	bool bad;
	int e = 0;

	errno = 0;
	bad = fflush(stdout) != 0;
	if (bad)
		e = errno;
	if (ferror(stdout))
		bad = true;
	errno = 0;
	/* EBADF: stdout was closed and nothing was written to it */
	if (fclose(stdout) && errno != EBADF && !bad) {
		bad = true;
		e = errno;
	}
	if (!bad)
		return status;
	if (status != 2)
		fprintf(stderr, "%s: error: cannot write to stdout: %s\n", prog,
			e ? strerror(e) : "write failed");
	return 2;
}

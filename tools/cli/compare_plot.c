/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * compare_plot.c - run gnuplot for the report (see compare_plot.h).
 * gnuplot runs as a child process in the plot directory so its scripts only
 * name files relative to it; its messages go to <name>.log there.
 */
#define _POSIX_C_SOURCE 200809L
#include "compare_plot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compare_util.h"

#define CMP_EXEC_FAILED \
	127 /* child status when exec fails (shell convention) */

const char *cmp_gnuplot_program(void)
{
	const char *p = getenv("CMDQV_GNUPLOT");

	return p && *p ? p : "gnuplot";
}

/*
 * Run gnuplot with @arg in @dir, its stdout and stderr to @log (in @dir).
 * Returns the exit status, CMP_EXEC_FAILED if it could not be started, or
 * -1 if fork failed.
 */
static int cmp_gnuplot_spawn(const char *dir, const char *arg, const char *log)
{
	pid_t pid;
	int status;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd;

		if (dir && chdir(dir))
			_exit(CMP_EXEC_FAILED - 1);
		fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0666);
		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
			close(fd);
		}
		execlp(cmp_gnuplot_program(), cmp_gnuplot_program(), arg,
		       (char *)NULL);
		_exit(CMP_EXEC_FAILED);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return -1;
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return -1;
}

int cmp_gnuplot_check(char *err, size_t errlen)
{
	int rc = cmp_gnuplot_spawn(NULL, "--version", "/dev/null");

	if (rc == 0)
		return 0;
	if (rc == CMP_EXEC_FAILED)
		snprintf(
			err, errlen,
			"error: '%s' not found: the report's plots need gnuplot "
			"(Debian package gnuplot-nox; tools/install-deps.sh installs it)",
			cmp_gnuplot_program());
	else
		snprintf(err, errlen,
			 "error: '%s --version' failed (status %d)",
			 cmp_gnuplot_program(), rc);
	return -1;
}

FILE *cmp_plot_data_open(const char *dir, const char *name)
{
	char path[4096];

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	return fopen(path, "w");
}

/* Append @n bytes of @s to the growing buffer *@b. Returns 0 or -1. */
static int cmp_buf_add(char **b, size_t *len, size_t *cap, const char *s,
		       size_t n)
{
	if (*len + n + 1 > *cap) {
		size_t nc = (*cap ? *cap : 4096);
		char *nb;

		while (*len + n + 1 > nc)
			nc *= 2;
		nb = realloc(*b, nc);
		if (!nb)
			return -1;
		*b = nb;
		*cap = nc;
	}
	memcpy(*b + *len, s, n);
	*len += n;
	(*b)[*len] = '\0';
	return 0;
}

/*
 * Make gnuplot's SVG document fit inline in HTML: drop everything before
 * <svg, and prefix every id and every local reference (href='#x', url(#x))
 * with "@prefix-" so that the ids of several plots never collide.
 */
static char *cmp_svg_inline(const char *doc, const char *prefix)
{
	static const char *const marks[] = { "id='", "id=\"", "href='#",
					     "href=\"#", "url(#" };
	const char *p = strstr(doc, "<svg");
	char *out = NULL;
	size_t len = 0, cap = 0;

	if (!p)
		return NULL;
	while (*p) {
		size_t best = (size_t)-1, which = 0;

		for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
			const char *q = strstr(p, marks[i]);

			if (q && (size_t)(q - p) < best) {
				best = (size_t)(q - p);
				which = i;
			}
		}
		if (best == (size_t)-1) {
			if (cmp_buf_add(&out, &len, &cap, p, strlen(p)))
				goto fail;
			break;
		}
		best += strlen(marks[which]);
		if (cmp_buf_add(&out, &len, &cap, p, best) ||
		    cmp_buf_add(&out, &len, &cap, prefix, strlen(prefix)) ||
		    cmp_buf_add(&out, &len, &cap, "-", 1))
			goto fail;
		p += best;
	}
	return out;
fail:
	free(out);
	return NULL;
}

int cmp_plot_render(const char *dir, const char *name, unsigned width,
		    unsigned height, const char *script, char **svg, char *err,
		    size_t errlen)
{
	char gp[256], log[256], path[4096];
	char *doc = NULL;
	FILE *f;
	int rc;

	snprintf(gp, sizeof(gp), "%s.gp", name);
	snprintf(log, sizeof(log), "%s.log", name);
	f = cmp_plot_data_open(dir, gp);
	if (!f) {
		snprintf(err, errlen, "error: cannot write %s/%s: %s", dir, gp,
			 strerror(errno));
		return -1;
	}
	fprintf(f, "# SPDX-License-Identifier: BSD-3-Clause\n");
	fprintf(f,
		"# Written by cmdqv-sim compare; run `gnuplot %s` here to redraw %s.svg.\n",
		gp, name);
	fprintf(f,
		"set terminal svg size %u,%u dynamic noenhanced font 'Helvetica,12' "
		"background rgb 'white'\n",
		width, height);
	fprintf(f, "set output '%s.svg'\n", name);
	fputs(script, f);
	if (fclose(f)) {
		snprintf(err, errlen, "error: cannot write %s/%s: %s", dir, gp,
			 strerror(errno));
		return -1;
	}
	rc = cmp_gnuplot_spawn(dir, gp, log);
	snprintf(path, sizeof(path), "%s/%s", dir, log);
	if (rc != 0) {
		char *msg = NULL;

		if (rc == CMP_EXEC_FAILED) {
			snprintf(
				err, errlen,
				"error: '%s' not found (install Debian package gnuplot-nox)",
				cmp_gnuplot_program());
			return -1;
		}
		if (cmp_read_file(path, &msg, NULL) == 0) {
			char *nl;
			char *s = msg;

			while (*s == '\n' || *s == ' ')
				s++;
			nl = strchr(s, '\n');
			if (nl)
				*nl = '\0';
			snprintf(err, errlen,
				 "error: gnuplot failed on %s/%s: %s", dir, gp,
				 s);
			free(msg);
		} else {
			snprintf(err, errlen,
				 "error: gnuplot failed on %s/%s (status %d)",
				 dir, gp, rc);
		}
		return -1;
	}
	remove(path); /* an empty log on success */
	snprintf(path, sizeof(path), "%s/%s.svg", dir, name);
	if (cmp_read_file(path, &doc, NULL)) {
		snprintf(err, errlen, "error: gnuplot wrote no %s: %s", path,
			 strerror(errno));
		return -1;
	}
	*svg = cmp_svg_inline(doc, name);
	free(doc);
	if (!*svg) {
		snprintf(err, errlen, "error: %s is not an SVG document", path);
		return -1;
	}
	return 0;
}
